import { describe, expect, it } from 'vitest'
import { assess, dueDate, fillMonths, ragFor, rollUp } from './assess.ts'
import { renderChart, niceStep } from './chart.ts'
import { renderControlChart } from './control-chart.ts'
import { xmr } from './trends.ts'
import { addMonths, financialYearLabel, parsePeriodInput, periodContaining, periodLabel, shortLabel, spanLabel } from './periods.ts'
import { localAuthorityOf, provisionalCode } from './police-uk/areas.ts'
import { checkRow } from './police-uk/import.ts'

describe('periods', () => {
  it('knows months, quarters and financial years', () => {
    expect(periodContaining('2026-02-01', 'year')).toBe('2025-04-01')
    expect(periodContaining('2026-04-01', 'year')).toBe('2026-04-01')
    expect(periodContaining('2026-08-01', 'quarter')).toBe('2026-07-01')
    expect(financialYearLabel('2026-03-01')).toBe('2025/26')
    expect(financialYearLabel('1999-05-01')).toBe('1999/00')
    expect(periodLabel('2026-07-01', 'quarter')).toBe('July to September 2026')
    expect(periodLabel('2026-11-01', 'quarter')).toBe('November to January 2027')
    expect(spanLabel('2025-04-01', '2026-03-01')).toBe('financial year 2025/26')
    expect(spanLabel('2026-07-01', '2026-09-01')).toBe('July 2026 to September 2026')
    expect(addMonths('2026-11-01', 3)).toBe('2027-02-01')
  })

  it('reads periods as people write them, refusing those of another frequency', () => {
    expect(parsePeriodInput('2026-09', 'month')).toBe('2026-09-01')
    expect(parsePeriodInput('2026-13', 'month')).toBeNull()
    expect(parsePeriodInput('2026-07', 'quarter')).toBe('2026-07-01')
    expect(parsePeriodInput('2026-08', 'quarter')).toBeNull()
    expect(parsePeriodInput('2025/26', 'year')).toBe('2025-04-01')
    expect(parsePeriodInput('2025/27', 'year')).toBeNull()
    expect(parsePeriodInput('2025/26', 'month')).toBeNull()
  })
})

