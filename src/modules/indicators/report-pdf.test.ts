import { describe, expect, it } from 'vitest'
import { extractText, getDocumentProxy } from 'unpdf'
import { reportPdf } from './pdf.ts'
import { describeChange, type ReportContent } from './report-content.ts'

async function pdfText(buffer: Buffer): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(buffer))
  const { text } = await extractText(pdf, { mergePages: true })
  return text.replace(/\s+/g, ' ')
}

const content: ReportContent = {
  version: 1,
  title: 'Performance report',
  meeting: null,
  areaName: 'Hampshire',
  periodFrom: '2025-04-01',
  periodTo: '2026-03-01',
  periodLabel: 'financial year 2025/26',
  comparisonLabel: 'financial year 2024/25',
  builtOn: '2026-11-23',
  commentary: null,
  headlines: [
    {
      name: 'Robbery',
      unit: 'count',
      polarity: 'up_bad',
      value: '993',
      yearBefore: '1,000',
      twoYearsBefore: '990',
      change: 'down 1%',
      target: 'None',
      rag: null,
      months: 12,
      monthsExpected: 12,
      verdict: 'Could be chance',
      explanation: 'From financial year 2024/25 to financial year 2025/26, robbery fell from 1,000 to 993 (\u22120.7%); a fall this large would happen by chance about 9 times in 10, so it could well be chance (exact Poisson test, p = 0.88).',
    },
  ],
  trends: [],
  strategy: null,
}

describe('the performance report PDF', () => {
  it('writes the minus sign of a fall as a minus sign', async () => {
    const text = await pdfText(await reportPdf(content, { status: 'draft' }))
    expect(text).toContain('fell from 1,000 to 993 (\u22120.7%)')
  })
})

describe('changes in the report', () => {
  it('says percentage points for a change of a percentage and a whole percent for counts', () => {
    expect(describeChange(91.5, 88.3, 'percent')).toBe('up 3.2 percentage points')
    expect(describeChange(86, 90, 'percent')).toBe('down 4 percentage points')
    expect(describeChange(466, 412, 'count')).toBe('up 13%')
    expect(describeChange(412, 466, 'count')).toBe('down 12%')
    expect(describeChange(5, 0, 'count')).toBe('none before')
    expect(describeChange(40, 40, 'count')).toBe('no change')
  })
})
