// The `lantern trends farrington` command's work, loaded when the command runs (not when `lantern`
// starts: the parser and the trends library cost more than the rest of start-up).
import { parse } from 'csv-parse/sync'
import { readFile } from 'node:fs/promises'
import {
  farrington,
  SeriesError,
  toCountSeries,
  type FarringtonOptions,
  type FarringtonResult,
  type Observation,
  type PowerTransform,
  type ThresholdMethod,
} from '../analytics/trends/index.ts'
import { UserError } from './errors.ts'

export interface FarringtonCliOptions {
  input: string
  method?: string
  b?: string
  w?: string
  /** `--no-periods N` (true when absent: see the option's comment). */
  periods?: string | boolean
  pastExcluded?: string
  thresholdMethod?: string
  weightsThreshold?: string
  pThresholdTrend?: string
  alpha?: string
  powertrans?: string
  limit54?: string
  reweight?: boolean
  trend?: boolean
  rangeStart?: string
  rangeEnd?: string
  json?: boolean
}

/** One series of a CSV: its name from the series column (null when the file has none) and its rows. */
export interface NamedSeries {
  series: string | null
  observations: Observation[]
}

/**
 * A CSV of period,count rows, or a long CSV of series,period,count rows holding many series (each
 * series' rows oldest first; series may be interleaved), checked; errors name the file and line.
 */
export function parseSeriesSetCsv(text: string, file: string): NamedSeries[] {
  let rows: { record: Record<string, string>; info: { lines: number } }[]
  try {
    rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true, info: true })
  } catch (err) {
    throw new UserError(`${file}: ${(err as Error).message}`)
  }
  if (rows.length === 0) throw new UserError(`${file}: no rows (expected a header period,count and one row per period)`)
  for (const column of ['period', 'count']) {
    if (!(column in rows[0].record)) throw new UserError(`${file} line 1: no "${column}" column (the header must name period and count)`)
  }
  const named = 'series' in rows[0].record
  const groups = new Map<string | null, { observations: Observation[]; lines: number[] }>()
  for (const { record, info } of rows) {
    const count = record.count
    if (!/^\d+$/.test(count)) throw new UserError(`${file} line ${info.lines}: count "${count}" is not a whole number of at least 0`)
    const series = named ? record.series : null
    if (series === '') throw new UserError(`${file} line ${info.lines}: the series is empty (every row of a file with a series column names its series)`)
    let group = groups.get(series)
    if (!group) groups.set(series, (group = { observations: [], lines: [] }))
    group.observations.push({ period: record.period, count: Number(count) })
    group.lines.push(info.lines)
  }
  return [...groups].map(([series, { observations, lines }]) => {
    try {
      toCountSeries(observations)
    } catch (err) {
      if (err instanceof SeriesError) throw new UserError(`${file} line ${lines[err.row]}: ${series === null ? '' : `series "${series}": `}${err.message}`)
      throw err
    }
    return { series, observations }
  })
}

/** A CSV of period,count rows (one series), checked; errors name the file and line. */
export function parseSeriesCsv(text: string, file: string): Observation[] {
  const [only, ...more] = parseSeriesSetCsv(text, file)
  if (more.length > 0) throw new UserError(`${file}: ${more.length + 1} series where one was expected`)
  return only.observations
}