describe('RAG, staleness and roll-ups', () => {
  it('rates against a target in the direction that is better', () => {
    expect(ragFor(34, { value: 35, amber_margin: 10 }, 'up_bad')).toBe('green')
    expect(ragFor(38, { value: 35, amber_margin: 10 }, 'up_bad')).toBe('amber')
    expect(ragFor(39, { value: 35, amber_margin: 10 }, 'up_bad')).toBe('red')
    expect(ragFor(86.4, { value: 90, amber_margin: 5 }, 'up_good')).toBe('amber')
    expect(ragFor(80, { value: 90, amber_margin: 5 }, 'up_good')).toBe('red')
    expect(ragFor(90, { value: 90, amber_margin: 5 }, 'neutral')).toBe('green')
  })

  it('is due at the end of the next period plus the lag, and stale after', () => {
    expect(dueDate('2026-09-01', { frequency: 'month', lag_days: 62 })).toBe('2027-01-01')
    expect(dueDate('2026-04-01', { frequency: 'quarter', lag_days: 30 })).toBe('2026-10-30')
    const meta = { name: 'Workshops', unit: 'count' as const, polarity: 'up_good' as const, frequency: 'quarter' as const, lag_days: 30 }
    expect(assess(meta, [{ period: '2026-04-01', value: 52 }], null, '2026-11-23').stale).toBe(true)
    expect(assess(meta, [{ period: '2026-04-01', value: 52 }], null, '2026-10-30').stale).toBe(false)
    expect(assess(meta, [], null, '2026-11-23').stale).toBe(true)
  })

  it('fills months without crimes with zeros and rolls months up into complete quarters', () => {
    const filled = fillMonths([{ period: '2026-01-01', value: 3 }, { period: '2026-04-01', value: 1 }])
    expect(filled.map((p) => p.value)).toEqual([3, 0, 0, 1])
    const months = Array.from({ length: 7 }, (_, i) => ({ period: addMonths('2026-01-01', i), value: i + 1 }))
    expect(rollUp(months, 'quarter', 'count')).toEqual([{ period: '2026-01-01', value: 6 }, { period: '2026-04-01', value: 15 }])
    expect(rollUp(months, 'quarter', 'percent')).toEqual([{ period: '2026-01-01', value: 2 }, { period: '2026-04-01', value: 5 }])
  })

  it('tests the latest complete financial year against the one before by default, not the rolling 12 months', () => {
    // 2024/25 at 30 a month, 2025/26 at 40, then 25 a month since April 2026: the financial years
    // rose by a third (significant) while the rolling 12 months to October 2026 fell.
    const months = Array.from({ length: 31 }, (_, i) => {
      const period = addMonths('2024-04-01', i)
      return { period, value: period < '2025-04-01' ? 30 : period < '2026-04-01' ? 40 : 25 }
    })
    const a = assess({ name: 'Possession of weapons offences', unit: 'count', polarity: 'up_bad', frequency: 'month', lag_days: 62 }, months, null, '2026-11-23')
    expect(a.yearOnYear?.currentLabel).toBe('financial year 2025/26')
    expect(a.yearOnYear?.previousLabel).toBe('financial year 2024/25')
    expect([a.yearOnYear?.comparison.previous, a.yearOnYear?.comparison.current]).toEqual([360, 480])
    expect(a.yearOnYear?.explanation).toContain('rose from 360 to 480 (+33.3%)')
    expect(a.alerts.map((x) => x.kind)).toEqual(['year-on-year'])
  })

  it('tests any two periods of the same length that the reader chooses', () => {
    const months = Array.from({ length: 31 }, (_, i) => ({ period: addMonths('2024-04-01', i), value: i < 12 ? 30 : i < 24 ? 40 : 25 }))
    const meta = { name: 'Robbery', unit: 'count' as const, polarity: 'up_bad' as const, frequency: 'month' as const, lag_days: 62 }
    const chosen = assess(meta, months, null, '2026-11-23', { comparison: { current: { from: '2026-04-01', to: '2026-10-01' }, previous: { from: '2025-04-01', to: '2025-10-01' } } })
    expect(chosen.yearOnYear?.explanation).toContain('From April 2025 to October 2025 to April 2026 to October 2026, robbery fell from 280 to 175')
    expect(chosen.alerts).toEqual([])
    // A period the series does not cover in full is not compared.
    expect(assess(meta, months, null, '2026-11-23', { comparison: { current: { from: '2026-04-01', to: '2026-12-01' }, previous: { from: '2025-04-01', to: '2025-12-01' } } }).yearOnYear).toBeNull()
  })

  it('widens the interval when the months vary more than chance, and says so: a rise the exact test calls real can then be chance', () => {
    // Months alternating 20 and 80, then 30 and 90 (dispersion far above 1): totals 600 and 720.
    const months = Array.from({ length: 24 }, (_, i) => ({ period: addMonths('2024-04-01', i), value: i < 12 ? (i % 2 ? 20 : 80) : i % 2 ? 30 : 90 }))
    const meta = { name: 'Shoplifting', unit: 'count' as const, polarity: 'up_bad' as const, frequency: 'month' as const, lag_days: 62 }
    const a = assess(meta, months, null, '2026-11-23')
    expect(a.yearOnYear?.comparison.pValue).toBeLessThan(0.05)
    expect(a.yearOnYear?.dispersion?.dispersion).toBeGreaterThan(10)
    expect(a.yearOnYear?.significant).toBe(false)
    expect(a.yearOnYear?.explanation).toMatch(/vary about [\d.]+ times as much as chance alone would make them \(quasi-Poisson\), so the range is wider: .* so allowing for that it could be chance/)
    expect(a.alerts.filter((x) => x.kind === 'year-on-year')).toEqual([])
  })

  it('judges any series of 12 or more points by its control chart, such as 36 months of 101 call answering', () => {
    const calls = Array.from({ length: 36 }, (_, i) => ({ period: addMonths('2023-10-01', i), value: [78, 80, 79, 81, 77, 80][i % 6] - (i >= 29 ? 9 : 0) }))
    const a = assess({ name: '101 calls answered within 60 seconds', unit: 'percent', polarity: 'up_good', frequency: 'month', lag_days: 31 }, calls, null, '2026-11-23')
    expect(a.farrington).toBeNull()
    expect(a.spc?.latest).toBe('concerning')
    expect(a.spc?.text).toMatch(/^Special cause variation, concerning: a shift: 8 points in a row below the average/)
    expect(a.alerts.map((x) => x.kind)).toEqual(['spc'])
    const steady = assess({ name: '101 calls', unit: 'percent', polarity: 'up_good', frequency: 'month', lag_days: 31 }, calls.slice(0, 24), null, '2026-11-23')
    expect(steady.spc?.latest).toBe('common')
    expect(assess({ name: '101 calls', unit: 'percent', polarity: 'up_good', frequency: 'month', lag_days: 31 }, calls.slice(0, 11), null, '2026-11-23').spc).toBeNull()
  })

  it('adjusts "significant" across many areas by Benjamini-Hochberg, so one borderline result among many is not flagged', async () => {
    const { controlFalseDiscoveries, judgeComparison } = await import('./assess.ts')
    const meta = { name: 'Robbery', unit: 'count' as const, polarity: 'up_bad' as const, frequency: 'month' as const, lag_days: 62 }
    const choice = { current: { from: '2025-04-01', to: '2026-03-01' }, previous: { from: '2024-04-01', to: '2025-03-01' } }
    const flat = (a: number, b: number) => Array.from({ length: 24 }, (_, i) => ({ period: addMonths('2024-04-01', i), value: i < 12 ? a : b }))
    // One area rises from 10 to 13 a month (exact p about 0.03 on its own); nine do not change.
    const judgements = [judgeComparison(meta, flat(10, 13), choice), ...Array.from({ length: 9 }, () => judgeComparison(meta, flat(10, 10), choice))]
    expect(judgements[0]!.pValue).toBeLessThan(0.05)
    controlFalseDiscoveries(judgements)
    expect(judgements[0]!.adjustedP).toBeGreaterThan(0.05)
    expect(judgements[0]!.significant).toBe(false)
  })

  it('raises a year-on-year alert only for a significant change in the bad direction', () => {
    const rising = Array.from({ length: 24 }, (_, i) => ({ period: addMonths('2024-11-01', i), value: i < 12 ? 50 : 90 }))
    const bad = assess({ name: 'Robbery', unit: 'count', polarity: 'up_bad', frequency: 'month', lag_days: 62 }, rising, null, '2026-11-23')
    expect(bad.yearOnYear?.significant).toBe(true)
    // Two years are too short for Farrington; the control chart sees the shift instead.
    expect(bad.alerts.map((a) => a.kind)).toEqual(['year-on-year', 'spc'])
    const good = assess({ name: 'Reports', unit: 'count', polarity: 'up_good', frequency: 'month', lag_days: 7 }, rising, null, '2026-11-23')
    expect(good.alerts).toEqual([])
    expect(bad.change).toBe(0)
  })
})

