import { RuleKeyer } from './blocking.ts'
import { compileComparison } from './comparisons.ts'
import { checkTable, EncodedColumn, EncodedData, type Table } from './dataset.ts'
import { LinkageInputError } from './errors.ts'
import { explainPair, type Explanation } from './explain.ts'
import type { LinkageModel } from './model.ts'
import type { ColumnKind } from './normalise.ts'
import { Scorer } from './scoring.ts'
import { columnKinds, type BlockingRule } from './settings.ts'

export type QueryRecord = Readonly<Record<string, string | null | undefined>>

export interface MatchCandidate {
  readonly id: string
  readonly probability: number
  readonly matchWeight: number
}

export interface MatchIndexOptions {
  /** Blocking rules for finding candidates; the model's own rules by default. */
  readonly blockingRules?: readonly BlockingRule[]
  /** Prior for a new record against one existing record; the model's by default. */
  readonly prior?: number
}

/** Room for this many records, with some to spare so that additions seldom need a re-encoding. */
function capacityFor(records: number): number {
  return Math.ceil(records * 1.25) + 16
}

/**
 * Existing records indexed once (encoded, and grouped under every blocking rule's key) so that one
 * new record can be scored against them in well under a millisecond: "is this one of these?".
 *
 * The index can be kept up to date in place: `upsert` adds a record or replaces the one with the
 * same id, `remove` takes one out. Term frequencies (how common each value is) are counted exactly,
 * so after any sequence of changes `find` and `explain` answer exactly as an index built afresh
 * from the same records would (candidates of equal weight are ordered by id, so even ties agree).
 * Slots of removed records are reused; when every slot is taken the index re-encodes itself with
 * twice the room (the records are kept, so this needs nothing from outside).
 */
export class MatchIndex {
  private readonly idColumn: string
  private readonly kinds: ReadonlyMap<string, ColumnKind>
  private data!: EncodedData
  private columns!: EncodedColumn[]
  private keyers!: RuleKeyer[]
  /** Per rule: the slots holding each key, and each slot's key (-1: none). */
  private groups!: Map<number, Set<number>>[]
  private slotKeys!: Int32Array[]
  private scorer!: Scorer
  private seen!: Int32Array
  private stamp = 0
  /** The raw record in each slot (null: free), kept so the index can re-encode itself. */
  private records: (QueryRecord | null)[] = []
  private readonly slotOf = new Map<string, number>()
  private free: number[] = []
  /** Slots below this have been used; the rest have never held a record. */
  private used = 0
  private rebuilds = 0

  private constructor(
    readonly model: LinkageModel,
    private readonly rules: readonly BlockingRule[],
    private readonly prior: number,
    records: QueryRecord[],
  ) {
    this.idColumn = model.settings.idColumn
    this.kinds = columnKinds(model.settings)
    this.encode(records, capacityFor(records.length))
  }

  static build(model: LinkageModel, table: Table, options: MatchIndexOptions = {}): MatchIndex {
    const kinds = columnKinds(model.settings)
    const ids = checkTable(table, model.settings.idColumn, kinds.keys(), 'table')
    const names = [...kinds.keys()]
    const records = ids.map((id, r) => {
      const record: Record<string, string | null | undefined> = Object.fromEntries(names.map((name) => [name, table.columns[name][r]]))
      record[model.settings.idColumn] = id
      return record
    })
    return new MatchIndex(model, options.blockingRules ?? model.settings.blockingRules, options.prior ?? model.prior, records)
  }

  /** Records in the index. */
  get size(): number {
    return this.slotOf.size
  }

  /** How often the index has re-encoded itself to make room (for figures and tests). */
  get reencodings(): number {
    return this.rebuilds
  }

  has(id: string): boolean {
    return this.slotOf.has(id)
  }

  /** The record as it was given (only the columns the model reads), or undefined. */
  record(id: string): QueryRecord | undefined {
    const slot = this.slotOf.get(id)
    return slot === undefined ? undefined : (this.records[slot] ?? undefined)
  }

  /**
   * Adds a record, or replaces the record with the same id: its values, their counts and its
   * blocking keys all change in place. Throws `LinkageInputError` for a record without an id.
   */
  upsert(record: QueryRecord): void {
    const id = record[this.idColumn]?.trim()
    if (!id) throw new LinkageInputError(`a record has no ${this.idColumn}`)
    const kept: Record<string, string | null | undefined> = {}
    for (const name of this.kinds.keys()) kept[name] = record[name]
    kept[this.idColumn] = id
    let slot = this.slotOf.get(id)
    if (slot !== undefined) this.clear(slot)
    else {
      slot = this.free.pop() ?? (this.used < this.data.size ? this.used++ : -1)
      if (slot < 0) {
        // Full: re-encode everything with twice the room (this record included).
        const all = this.records.filter((r): r is QueryRecord => r !== null)
        all.push(kept)
        this.encode(all, capacityFor(all.length * 2))
        this.rebuilds++
        return
      }
    }
    this.place(slot, kept)
  }