function numberFlag(flag: string, value: string | undefined, integer = false): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UserError(`${flag} must be ${integer ? 'a whole number' : 'a number'} (got "${value}")`)
  }
  return n
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!allowed.includes(value as T)) throw new UserError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`)
  return value as T
}

/** The library's options from the command line's flags. */
export function optionsFromFlags(flags: FarringtonCliOptions): FarringtonOptions {
  let limit54: [number, number] | undefined
  if (flags.limit54 !== undefined) {
    const parts = flags.limit54.split(',')
    if (parts.length !== 2) throw new UserError(`--limit54 must be CASES,PERIODS such as 5,4 (got "${flags.limit54}")`)
    limit54 = [numberFlag('--limit54 cases', parts[0], true)!, numberFlag('--limit54 periods', parts[1], true)!]
  }
  return {
    method: oneOf('--method', flags.method, ['original', 'improved'] as const),
    b: numberFlag('--b', flags.b, true),
    w: numberFlag('--w', flags.w, true),
    noPeriods: numberFlag('--no-periods', typeof flags.periods === 'string' ? flags.periods : undefined, true),
    pastWeeksNotIncluded: numberFlag('--past-excluded', flags.pastExcluded, true),
    thresholdMethod: oneOf<ThresholdMethod>('--threshold-method', flags.thresholdMethod, ['delta', 'nbPlugin', 'muan']),
    weightsThreshold: numberFlag('--weights-threshold', flags.weightsThreshold),
    pThresholdTrend: numberFlag('--p-threshold-trend', flags.pThresholdTrend),
    alpha: numberFlag('--alpha', flags.alpha),
    powertrans: oneOf<PowerTransform>('--powertrans', flags.powertrans, ['2/3', '1/2', 'none']),
    limit54,
    reweight: flags.reweight === false ? false : undefined,
    trend: flags.trend === false ? false : undefined,
    from: flags.rangeStart,
    to: flags.rangeEnd,
  }
}

/** Reads a one-series file and runs the method; every problem a user can fix becomes a one-line UserError. */
export async function farringtonFromFile(flags: FarringtonCliOptions): Promise<FarringtonResult[]> {
  const [only, ...more] = await farringtonSeriesFromFile(flags)
  if (more.length > 0) throw new UserError(`${flags.input}: ${more.length + 1} series where one was expected`)
  return only.results
}

export interface SeriesResults {
  series: string | null
  results: FarringtonResult[]
}

/**
 * Reads a file of one series or many (a series column) and runs the method on each with the same
 * controls. Every series is checked and assessed before anything is printed, so a mistake in the
 * last series gives an error, not half an answer.
 */
export async function farringtonSeriesFromFile(flags: FarringtonCliOptions): Promise<SeriesResults[]> {
  let text: string
  try {
    text = await readFile(flags.input, 'utf8')
  } catch (err) {
    throw new UserError(`cannot read ${flags.input}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  const sets = parseSeriesSetCsv(text, flags.input)
  const options = optionsFromFlags(flags)
  return sets.map(({ series, observations }) => {
    try {
      return { series, results: farrington(observations, options) }
    } catch (err) {
      if (err instanceof RangeError) throw new UserError(series === null ? err.message : `${flags.input}: series "${series}": ${err.message}`)
      throw err
    }
  })
}

export function resultsJson(results: FarringtonResult[]): string {
  const lines = results.map(({ period, count, expected, upperbound, alarm }) => JSON.stringify({ period, count, expected, upperbound, alarm }))
  return `[\n${lines.join(',\n')}\n]\n`
}

/** JSON lines: one object per series and period, `{"series", "period", "count", "expected", "upperbound", "alarm"}`. */
export function seriesJsonLines(sets: SeriesResults[]): string {
  const lines = sets.flatMap(({ series, results }) =>
    results.map(({ period, count, expected, upperbound, alarm }) => JSON.stringify({ series, period, count, expected, upperbound, alarm })),
  )
  return lines.join('\n') + '\n'
}

function formatNumber(value: number | null): string {
  if (value === null) return '-'
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}

export function resultsTable(results: FarringtonResult[]): string {
  const header = ['period', 'count', 'expected', 'upperbound', 'alarm']
  const rows = results.map((r) => [r.period, String(r.count), formatNumber(r.expected), formatNumber(r.upperbound), r.alarm ? 'ALARM' : ''])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()
  const alarms = results.filter((r) => r.alarm).length
  const held = results.filter((r) => r.expected === null).length
  const notes = [`${alarms} alarm(s) in ${results.length} period(s).`]
  if (held) notes.push(`"-": too few recent cases to assess (the limit54 rule), ${held} period(s).`)
  return [line(header), ...rows.map(line), '', ...notes, ''].join('\n')
}
