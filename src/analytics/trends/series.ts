import { formatPeriod, parsePeriod, type Frequency } from './periods.ts'

/** One count of a monthly or weekly series. */
export interface Observation {
  period: string
  count: number
}

/** A checked series: consecutive periods of one frequency, non-negative integer counts. */
export interface CountSeries {
  frequency: Frequency
  /** Index (see `parsePeriod`) of the first period. */
  startIndex: number
  counts: number[]
}

/** A series that cannot be analysed; `row` is the 0-based position of the offending observation. */
export class SeriesError extends Error {
  constructor(
    message: string,
    readonly row: number,
  ) {
    super(message)
  }
}

/** Checks the observations (in order) and returns them as a count series; throws `SeriesError`. */
export function toCountSeries(observations: readonly Observation[]): CountSeries {
  if (observations.length === 0) throw new SeriesError('the series is empty', 0)
  let frequency: Frequency | undefined
  let startIndex = 0
  const counts: number[] = []
  observations.forEach((obs, row) => {
    const parsed = parsePeriod(obs.period)
    if (!parsed) throw new SeriesError(`period "${obs.period}" is neither YYYY-MM nor YYYY-Www (weeks 01 to 52)`, row)
    if (frequency === undefined) {
      frequency = parsed.frequency
      startIndex = parsed.index
    } else if (parsed.frequency !== frequency) {
      throw new SeriesError(`period "${obs.period}" mixes weeks and months`, row)
    } else {
      const expected = startIndex + row
      if (parsed.index !== expected) {
        const wanted = formatPeriod(expected, frequency)
        throw new SeriesError(
          parsed.index > expected
            ? `gap in the series: expected ${wanted}, found ${obs.period}`
            : `period ${obs.period} is out of order or repeated (expected ${wanted})`,
          row,
        )
      }
    }
    if (!Number.isInteger(obs.count) || obs.count < 0) {
      throw new SeriesError(`count "${obs.count}" for ${obs.period} is not a non-negative whole number`, row)
    }
    counts.push(obs.count)
  })
  return { frequency: frequency as Frequency, startIndex, counts }
}

export function periodLabel(series: CountSeries, position: number): string {
  return formatPeriod(series.startIndex + position, series.frequency)
}