describe('the chart', () => {
  it('is an accessible SVG with no inline styles, marking alarms by shape', () => {
    const svg = renderChart(
      [
        { label: 'Jan', value: 10, expected: 9, upperbound: 14 },
        { label: 'Feb', value: 20, expected: 9, upperbound: 14, alarm: true },
        { label: 'Mar', value: null },
      ],
      { id: 'c1', title: 'Robbery <Havant>', description: 'A line chart', target: 12 },
    )
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c1-title c1-desc"/)
    expect(svg).toContain('<title id="c1-title">Robbery &lt;Havant&gt;</title>')
    expect(svg).not.toContain('style=')
    expect(svg.match(/class="lantern-chart__alarm"/g)).toHaveLength(1)
    expect(svg).toContain('class="lantern-chart__band"')
    expect(svg).toContain('class="lantern-chart__target"')
    expect(niceStep(37)).toBe(10)
    expect(niceStep(1027)).toBe(500)
  })

  /** Every text's extent, from its anchor and an average glyph width of 0.6 em (generous for Arial and Noto Sans digits). */
  function textExtents(svg: string) {
    return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map((m) => {
      const attr = (name: string) => new RegExp(`(?:^| )${name}="([^"]*)"`).exec(m[1])?.[1]
      const width = m[2].length * Number(attr('font-size')) * 0.6
      const x = Number(attr('x'))
      const anchor = attr('text-anchor') ?? 'start'
      const left = anchor === 'start' ? x : anchor === 'middle' ? x - width / 2 : x - width
      return { text: m[2], left, right: left + width }
    })
  }

  it('keeps every label inside the picture, at the page width and at the PDF’s narrower width', () => {
    const points = Array.from({ length: 24 }, (_, i) => ({ label: shortLabel(addMonths('2024-04-01', i), 'month'), value: 1000 + i * 400, expected: 1000, upperbound: 11000, alarm: i === 23 }))
    for (const width of [720, 480]) {
      const svg = renderChart(points, { id: 'c2', title: 'Drug offences', description: 'A line chart', target: 9000, width })
      for (const t of textExtents(svg)) {
        expect(t.left, `"${t.text}" at width ${width}`).toBeGreaterThanOrEqual(0)
        expect(t.right, `"${t.text}" at width ${width}`).toBeLessThanOrEqual(width)
      }
      // The month labels under the axis do not run into each other.
      const months = textExtents(svg).filter((t) => /^[A-Z][a-z]{2} \d{4}$/.test(t.text)).sort((a, b) => a.left - b.left)
      for (let i = 1; i < months.length; i++) expect(months[i].left, `"${months[i - 1].text}" and "${months[i].text}" at width ${width}`).toBeGreaterThan(months[i - 1].right)
    }
  })

  it('spaces the month labels evenly, the last month included, on the line chart and the control chart', () => {
    for (const length of [13, 15, 24, 36]) {
      const points = Array.from({ length }, (_, i) => ({ label: shortLabel(addMonths('2024-04-01', i), 'month'), value: 100 + (i % 5) }))
      const line = renderChart(points, { id: 'c4', title: 'Drug offences', description: 'A line chart' })
      const control = renderControlChart(points, xmr(points.map((p) => p.value)), { id: 'c5', title: 'Drug offences', description: 'A control chart', polarity: 'up_bad' })
      for (const [name, svg] of [['line', line], ['control', control]]) {
        const labelled = textExtents(svg)
          .filter((t) => /^[A-Z][a-z]{2} \d{4}$/.test(t.text))
          .map((t) => points.findIndex((p) => p.label === t.text))
        expect(labelled.at(-1), `${name} chart of ${length}`).toBe(length - 1)
        const gaps = new Set(labelled.slice(1).map((i, k) => i - labelled[k]))
        expect([...gaps], `${name} chart of ${length}: labels at ${labelled.join(', ')}`).toHaveLength(1)
      }
    }
  })

  it('marks the axis of a count in whole numbers only', () => {
    const svg = renderChart([{ label: 'Jan', value: 1 }, { label: 'Feb', value: 2 }, { label: 'Mar', value: 0 }], { id: 'c3', title: 'Closures', description: 'A line chart', wholeNumbers: true })
    const ticks = [...svg.matchAll(/class="lantern-chart__tick" x="48"[^>]*>([^<]*)</g)].map((m) => m[1])
    expect(ticks).toEqual(['0', '1', '2'])
  })
})

