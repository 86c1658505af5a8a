import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { countTruePairs, deduplicate, febrlEntity, linkTables, pairQuality, parseCsvTable, parseModel } from './index.ts'
import type { LinkageRun, PairQuality, Table } from './index.ts'

// Unsupervised quality on the FEBRL benchmarks at threshold 0.5. The ids carry the truth
// (rec-N-org, rec-N-dup-k), which is read only here, to score.
const FEBRL = '../shared/data/febrl'
const read = (file: string) => parseCsvTable(readFileSync(`${FEBRL}/${file}`, 'utf8'), file)
const same = (a: string, b: string) => febrlEntity(a) === febrlEntity(b)

describe('FEBRL4: linking dataset4a to dataset4b (5,000 true pairs)', () => {
  let left: Table, right: Table, run: LinkageRun, truth: number, quality: PairQuality
  let reported = -1
  beforeAll(() => {
    left = read('dataset4a.csv')
    right = read('dataset4b.csv')
    run = linkTables(left, right, { idColumn: 'rec_id', onBlocking: (b) => (reported = b.candidatePairs) })
    truth = countTruePairs(left.columns.rec_id.map((id) => febrlEntity(id!)), right.columns.rec_id.map((id) => febrlEntity(id!)))
    quality = pairQuality(run.matches(0.5), truth, same)
  }, 120_000)

  it('beats Splink’s published demo (F1 0.9992) with F1 of at least 0.999', () => {
    console.log('FEBRL4', { ...quality, candidatePairs: run.blocking.candidatePairs, prior: run.model.prior })
    expect(truth).toBe(5000)
    expect(quality.f1).toBeGreaterThanOrEqual(0.999)
    expect(quality.precision).toBeGreaterThanOrEqual(0.999)
  })

  it('reports the candidate pairs before scoring, far fewer than all 25 million pairs', () => {
    expect(reported).toBe(run.blocking.candidatePairs)
    expect(run.pairs.count).toBe(run.blocking.candidatePairs)
    expect(run.blocking.totalPairs).toBe(25_000_000)
    expect(run.blocking.candidatePairs).toBeLessThan(50_000)
    const sum = run.blocking.rules.reduce((s, r) => s + r.newPairs, 0)
    expect(sum).toBe(run.blocking.candidatePairs)
  })

  it('estimates the prior near the true 5,000 / 25,000,000 without labels', () => {
    expect(run.model.prior).toBeGreaterThan(0.00019)
    expect(run.model.prior).toBeLessThan(0.00021)
    expect(run.model.training.sessions.length).toBeGreaterThanOrEqual(3)
    expect(run.model.training.warnings).toEqual([])
  })

  it('learns that agreeing exactly on the social security number is strong evidence and disagreeing is against', () => {
    const ssid = run.model.comparisons.find((c) => c.name === 'soc_sec_id')!
    const exact = ssid.levels[1]
    const other = ssid.levels.at(-1)!
    expect(exact.m! / exact.u!).toBeGreaterThan(1000)
    expect(other.m! / other.u!).toBeLessThan(0.1)
  })

  it('learns m close to the agreement rates of the true pairs, which it never saw', () => {
    const rightIndex = new Map<string, number>()
    for (let r = run.data.leftSize; r < run.data.size; r++) rightIndex.set(febrlEntity(run.data.ids[r]), r)
    run.scorer.comparisons.forEach((comparison, c) => {
      const counts = new Array<number>(comparison.levelCount).fill(0)
      for (let l = 0; l < run.data.leftSize; l++) counts[comparison.level(l, rightIndex.get(febrlEntity(run.data.ids[l]))!)]++
      const present = counts.slice(1).reduce((a, b) => a + b, 0)
      const learnt = run.model.comparisons[c].levels[1].m!
      expect(Math.abs(learnt - counts[1] / present), comparison.spec.name).toBeLessThan(0.03)
    })
  })

  it('gives the same probabilities when the saved model is loaded and used again', () => {
    const model = parseModel(JSON.parse(JSON.stringify(run.model)))
    const again = linkTables(left, right, { model })
    expect(again.pairs.count).toBe(run.pairs.count)
    for (let p = 0; p < run.pairs.count; p += 97) expect(again.probability(p)).toBeCloseTo(run.probability(p), 10)
  })
})

describe('FEBRL1: deduplicating dataset1 (500 true pairs)', () => {
  let run: LinkageRun, truth: number, quality: PairQuality
  beforeAll(() => {
    const table = read('dataset1.csv')
    run = deduplicate(table, { idColumn: 'rec_id' })
    truth = countTruePairs(table.columns.rec_id.map((id) => febrlEntity(id!)))
    quality = pairQuality(run.matches(0.5), truth, same)
  }, 120_000)

  it('reaches F1 of at least 0.99', () => {
    console.log('FEBRL1', { ...quality, candidatePairs: run.blocking.candidatePairs, prior: run.model.prior })
    expect(truth).toBe(500)
    expect(quality.f1).toBeGreaterThanOrEqual(0.99)
  })

  it('explains any pair: the waterfall rows add up to the pair’s weight', () => {
    const [first] = run.matches(0.5)
    const explanation = run.explain(first.idLeft, first.idRight)
    expect(explanation.rows.reduce((sum, r) => sum + r.log2Weight, 0)).toBeCloseTo(first.matchWeight, 4)
    expect(explanation.probability).toBeCloseTo(first.probability, 6)
    expect(explanation.rows.map((r) => r.comparison)).toEqual(run.model.comparisons.map((c) => c.name))
  })

  it('weighs a pair the same whichever record comes first', () => {
    for (let p = 0; p < run.pairs.count; p++) {
      const i = run.pairs.left[p]
      const j = run.pairs.right[p]
      expect(run.scorer.weight(j, i)).toBeCloseTo(run.scorer.weight(i, j), 9)
    }
  })

  it('trains the same model again from the same records and settings', () => {
    const again = deduplicate(read('dataset1.csv'), { idColumn: 'rec_id' })
    expect(JSON.stringify(again.model)).toBe(JSON.stringify(run.model))
  })

  it('clusters each original with its duplicate', () => {
    const clusters = run.clusters(0.5)
    expect(clusters).toHaveLength(1000)
    const byCluster = new Map<string, string[]>()
    for (const c of clusters) byCluster.set(c.cluster, [...(byCluster.get(c.cluster) ?? []), c.id])
    const pure = [...byCluster.values()].filter((ids) => ids.length === 2 && same(ids[0], ids[1])).length
    expect(pure).toBeGreaterThanOrEqual(495)
    for (const ids of byCluster.values()) expect(new Set(ids.map(febrlEntity)).size).toBe(1)
  })
})
