import type { EncodedData } from './dataset.ts'
import { dateParts, doubleMetaphoneCodes, postcodeParts } from './measures.ts'
import { randomInt, type Random } from './random.ts'
import type { BlockingPart, BlockingRule } from './settings.ts'

/** Combined keys stay below 2^52: a key id below 2^26 times a part id below 2^26. */
const PART_STRIDE = 2 ** 26

function transformOf(part: Exclude<BlockingPart, { transform: 'sorted' }>): ((value: string) => string | null) | null {
  switch (part.transform) {
    case 'exact':
      return null
    case 'metaphone':
      return (v) => doubleMetaphoneCodes(v)[0] || null
    case 'year':
      return (v) => dateParts(v)?.year ?? null
    case 'prefix': {
      const n = part.length
      return (v) => v.slice(0, n)
    }
    case 'postcodeSector':
      return (v) => postcodeParts(v)?.sector ?? null
    case 'postcodeDistrict':
      return (v) => postcodeParts(v)?.district ?? null
  }
}

/** Gives each record an integer for one part of a rule: -1 when missing (or unseen, for a query). */
type PartKeyer = (record: number, insert: boolean) => number

function interner(): (text: string | null, insert: boolean) => number {
  const ids = new Map<string, number>()
  return (text, insert) => {
    if (text === null) return -1
    let id = ids.get(text)
    if (id === undefined) {
      if (!insert) return -1
      id = ids.size
      ids.set(text, id)
    }
    return id
  }
}

function partKeyer(part: BlockingPart, data: EncodedData): PartKeyer {
  if (part.transform === 'sorted') {
    const a = data.column(part.columns[0])
    const b = data.column(part.columns[1])
    const intern = interner()
    return (record, insert) => {
      const x = a.codes[record]
      const y = b.codes[record]
      if (x < 0 || y < 0) return -1
      const vx = a.values[x]
      const vy = b.values[y]
      return intern(vx < vy ? `${vx}\u0001${vy}` : `${vy}\u0001${vx}`, insert)
    }
  }
  const column = data.column(part.column)
  const transform = transformOf(part)
  if (transform === null) {
    // A query's value that no record has gets an id beyond the data's, so it meets no group. The
    // data's values are read at each call: a match index adds records (and values) after this.
    return (record, insert) => {
      const code = column.codes[record]
      return !insert && code >= column.knownValues ? -1 : code
    }
  }
  const transformed = column.feature(`block:${JSON.stringify(part)}`, transform)
  const intern = interner()
  return (record, insert) => {
    const code = column.codes[record]
    return code < 0 ? -1 : intern(transformed(code), insert)
  }
}

/** Computes one rule's key for any record, including the query slot. */
export class RuleKeyer {
  private readonly parts: PartKeyer[]
  private readonly combine: Map<number, number>[]

  constructor(
    readonly rule: BlockingRule,
    data: EncodedData,
  ) {
    this.parts = rule.map((p) => partKeyer(p, data))
    this.combine = rule.slice(1).map(() => new Map<number, number>())
  }

  key(record: number, insert: boolean): number {
    let key = this.parts[0](record, insert)
    for (let p = 1; p < this.parts.length && key >= 0; p++) {
      const part = this.parts[p](record, insert)
      if (part < 0) return -1
      const map = this.combine[p - 1]
      const joined = key * PART_STRIDE + part
      let id = map.get(joined)
      if (id === undefined) {
        if (!insert) return -1
        id = map.size
        map.set(joined, id)
      }
      key = id
    }
    return key
  }
}

/** Records grouped by one rule's key: `order[starts[g]..starts[g+1])` share key g. */
export interface RuleGroups {
  readonly keys: Int32Array
  readonly order: Int32Array
  readonly starts: Int32Array
  /** Per group: where the right table's records begin (a linkage), else the group's end. */
  readonly splits: Int32Array
}

export function groupRecords(keyer: RuleKeyer, data: EncodedData): RuleGroups {
  const n = data.size
  const keys = new Int32Array(n)
  let groupCount = 0
  for (let r = 0; r < n; r++) {
    const k = keyer.key(r, true)
    keys[r] = k
    if (k >= groupCount) groupCount = k + 1
  }
  // Counting sort keeps records in index order within a group: left records before right ones.
  const starts = new Int32Array(groupCount + 1)
  for (let r = 0; r < n; r++) if (keys[r] >= 0) starts[keys[r] + 1]++
  for (let g = 0; g < groupCount; g++) starts[g + 1] += starts[g]
  const fill = starts.slice(0, groupCount)
  const order = new Int32Array(starts[groupCount])
  for (let r = 0; r < n; r++) if (keys[r] >= 0) order[fill[keys[r]]++] = r
  const splits = new Int32Array(groupCount)
  for (let g = 0; g < groupCount; g++) {
    let s = starts[g]
    const end = starts[g + 1]
    while (s < end && order[s] < data.leftSize) s++
    splits[g] = s
  }
  return { keys, order, starts, splits }
}