describe('police.uk rows', () => {
  it('takes the local authority from the LSOA name, multi-word names included', () => {
    expect(localAuthorityOf('Plymouth 029C')).toBe('Plymouth')
    expect(localAuthorityOf('Isles of Scilly 001A')).toBe('Isles of Scilly')
    expect(localAuthorityOf('North Devon 012B')).toBe('North Devon')
    expect(localAuthorityOf('Plymouth')).toBeNull()
    expect(provisionalCode('Devon & Cornwall Police', 'force')).toBe('FORCE-DEVON-AND-CORNWALL-POLICE')
  })

  it('accepts an anti-social behaviour row with no Crime ID or location, and names what is wrong with a bad one', () => {
    const ok = checkRow(['', '2019-05', 'Devon & Cornwall Police', 'Devon & Cornwall Police', '', '', 'No Location', '', '', 'Anti-social behaviour', '', ''])
    expect(ok).toMatchObject({ month: '2019-05-01', crimeId: null, localAuthority: null, longitude: null })
    expect(checkRow(['x', '2019-05', 'P', 'P', '200', '50', 'L', 'E01018936', 'Cornwall 001A', 'Drugs', '', ''])).toBe('Longitude "200" is not a number between -180 and 180')
    expect(checkRow(['x', '2019-05', 'P', 'P', '-4', '50', 'L', 'E01018936', 'Cornwall', 'Drugs', '', ''])).toBe('LSOA name "Cornwall" does not end with a code like 029C')
    expect(checkRow(['x', '2019-05'])).toBe('expected 12 columns, found 2')
  })
})