  /** Takes the record with this id out of the index; false when there was none. */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id)
    if (slot === undefined) return false
    this.clear(slot)
    this.slotOf.delete(id)
    this.records[slot] = null
    this.data.ids[slot] = ''
    this.free.push(slot)
    return true
  }

  /** Existing records that may be the same person, most likely first (equal weights by id). */
  find(record: QueryRecord, options: { threshold?: number; limit?: number } = {}): MatchCandidate[] {
    const threshold = options.threshold ?? 0.5
    const limit = options.limit ?? 10
    const out: MatchCandidate[] = []
    this.withQuery(record, (slot) => {
      for (const candidate of this.candidates(slot, record)) {
        const matchWeight = this.scorer.weight(candidate, slot)
        const probability = this.scorer.probability(matchWeight)
        if (probability >= threshold) out.push({ id: this.data.ids[candidate], probability, matchWeight })
      }
    })
    out.sort((a, b) => b.matchWeight - a.matchWeight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return out.slice(0, limit)
  }

  /** The waterfall for a new record against one existing record (left: existing, right: new). */
  explain(record: QueryRecord, id: string): Explanation {
    const index = this.slotOf.get(id)
    if (index === undefined) throw new LinkageInputError(`no record "${id}" in the index`)
    let explanation: Explanation | null = null
    this.withQuery(record, (slot) => {
      explanation = explainPair(this.scorer, this.data, index, slot, { left: id, right: record[this.idColumn] ?? '(new record)' })
    })
    return explanation!
  }

  /** (Re)encode these records into fresh slots 0..n-1 with room for `capacity`. */
  private encode(records: QueryRecord[], capacity: number): void {
    const data = new EncodedData('dedupe', capacity, capacity, new Array<string>(capacity).fill(''))
    for (const [name, kind] of this.kinds) data.columns.set(name, new EncodedColumn(name, kind, capacity))
    this.data = data
    this.columns = [...data.columns.values()]
    this.keyers = this.rules.map((rule) => new RuleKeyer(rule, data))
    this.groups = this.rules.map(() => new Map<number, Set<number>>())
    this.slotKeys = this.rules.map(() => new Int32Array(capacity).fill(-1))
    this.seen = new Int32Array(capacity + 1)
    this.stamp = 0
    const comparisons = this.model.settings.comparisons.map((spec) => compileComparison(spec, data, { memo: false }))
    this.scorer = new Scorer({ ...this.model, prior: this.prior }, comparisons)
    this.records = new Array<QueryRecord | null>(capacity).fill(null)
    this.slotOf.clear()
    this.free = []
    this.used = records.length
    records.forEach((record, slot) => this.place(slot, record))
  }

  private place(slot: number, record: QueryRecord): void {
    const id = record[this.idColumn]!
    if (this.slotOf.has(id) && this.slotOf.get(id) !== slot) throw new LinkageInputError(`duplicate ${this.idColumn} "${id}"`)
    this.records[slot] = record
    this.slotOf.set(id, slot)
    this.data.ids[slot] = id
    for (const column of this.columns) column.encode(slot, record[column.name], true)
    for (let r = 0; r < this.keyers.length; r++) {
      const key = this.keyers[r].key(slot, true)
      this.slotKeys[r][slot] = key
      if (key < 0) continue
      let members = this.groups[r].get(key)
      if (!members) this.groups[r].set(key, (members = new Set()))
      members.add(slot)
    }
  }

  /** Takes a slot's values out of the counts and its keys out of the groups. */
  private clear(slot: number): void {
    for (const column of this.columns) column.forget(slot, true)
    for (let r = 0; r < this.keyers.length; r++) {
      const key = this.slotKeys[r][slot]
      if (key < 0) continue
      const members = this.groups[r].get(key)!
      members.delete(slot)
      if (members.size === 0) this.groups[r].delete(key)
      this.slotKeys[r][slot] = -1
    }
  }

  private withQuery(record: QueryRecord, use: (slot: number) => void): void {
    for (const column of this.columns) column.encodeQuery(record[column.name])
    try {
      use(this.data.querySlot)
    } finally {
      for (const column of this.columns) column.releaseQuery()
    }
  }

  private *candidates(slot: number, record: QueryRecord): Generator<number> {
    this.stamp++
    const self = record[this.idColumn]
    for (let r = 0; r < this.keyers.length; r++) {
      const key = this.keyers[r].key(slot, false)
      if (key < 0) continue
      const members = this.groups[r].get(key)
      if (!members) continue
      for (const candidate of members) {
        if (this.seen[candidate] === this.stamp) continue
        this.seen[candidate] = this.stamp
        if (self != null && this.data.ids[candidate] === self) continue
        yield candidate
      }
    }
  }
}