function groupPairs(groups: RuleGroups, data: EncodedData, g: number): number {
  const size = groups.starts[g + 1] - groups.starts[g]
  if (data.linkType === 'dedupe') return (size * (size - 1)) / 2
  const left = groups.splits[g] - groups.starts[g]
  return left * (size - left)
}

/** Pairs one rule makes on its own (before the union with other rules). */
export function countRulePairs(groups: RuleGroups, data: EncodedData): number {
  let total = 0
  for (let g = 0; g < groups.splits.length; g++) total += groupPairs(groups, data, g)
  return total
}

/** Calls `visit(i, j)` for every pair the rule makes; in a linkage i is left and j right. */
export function forEachRulePair(groups: RuleGroups, data: EncodedData, visit: (i: number, j: number) => void): void {
  const { order, starts, splits } = groups
  const dedupe = data.linkType === 'dedupe'
  for (let g = 0; g < splits.length; g++) {
    const start = starts[g]
    const end = starts[g + 1]
    if (dedupe) {
      for (let x = start; x < end; x++) for (let y = x + 1; y < end; y++) visit(order[x], order[y])
    } else {
      const split = splits[g]
      for (let x = start; x < split; x++) for (let y = split; y < end; y++) visit(order[x], order[y])
    }
  }
}

/**
 * The union of several rules without duplicates: a pair found by rule r is skipped when an
 * earlier rule also makes it (its key agrees there), so no set of pairs is ever held.
 */
export function forEachCandidatePair(
  rules: readonly RuleGroups[],
  data: EncodedData,
  visit: (i: number, j: number, rule: number) => void,
): void {
  rules.forEach((groups, r) => {
    const earlier = rules.slice(0, r).map((g) => g.keys)
    forEachRulePair(groups, data, (i, j) => {
      for (const keys of earlier) {
        const k = keys[i]
        if (k >= 0 && k === keys[j]) return
      }
      visit(i, j, r)
    })
  })
}

/**
 * Up to `max` pairs drawn uniformly from a rule's pairs (all of them when there are fewer), for a
 * training session: sampling is by group, weighted by its pair count, so huge blocks cost nothing.
 */
export function sampleRulePairs(groups: RuleGroups, data: EncodedData, max: number, random: Random): { left: Int32Array; right: Int32Array } {
  const total = countRulePairs(groups, data)
  if (total <= max) {
    const left = new Int32Array(total)
    const right = new Int32Array(total)
    let n = 0
    forEachRulePair(groups, data, (i, j) => {
      left[n] = i
      right[n++] = j
    })
    return { left, right }
  }
  const groupCount = groups.splits.length
  const cumulative = new Float64Array(groupCount + 1)
  for (let g = 0; g < groupCount; g++) cumulative[g + 1] = cumulative[g] + groupPairs(groups, data, g)
  const left = new Int32Array(max)
  const right = new Int32Array(max)
  const { order, starts, splits } = groups
  for (let s = 0; s < max; s++) {
    const target = random() * total
    let lo = 0
    let hi = groupCount - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid + 1] <= target) lo = mid + 1
      else hi = mid
    }
    const start = starts[lo]
    const end = starts[lo + 1]
    if (data.linkType === 'dedupe') {
      const x = start + randomInt(random, end - start)
      let y = start + randomInt(random, end - start - 1)
      if (y >= x) y++
      left[s] = Math.min(order[x], order[y])
      right[s] = Math.max(order[x], order[y])
    } else {
      left[s] = order[start + randomInt(random, splits[lo] - start)]
      right[s] = order[splits[lo] + randomInt(random, end - splits[lo])]
    }
  }
  return inRecordOrder(left, right, data.size)
}

/** The same pairs sorted by record, so that comparing them reads memory in order (several times faster). */
function inRecordOrder(left: Int32Array, right: Int32Array, size: number): { left: Int32Array; right: Int32Array } {
  const keys = new Float64Array(left.length)
  for (let p = 0; p < left.length; p++) keys[p] = left[p] * size + right[p]
  keys.sort()
  for (let p = 0; p < keys.length; p++) {
    left[p] = Math.floor(keys[p] / size)
    right[p] = keys[p] - left[p] * size
  }
  return { left, right }
}
