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

  it('says a percentage against its target once, not again as a verdict with nothing after it', async () => {
    const calls = { ...content.headlines[0], name: '101 calls answered within 60 seconds', unit: 'percent' as const, polarity: 'up_good' as const, value: '79.8%', yearBefore: '75.5%', twoYearsBefore: '73.8%', change: 'up 4.3 percentage points', target: '90%', rag: 'red' as const, verdict: 'Against target', explanation: '' }
    const text = await pdfText(await reportPdf({ ...content, headlines: [calls] }, { status: 'draft' }))
    expect(text).toContain('Against target: Red')
    expect(text.match(/Against target/g)).toHaveLength(1)
  })
})

describe('the performance report PDF’s pages', () => {
  it('keeps each headline’s name, figures and chart on one page, never a chart alone under no name', async () => {
    const months = Array.from({ length: 24 }, (_, i) => {
      const d = new Date(Date.UTC(2024, 3 + i, 1))
      return { period: d.toISOString().slice(0, 7), label: new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d) }
    })
    const headlines = ['Robbery', 'Drug offences', 'Possession of weapons offences'].map((name, n) => ({
      ...content.headlines[0],
      name,
      explanation: `${content.headlines[0].explanation} `.repeat(3).trim(),
      // Each chart's numbers are its own (100s, 200s, 300s), so its table says which chart it is.
      chart: months.map((m, i) => ({ ...m, value: (n + 1) * 100 + i })),
      control: null,
    }))
    const pdf = await getDocumentProxy(new Uint8Array(await reportPdf({ ...content, headlines }, { status: 'draft' })))
    const { text } = await extractText(pdf, { mergePages: false })
    const pages = text.map((t) => t.replace(/\s+/g, ' '))
    for (const [n, h] of headlines.entries()) {
      const named = pages.findIndex((t) => t.includes(`${h.name} 993 (financial year 2025/26)`))
      const table = pages.findIndex((t) => t.includes(`Apr 2024: ${(n + 1) * 100};`))
      expect(named, h.name).toBeGreaterThanOrEqual(0)
      expect(table, h.name).toBe(named)
    }
  })

  it('puts the areas’ heading on the page of its first map, however far down the page the headlines end', async () => {
    const areas = [
      { code: 'E07000084', name: 'Basingstoke and Deane', count: 324, population: 189_300, rate: 1.71 },
      { code: 'E07000090', name: 'Havant', count: 342, population: 128_000, rate: 2.67 },
      { code: 'E07000094', name: 'Winchester', count: 281, population: 129_900, rate: 2.16 },
    ]
    // However many headlines come first, the heading lands somewhere else on its page.
    for (let n = 1; n <= 6; n++) {
      const headlines = Array.from({ length: n }, (_, i) => ({ ...content.headlines[0], name: `Indicator ${i + 1}`, explanation: `${content.headlines[0].explanation} `.repeat(1 + (i % 3)).trim(), control: null }))
      const pdf = await getDocumentProxy(new Uint8Array(await reportPdf({ ...content, headlines, maps: [{ indicator: 'Drug offences', areas }] }, { status: 'draft' })))
      const pages = (await extractText(pdf, { mergePages: false })).text.map((t) => t.replace(/\s+/g, ' '))
      const heading = pages.findIndex((t) => t.includes('Across the areas, per 1,000 residents'))
      expect(heading, `${n} headlines`).toBeGreaterThanOrEqual(0)
      expect(pages.findIndex((t) => t.includes('Basingstoke and Deane: 324')), `${n} headlines`).toBe(heading)
    }
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
