import type { EncodedColumn, EncodedData } from './dataset.ts'
import {
  editDistanceAtMost,
  dateParts,
  doubleMetaphoneCodes,
  jaroWinklerSimilarity,
  phoneticMatch,
  postcodeParts,
} from './measures.ts'
import type { ComparisonSpec, LevelSpec } from './settings.ts'

/** A human label for a level, as shown in the waterfall table. */
export function levelLabel(level: LevelSpec): string {
  switch (level.type) {
    case 'null':
      return 'missing on either side'
    case 'exact':
      return level.termFrequency ? 'exact match (adjusted for how common the value is)' : 'exact match'
    case 'exactOtherColumn':
      return level.termFrequency ? `swapped with ${level.column} (adjusted for how common the value is)` : `swapped with ${level.column}`
    case 'jaroWinkler':
      return `Jaro-Winkler similarity ≥ ${level.threshold}`
    case 'damerauLevenshtein':
      return `within ${level.maxDistance} edit${level.maxDistance === 1 ? '' : 's'} (Damerau-Levenshtein)`
    case 'doubleMetaphone':
      return 'sounds alike (Double Metaphone)'
    case 'dateTransposed':
      return 'day and month transposed'
    case 'sameYear':
      return 'same year'
    case 'postcodeSector':
      return 'same postcode sector'
    case 'postcodeDistrict':
      return 'same postcode district'
    case 'postcodeArea':
      return 'same postcode area'
    case 'else':
      return 'all other'
  }
}

/** Tests on two value ids (both present); every one is symmetric, which the memo relies on. */
type ValueTest = (a: number, b: number) => boolean
/** Tests that need the whole records (another column). */
type RecordTest = (i: number, j: number) => boolean

type Test = { readonly on: 'value'; readonly test: ValueTest } | { readonly on: 'record'; readonly test: RecordTest }

/**
 * Several levels of one comparison often use the same measure at different thresholds (Jaro-Winkler
 * at 0.92 and 0.8): the measure is computed once per pair and the thresholds read the result.
 */
interface Measures {
  /** Whether the Jaro-Winkler similarity reaches t. */
  jaroWinklerAtLeast(a: number, b: number, t: number): boolean
  /** Damerau-Levenshtein distance, exact up to the comparison's largest threshold (else Infinity). */
  editDistance(a: number, b: number): number
}

const BUCKETS = 37
/** Buckets 0-31 are tracked in a value's mask; the rest (w-z and other characters) only in counts. */
const MASKED = 32

/** Characters counted in buckets: 0-9, a-z, then everything else in one. */
function characterCounts(value: string): Uint8Array {
  const counts = new Uint8Array(BUCKETS)
  for (let k = 0; k < value.length; k++) {
    const code = value.charCodeAt(k)
    const bucket = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 122 ? code - 87 : 36
    if (counts[bucket] < 255) counts[bucket]++
  }
  return counts
}

/** Which of the first 32 buckets a value uses, as bits. */
function characterMask(counts: Uint8Array): number {
  let mask = 0
  for (let k = 0; k < MASKED; k++) if (counts[k] > 0) mask |= 1 << k
  return mask
}

