import { groupRecords, RuleKeyer, type RuleGroups } from './blocking.ts'
import { compileComparison } from './comparisons.ts'
import { encodeTables, type EncodedData, type Table } from './dataset.ts'
import { LinkageInputError } from './errors.ts'
import { explainPair, type Explanation } from './explain.ts'
import type { LinkageModel } from './model.ts'
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

/**
 * Existing records indexed once (encoded, and grouped under every blocking rule's key) so that one
 * new record can be scored against them in well under a millisecond: "is this one of these?".
 */
export class MatchIndex {
  private readonly keyers: RuleKeyer[]
  private readonly groups: RuleGroups[]
  private readonly seen: Int32Array
  private stamp = 0
  private readonly scorer: Scorer
  private readonly idColumn: string

  private constructor(
    readonly model: LinkageModel,
    private readonly data: EncodedData,
    rules: readonly BlockingRule[],
    prior: number,
  ) {
    this.idColumn = model.settings.idColumn
    this.keyers = rules.map((rule) => new RuleKeyer(rule, data))
    this.groups = this.keyers.map((keyer) => groupRecords(keyer, data))
    this.seen = new Int32Array(data.size)
    const comparisons = model.settings.comparisons.map((spec) => compileComparison(spec, data, { memo: false }))
    this.scorer = new Scorer({ ...model, prior }, comparisons)
  }

  static build(model: LinkageModel, table: Table, options: MatchIndexOptions = {}): MatchIndex {
    const data = encodeTables(columnKinds(model.settings), model.settings.idColumn, table)
    return new MatchIndex(model, data, options.blockingRules ?? model.settings.blockingRules, options.prior ?? model.prior)
  }

  get size(): number {
    return this.data.size
  }

  /** Existing records that may be the same person, most likely first. */
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
    out.sort((a, b) => b.matchWeight - a.matchWeight)
    return out.slice(0, limit)
  }

  /** The waterfall for a new record against one existing record (left: existing, right: new). */
  explain(record: QueryRecord, id: string): Explanation {
    const index = this.data.ids.indexOf(id)
    if (index < 0) throw new LinkageInputError(`no record "${id}" in the index`)
    let explanation: Explanation | null = null
    this.withQuery(record, (slot) => {
      explanation = explainPair(this.scorer, this.data, index, slot, { left: id, right: record[this.idColumn] ?? '(new record)' })
    })
    return explanation!
  }

  private withQuery(record: QueryRecord, use: (slot: number) => void): void {
    for (const column of this.data.columns.values()) column.encodeQuery(record[column.name])
    try {
      use(this.data.querySlot)
    } finally {
      for (const column of this.data.columns.values()) column.releaseQuery()
    }
  }

  private *candidates(slot: number, record: QueryRecord): Generator<number> {
    this.stamp++
    const self = record[this.idColumn]
    for (let r = 0; r < this.keyers.length; r++) {
      const key = this.keyers[r].key(slot, false)
      const { order, starts } = this.groups[r]
      if (key < 0 || key + 1 >= starts.length) continue
      for (let x = starts[key]; x < starts[key + 1]; x++) {
        const candidate = order[x]
        if (this.seen[candidate] === this.stamp) continue
        this.seen[candidate] = this.stamp
        if (self != null && this.data.ids[candidate] === self) continue
        yield candidate
      }
    }
  }
}
