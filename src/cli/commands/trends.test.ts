import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { UserError } from '../errors.ts'
import { farringtonFromFile, farringtonSeriesFromFile, optionsFromFlags, parseSeriesCsv, parseSeriesSetCsv, resultsJson, resultsTable } from '../farrington.ts'

const SHARED = path.join('..', 'shared', 'data', 'trends')
const DRUGS = path.join(SHARED, 'drugs-monthly-improved-series.csv')
const IMPROVED_FLAGS = ['--b', '4', '--w', '2', '--no-periods', '10', '--past-excluded', '2', '--threshold-method', 'nbPlugin']

function userError(action: () => unknown): string {
  try {
    action()
  } catch (err) {
    if (err instanceof UserError) return err.message
    throw err
  }
  throw new Error('no error')
}

describe('parseSeriesCsv', () => {
  it('reads period,count with CRLF, a BOM, quotes and blank lines', () => {
    const rows = parseSeriesCsv('\ufeffperiod,count\r\n2024-01,3\r\n\r\n"2024-02",4\n', 'x.csv')
    expect(rows).toEqual([
      { period: '2024-01', count: 3 },
      { period: '2024-02', count: 4 },
    ])
  })

  it('names the file and line of each mistake', () => {
    expect(userError(() => parseSeriesCsv('month,count\n2024-01,3\n', 's.csv'))).toBe('s.csv line 1: no "period" column (the header must name period and count)')
    expect(userError(() => parseSeriesCsv('period,n\n2024-01,3\n', 's.csv'))).toBe('s.csv line 1: no "count" column (the header must name period and count)')
    expect(userError(() => parseSeriesCsv('period,count\n2024-01,3\n2024-02,three\n', 's.csv'))).toBe('s.csv line 3: count "three" is not a whole number of at least 0')
    expect(userError(() => parseSeriesCsv('period,count\n2024-01,3\n2024-02,-1\n', 's.csv'))).toMatch(/^s\.csv line 3: count "-1"/)
    expect(userError(() => parseSeriesCsv('period,count\n2024-01,3\n\n2024-13,1\n', 's.csv'))).toBe(
      's.csv line 4: period "2024-13" is neither YYYY-MM nor YYYY-Www (weeks 01 to 52)',
    )
    expect(userError(() => parseSeriesCsv('period,count\n2024-01,3\n2024-02,3\n2024-04,1\n', 's.csv'))).toBe(
      's.csv line 4: gap in the series: expected 2024-03, found 2024-04',
    )
    expect(userError(() => parseSeriesCsv('period,count\n2024-01,3,7\n', 's.csv'))).toMatch(/^s\.csv: Invalid Record Length.*line 2/)
    expect(userError(() => parseSeriesCsv('period,count\n', 's.csv'))).toMatch(/^s\.csv: no rows/)
  })
})

/** The shared drugs series as a long CSV under two names, the second's rows interleaved with the first's. */
function twoSeriesCsv(): string {
  const rows = readFileSync(DRUGS, 'utf8').trim().split('\n').slice(1)
  return ['series,period,count', ...rows.flatMap((row) => [`north,${row}`, `"south, coast",${row}`])].join('\n') + '\n'
}

describe('parseSeriesSetCsv', () => {
  it('splits a long CSV by its series column, in order of first appearance, whatever the interleaving', () => {
    const sets = parseSeriesSetCsv('series,period,count\nb,2024-01,1\na,2024-01,5\nb,2024-02,2\na,2024-02,6\n', 'x.csv')
    expect(sets).toEqual([
      { series: 'b', observations: [{ period: '2024-01', count: 1 }, { period: '2024-02', count: 2 }] },
      { series: 'a', observations: [{ period: '2024-01', count: 5 }, { period: '2024-02', count: 6 }] },
    ])
    expect(parseSeriesSetCsv('period,count\n2024-01,3\n', 'x.csv')).toEqual([{ series: null, observations: [{ period: '2024-01', count: 3 }] }])
  })

  it('names the file line (not the line within the series) and the series of a mistake', () => {
    const text = 'series,period,count\na,2024-01,1\nb,2024-01,1\na,2024-02,1\nb,2024-03,1\n'
    expect(userError(() => parseSeriesSetCsv(text, 'long.csv'))).toBe('long.csv line 5: series "b": gap in the series: expected 2024-02, found 2024-03')
    expect(userError(() => parseSeriesSetCsv('series,period,count\na,2024-01,1\n,2024-02,1\n', 'long.csv'))).toMatch(/^long\.csv line 3: the series is empty/)
    expect(userError(() => parseSeriesSetCsv('series,period,count\na,2024-01,1\na,2024-02,x\n', 'long.csv'))).toBe('long.csv line 3: count "x" is not a whole number of at least 0')
    expect(userError(() => parseSeriesSetCsv('series,period\na,2024-01\n', 'long.csv'))).toMatch(/^long\.csv line 1: no "count" column/)
  })

  it('a one-series reader refuses a file of several series rather than mixing them', () => {
    expect(userError(() => parseSeriesCsv('series,period,count\na,2024-01,1\nb,2024-01,1\n', 's.csv'))).toBe('s.csv: 2 series where one was expected')
  })
})