function bitCount(n: number): number {
  n -= (n >>> 1) & 0x55555555
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333)
  return (Math.imul((n + (n >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff
}

/**
 * Upper bounds of the Jaro-Winkler similarity, from the characters two values can share (Jaro
 * matches are shared characters) and their common prefix; most pairs of different names fall
 * below every threshold on a bound alone, and talisman's measure is then not needed. The coarse
 * bound reads only bucket masks (a bucket one value uses and the other does not takes at least one
 * character out of what they can share); the fine one counts characters.
 */
function winklerBoost(x: string, y: string, jaro: number): number {
  const limit = Math.min(x.length, y.length, 4)
  let prefix = 0
  while (prefix < limit && x[prefix] === y[prefix]) prefix++
  return jaro + prefix * 0.1 * (1 - jaro)
}

function coarseJaroWinklerBound(x: string, y: string, mx: number, my: number): number {
  const shared = Math.min(x.length - bitCount(mx & ~my), y.length - bitCount(my & ~mx))
  return shared <= 0 ? 0 : winklerBoost(x, y, (shared / x.length + shared / y.length + 1) / 3)
}

function fineJaroWinklerBound(x: string, y: string, mx: number, my: number, cx: Uint8Array, cy: Uint8Array): number {
  let shared = 0
  let bits = mx & my
  while (bits !== 0) {
    const low = bits & -bits
    const k = 31 - Math.clz32(low)
    shared += cx[k] < cy[k] ? cx[k] : cy[k]
    bits ^= low
  }
  for (let k = MASKED; k < BUCKETS; k++) shared += cx[k] < cy[k] ? cx[k] : cy[k]
  return shared === 0 ? 0 : winklerBoost(x, y, (shared / x.length + shared / y.length + 1) / 3)
}

/**
 * A lower bound of the Damerau-Levenshtein distance: an insertion or deletion changes the
 * character counts by one, a substitution by two, a transposition not at all.
 */
function editDistanceBound(mx: number, my: number, counts: (id: number) => Uint8Array, x: number, y: number, max: number): number {
  const coarse = Math.ceil(bitCount(mx ^ my) / 2)
  if (coarse > max) return coarse
  const a = counts(x)
  const b = counts(y)
  let difference = 0
  let bits = mx | my
  while (bits !== 0) {
    const low = bits & -bits
    const k = 31 - Math.clz32(low)
    difference += a[k] > b[k] ? a[k] - b[k] : b[k] - a[k]
    bits ^= low
  }
  for (let k = MASKED; k < BUCKETS; k++) difference += a[k] > b[k] ? a[k] - b[k] : b[k] - a[k]
  return Math.ceil(difference / 2)
}

function lastPairMeasures(column: EncodedColumn, levels: readonly LevelSpec[]): Measures {
  const values = column.values
  const counts = column.feature('characterCounts', characterCounts)
  const masks = column.feature('characterMask', (v) => characterMask(characterCounts(v)))
  const maxEdits = Math.max(0, ...levels.map((l) => (l.type === 'damerauLevenshtein' ? l.maxDistance : 0)))
  // Keyed by the strings, not the ids: a query's value ids are reused from one query to the next.
  let jwA = ''
  let jwB = ''
  let coarse = 0
  let fine = -1
  let jw = -1
  let dlA = ''
  let dlB = ''
  let dl = 0
  return {
    jaroWinklerAtLeast(a, b, t) {
      const x = values[a]
      const y = values[b]
      if (x !== jwA || y !== jwB) {
        jwA = x
        jwB = y
        coarse = coarseJaroWinklerBound(x, y, masks(a), masks(b))
        fine = -1
        jw = -1
      }
      if (coarse < t) return false
      if (fine < 0) fine = fineJaroWinklerBound(x, y, masks(a), masks(b), counts(a), counts(b))
      if (fine < t) return false
      if (jw < 0) jw = jaroWinklerSimilarity(x, y)
      return jw >= t
    },
    editDistance(a, b) {
      const x = values[a]
      const y = values[b]
      if (x !== dlA || y !== dlB) {
        dlA = x
        dlB = y
        dl = editDistanceBound(masks(a), masks(b), counts, a, b, maxEdits) > maxEdits ? Infinity : editDistanceAtMost(x, y, maxEdits)
      }
      return dl
    },
  }
}

/**
 * Levels of value pairs already seen, in a direct-mapped table: a new pair takes the slot of
 * whatever hashed there before, so memory stays fixed and recent pairs stay.
 */
class PairMemo {
  private readonly left: Int32Array
  private readonly right: Int32Array
  private readonly levels: Int8Array
  private readonly mask: number

  constructor(bits: number) {
    this.left = new Int32Array(1 << bits).fill(-1)
    this.right = new Int32Array(1 << bits)
    this.levels = new Int8Array(1 << bits)
    this.mask = (1 << bits) - 1
  }

  slot(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) & this.mask
  }

  get(slot: number, a: number, b: number): number {
    return this.left[slot] === a && this.right[slot] === b ? this.levels[slot] : -1
  }

  set(slot: number, a: number, b: number, level: number): void {
    this.left[slot] = a
    this.right[slot] = b
    this.levels[slot] = level
  }
}

function compileTest(level: LevelSpec, column: EncodedColumn, data: EncodedData, measures: Measures): Test | null {
  const values = column.values
  switch (level.type) {
    case 'null':
    case 'else':
      return null
    case 'exact':
      return { on: 'value', test: (a, b) => a === b }
    case 'exactOtherColumn': {
      const codes = column.codes
      const other = data.column(level.column)
      const otherCodes = other.codes
      const otherValues = other.values
      // Both ways round (a swap), not one: a forename that happens to equal the other record's
      // surname would otherwise count twice, once in each name's comparison.
      return {
        on: 'record',
        test: (i, j) => {
          const oi = otherCodes[i]
          const oj = otherCodes[j]
          return oi >= 0 && oj >= 0 && values[codes[i]] === otherValues[oj] && values[codes[j]] === otherValues[oi]
        },
      }
    }
    case 'jaroWinkler': {
      const t = level.threshold
      return { on: 'value', test: (a, b) => a === b || measures.jaroWinklerAtLeast(a, b, t) }
    }
    case 'damerauLevenshtein': {
      const max = level.maxDistance
      return { on: 'value', test: (a, b) => a === b || measures.editDistance(a, b) <= max }
    }
    case 'doubleMetaphone': {
      const codesOf = column.feature('doubleMetaphone', doubleMetaphoneCodes)
      return { on: 'value', test: (a, b) => a === b || phoneticMatch(codesOf(a), codesOf(b)) }
    }
    case 'dateTransposed': {
      const parts = column.feature('dateParts', dateParts)
      return {
        on: 'value',
        test: (a, b) => {
          const p = parts(a)
          const q = parts(b)
          return p !== null && q !== null && p.year === q.year && p.month === q.day && p.day === q.month && p.month !== p.day
        },
      }
    }
    case 'sameYear': {
      const parts = column.feature('dateParts', dateParts)
      return {
        on: 'value',
        test: (a, b) => {
          const p = parts(a)
          const q = parts(b)
          return p !== null && q !== null && p.year === q.year
        },
      }
    }
    case 'postcodeSector':
    case 'postcodeDistrict':
    case 'postcodeArea': {
      const parts = column.feature('postcodeParts', postcodeParts)
      const key = level.type === 'postcodeSector' ? 'sector' : level.type === 'postcodeDistrict' ? 'district' : 'area'
      return {
        on: 'value',
        test: (a, b) => {
          const p = parts(a)
          const q = parts(b)
          return p !== null && q !== null && p[key] === q[key]
        },
      }
    }
  }
}

export interface CompiledComparison {
  readonly spec: ComparisonSpec
  readonly column: EncodedColumn
  readonly levelCount: number
  /** 1 for the levels whose weight is adjusted by how common the agreeing value is. */
  readonly termFrequency: Uint8Array
  /** Every column the comparison reads. */
  readonly columns: readonly string[]
  /** The level of a pair of records: 0 is "missing", the last is "else". */
  level(i: number, j: number): number
  /**
   * For a term-frequency level, how common the agreeing value is: its share of the column's
   * values. For a swap, the commoner of the two records' values (one of them is the person's
   * value in its proper column), so the pair's order does not matter.
   */
  frequency(level: number, i: number, j: number): number
}

/** log2 of the slots of a comparison's memo (4 million slots, 36 MB). */
const MEMO_BITS = 22

/**
 * Compile a comparison into a function of two record indices. Levels are tested best first. The
 * tail of levels that depend only on the two values is remembered per value pair, since names,
 * streets and towns repeat: the expensive measures then run once per distinct pair of values.
 */
export function compileComparison(spec: ComparisonSpec, data: EncodedData, options: { memo?: boolean } = {}): CompiledComparison {
  const column = data.column(spec.column)
  const codes = column.codes
  const measures = lastPairMeasures(column, spec.levels)
  const tests = spec.levels.map((l) => compileTest(l, column, data, measures))
  const last = spec.levels.length - 1
  const lastRecordTest = tests.reduce((at, t, k) => (t?.on === 'record' ? k : at), 0)
  const tailStart = lastRecordTest + 1
  const tail = tests.slice(tailStart, last).map((t) => (t as Extract<Test, { on: 'value' }>).test)
  const head = tests.slice(1, tailStart)
  // Mostly-unique columns (identifiers) rarely repeat a value pair: a memo would only cost memory.
  const worthMemo = column.values.length * 4 <= data.size && tail.length > 0
  const memo = options.memo === false || !worthMemo ? null : new PairMemo(Math.min(MEMO_BITS, Math.max(10, Math.ceil(Math.log2(data.size)) + 2)))
  const exactFirst = spec.levels[1].type === 'exact'
  // Ids beyond these belong to a query record and are reused, so they are never remembered.
  const permanent = column.values.length

  const tailLevel = (a: number, b: number): number => {
    for (let k = 0; k < tail.length; k++) if (tail[k](a, b)) return tailStart + k
    return last
  }

  const level = (i: number, j: number): number => {
    let a = codes[i]
    let b = codes[j]
    if (a < 0 || b < 0) return 0
    if (exactFirst && a === b) return 1
    for (let k = 0; k < head.length; k++) {
      const t = head[k]!
      if (t.on === 'record' ? t.test(i, j) : t.test(a, b)) return k + 1
    }
    if (memo === null || a >= permanent || b >= permanent) return tailLevel(a, b)
    if (a > b) {
      const swap = a
      a = b
      b = swap
    }
    const slot = memo.slot(a, b)
    const found = memo.get(slot, a, b)
    if (found >= 0) return found
    const computed = tailLevel(a, b)
    memo.set(slot, a, b, computed)
    return computed
  }

  const termFrequency = Uint8Array.from(spec.levels, (l) => ((l.type === 'exact' || l.type === 'exactOtherColumn') && l.termFrequency ? 1 : 0))
  // A value no record has (a query's) still occurs once.
  const share = (code: number) => Math.max(column.count(code), 1) / Math.max(column.nonNull, 1)
  const swaps = Uint8Array.from(spec.levels, (l) => (l.type === 'exactOtherColumn' ? 1 : 0))
  const frequency = (levelIndex: number, i: number, j: number) =>
    swaps[levelIndex] === 1 ? Math.max(share(codes[i]), share(codes[j])) : share(codes[i])
  const columns = [spec.column, ...spec.levels.flatMap((l) => (l.type === 'exactOtherColumn' ? [l.column] : []))]
  return { spec, column, levelCount: spec.levels.length, termFrequency, columns, level, frequency }
}
