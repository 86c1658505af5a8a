/**
 * Which past periods form the baseline of period `t`, and the seasonal level of each.
 *
 * Farrington et al. (1996): the windows of 2w+1 periods centred on the same period in each of
 * the b previous years. Noufaily et al. (2013): every period from the start of the oldest window
 * up to the excluded recent past, with a factor of `noPeriods` levels: level 0 for the windows,
 * and the stretch between two consecutive windows cut into `noPeriods - 1` consecutive parts.
 */

export interface BaselineSpec {
  frequency: number
  b: number
  w: number
  noPeriods: number
  pastWeeksNotIncluded: number
}

export interface Baseline {
  /** Positions in the series, oldest first. */
  positions: number[]
  /** Seasonal level of each position (0 is the window level); all 0 when noPeriods is 1. */
  levels: number[]
}

/** The earliest position the baseline of `t` reaches back to; negative means not enough history. */
export function baselineStart(t: number, spec: BaselineSpec): number {
  return t - spec.b * spec.frequency - spec.w
}

/**
 * Seasonal levels along the stretch between two windows, oldest first: index g is the period g
 * steps after the end of the older window. The `gapLength` periods are cut into `parts`
 * consecutive parts, the first `gapLength % parts` of them one period longer.
 *
 * When the stretch is shorter than the number of parts, some parts are empty. R 1.20.3 (the
 * oracle) then gives each empty part the period where it would start and the one before it, so
 * the last part ends up holding the last period of the stretch and the first period of the next
 * window (index `gapLength`). Reproducing this is what makes monthly series with 10 levels match.
 */
export function gapLevels(gapLength: number, parts: number): readonly (number | undefined)[] {
  const key = `${gapLength}/${parts}`
  let table = gapTables.get(key)
  if (!table) {
    table = buildGapLevels(gapLength, parts)
    gapTables.set(key, table)
  }
  return table
}
const gapTables = new Map<string, readonly (number | undefined)[]>()

function buildGapLevels(gapLength: number, parts: number): (number | undefined)[] {
  const table = new Array<number | undefined>(gapLength + 1).fill(undefined)
  const short = Math.floor(gapLength / parts)
  const longer = gapLength % parts
  let start = 0
  for (let part = 1; part <= parts; part++) {
    const length = part <= longer ? short + 1 : short
    const positions = length > 0 ? Array.from({ length }, (_, i) => start + i) : [start, start - 1]
    for (const g of positions) if (g >= 0 && g <= gapLength) table[g] = part
    start += length
  }
  return table
}

function isInWindow(back: number, { frequency, w }: BaselineSpec): boolean {
  const phase = back % frequency
  return phase <= w || phase >= frequency - w
}

/** Seasonal level of a position `back` periods before t (0 = the windows), given the gap's level table. */
function seasonalLevel(back: number, spec: BaselineSpec, table: readonly (number | undefined)[]): number {
  const { frequency, w, noPeriods } = spec
  if (noPeriods === 1) return 0
  const phase = back % frequency
  const gapLength = frequency - 2 * w - 1
  // The oldest period of a window, unless it starts the baseline, may belong to the stretch before it.
  if (phase === w && back < spec.b * frequency + w && table[gapLength] !== undefined) return table[gapLength]
  if (isInWindow(back, spec)) return 0
  return table[frequency - w - 1 - phase] as number
}

export function selectBaseline(t: number, spec: BaselineSpec): Baseline {
  const positions: number[] = []
  const levels: number[] = []
  const last = t - spec.pastWeeksNotIncluded - 1
  const table = gapLevels(spec.frequency - 2 * spec.w - 1, Math.max(1, spec.noPeriods - 1))
  for (let k = baselineStart(t, spec); k <= last; k++) {
    const back = t - k
    const level = seasonalLevel(back, spec, table)
    // The current year's window counts too, for the periods that are not left out as too recent.
    if (spec.noPeriods === 1 && !isInWindow(back, spec)) continue
    positions.push(k)
    levels.push(level)
  }
  return { positions, levels }
}