describe('optionsFromFlags', () => {
  it('maps the flags to the controls of R', () => {
    expect(
      optionsFromFlags({
        input: 'x',
        method: 'original',
        b: '4',
        w: '2',
        periods: '10',
        pastExcluded: '2',
        thresholdMethod: 'nbPlugin',
        weightsThreshold: '2.58',
        pThresholdTrend: '1',
        alpha: '0.05',
        limit54: '5,4',
        reweight: false,
        trend: true,
        rangeStart: '2016-04',
      }),
    ).toMatchObject({
      method: 'original',
      b: 4,
      w: 2,
      noPeriods: 10,
      pastWeeksNotIncluded: 2,
      thresholdMethod: 'nbPlugin',
      weightsThreshold: 2.58,
      pThresholdTrend: 1,
      alpha: 0.05,
      limit54: [5, 4],
      reweight: false,
      trend: undefined,
      from: '2016-04',
    })
    expect(optionsFromFlags({ input: 'x', periods: true }).noPeriods).toBeUndefined()
  })

  it('refuses flags that are not numbers or not among the choices', () => {
    expect(userError(() => optionsFromFlags({ input: 'x', b: 'four' }))).toBe('--b must be a whole number (got "four")')
    expect(userError(() => optionsFromFlags({ input: 'x', alpha: '' }))).toBe('--alpha must be a number (got "")')
    expect(userError(() => optionsFromFlags({ input: 'x', thresholdMethod: 'nb' }))).toBe('--threshold-method must be one of delta, nbPlugin, muan (got "nb")')
    expect(userError(() => optionsFromFlags({ input: 'x', limit54: '5' }))).toMatch(/--limit54 must be CASES,PERIODS/)
  })
})

describe('farringtonFromFile', () => {
  it('gives R results on the shared drugs series', async () => {
    const results = await farringtonFromFile({ input: DRUGS, b: '4', w: '2', periods: '10', pastExcluded: '2', thresholdMethod: 'nbPlugin', rangeStart: '2016-04' })
    const r = readFileSync(path.join(SHARED, 'drugs-monthly-improved-farrington.csv'), 'utf8').trim().split('\n').slice(1)
    expect(results).toHaveLength(r.length)
    results.forEach((ours, i) => {
      const [period, count, expected, upperbound, alarm] = r[i].split(',')
      expect([ours.period, ours.count, ours.upperbound, ours.alarm]).toEqual([period, Number(count), Number(upperbound), alarm === '1'])
      expect(Math.abs(ours.expected! / Number(expected) - 1)).toBeLessThan(1e-3)
    })
    expect(resultsTable(results).split('\n')[0]).toBe('period   count  expected  upperbound  alarm')
    expect(JSON.parse(resultsJson(results))[4]).toEqual({ period: '2016-08', count: 106, expected: results[4].expected, upperbound: 97, alarm: true })
  })

  it('turns impossible requests into one-line errors', async () => {
    await expect(farringtonFromFile({ input: 'no/such.csv' })).rejects.toThrow(new UserError('cannot read no/such.csv: ENOENT'))
    await expect(farringtonFromFile({ input: DRUGS, rangeStart: '2012-01' })).rejects.toThrow(/first period that can be assessed is 2016-06/)
    await expect(farringtonFromFile({ input: DRUGS, w: '6' })).rejects.toThrow(UserError)
  })
})

describe('farringtonSeriesFromFile', () => {
  it('gives each series of a long CSV the result it gets alone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lantern-trends-'))
    const file = path.join(dir, 'long.csv')
    writeFileSync(file, twoSeriesCsv())
    const flags = { b: '4', w: '2', periods: '10', pastExcluded: '2', thresholdMethod: 'nbPlugin', rangeStart: '2016-04' }
    const alone = await farringtonFromFile({ input: DRUGS, ...flags })
    const sets = await farringtonSeriesFromFile({ input: file, ...flags })
    expect(sets.map((s) => s.series)).toEqual(['north', 'south, coast'])
    for (const { results } of sets) expect(results).toEqual(alone)
  })

  it('fails whole, naming the series, when one series cannot be assessed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lantern-trends-'))
    const file = path.join(dir, 'short.csv')
    writeFileSync(file, twoSeriesCsv() + 'tiny,2024-01,3\ntiny,2024-02,4\n')
    await expect(farringtonSeriesFromFile({ input: file })).rejects.toThrow(new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}: series "tiny": the series has 2 periods`))
  })
})

describe('lantern trends farrington (spawned)', () => {
  const run = promisify(execFile)
  const cli = (args: string[]) => run(process.execPath, ['bin/lantern.js', 'trends', 'farrington', ...args])

  it('prints one JSON object per period', async () => {
    const { stdout } = await cli(['--input', DRUGS, ...IMPROVED_FLAGS, '--range-start', '2021-01', '--json'])
    const rows = JSON.parse(stdout)
    expect(rows.map((r: { period: string }) => r.period)).toEqual(['2021-01', '2021-02', '2021-03'])
    expect(Object.keys(rows[0])).toEqual(['period', 'count', 'expected', 'upperbound', 'alarm'])
  })

  it('with a series column prints one JSON line per series and period, in one call', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lantern-trends-'))
    const file = path.join(dir, 'long.csv')
    writeFileSync(file, twoSeriesCsv())
    const { stdout } = await cli(['--input', file, ...IMPROVED_FLAGS, '--range-start', '2021-01', '--json'])
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line))
    expect(lines.map((r) => `${r.series} ${r.period}`)).toEqual(['north 2021-01', 'north 2021-02', 'north 2021-03', 'south, coast 2021-01', 'south, coast 2021-02', 'south, coast 2021-03'])
    expect(Object.keys(lines[0])).toEqual(['series', 'period', 'count', 'expected', 'upperbound', 'alarm'])
    expect(lines[3]).toEqual({ ...lines[0], series: 'south, coast' })
  })

  it('exits 1 with one line naming the line of a gap', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lantern-trends-'))
    const file = path.join(dir, 'gap.csv')
    writeFileSync(file, 'period,count\n2024-01,3\n2024-03,4\n')
    const failure = await cli(['--input', file]).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    )
    expect(failure?.code).toBe(1)
    expect(failure?.stderr).toBe(`lantern: ${file} line 3: gap in the series: expected 2024-02, found 2024-03\n`)
  })
})