describe('reading CSV records', () => {
  const read = async (text: string, chunk = 7) => {
    const { Readable } = await import('node:stream')
    const { csvRecords } = await import('./police-uk/csv-records.ts')
    const parts: Buffer[] = []
    const buffer = Buffer.from(text)
    for (let i = 0; i < buffer.length; i += chunk) parts.push(buffer.subarray(i, i + chunk))
    const out: { record: string[]; line: number }[] = []
    for await (const r of csvRecords(Readable.from(parts))) out.push({ record: r.record, line: r.line })
    return out
  }

  it('splits CRLF and LF lines, skips blank lines and a byte order mark, and numbers lines', async () => {
    expect(await read('\uFEFFa,b\r\n1,2\r\n\r\n,3\n')).toEqual([
      { record: ['a', 'b'], line: 1 },
      { record: ['1', '2'], line: 2 },
      { record: ['', '3'], line: 4 },
    ])
  })

  it('reads quoted fields with commas, doubled quotes and line breaks, by RFC 4180', async () => {
    expect(await read('a,"On or near ""The Quay"", Plymouth",c\n"x\ny",z\nlast,one')).toEqual([
      { record: ['a', 'On or near "The Quay", Plymouth', 'c'], line: 1 },
      { record: ['x\ny', 'z'], line: 2 },
      { record: ['last', 'one'], line: 4 },
    ])
  })

  it('keeps a character split between two chunks', async () => {
    expect(await read('a,Café Néro,£5\n', 5)).toEqual([{ record: ['a', 'Café Néro', '£5'], line: 1 }])
  })

  it('marks every record read from text holding a control character, wherever the chunks split it, for checkRow to look closer', async () => {
    const { Readable } = await import('node:stream')
    const { csvRecords } = await import('./police-uk/csv-records.ts')
    const suspects = async (parts: string[]) => {
      const out: boolean[] = []
      for await (const r of csvRecords(Readable.from(parts.map((p) => Buffer.from(p))))) out.push(r.suspect)
      return out
    }
    expect(await suspects(['a,b\nc,d\n', 'e,f\n'])).toEqual([false, false, false])
    // The NUL arrives in the second chunk, the line it ends began in the first.
    expect((await suspects(['a,b\nc,', 'd\u0000\ne,f\n']))[1]).toBe(true)
    expect((await suspects(['a,"c\n', 'd\u0007",e\n']))[0]).toBe(true)
    expect(await suspects(['a,b\nc,d\u0000'])).toEqual([true, true])
    const cells = ['x', '2019-05', 'P', 'P', '-4', '50', 'On or near\u0000', 'E01018936', 'Cornwall 001A', 'Drugs', '', '']
    expect(checkRow(cells)).toMatch(/^column 7 \(Location\) holds a NUL byte \(U\+0000\)/)
  })

  it('gives the records before a malformed quote in the same chunk before reporting it, so their problems are reported too', async () => {
    const { Readable } = await import('node:stream')
    const { csvRecords } = await import('./police-uk/csv-records.ts')
    const seen: number[] = []
    const reading = (async () => {
      for await (const r of csvRecords(Readable.from([Buffer.from('a,b\nc,d\n"e"x,f\ng,h\n')]))) seen.push(r.line)
    })()
    await expect(reading).rejects.toMatchObject({ line: 3, message: 'a quoted field is followed by text before the next comma' })
    expect(seen).toEqual([1, 2])
  })

  it('reports an unclosed quote with the line it starts on', async () => {
    await expect(read('a,b\n"open,c\nd,e\n')).rejects.toMatchObject({ line: 2, message: 'a quoted field is not closed before the end of the file' })
  })
})
