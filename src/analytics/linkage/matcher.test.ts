import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { deduplicate, febrlEntity, MatchIndex, parseCsvTable, type QueryRecord, type Table } from './index.ts'

const read = (file: string) => parseCsvTable(readFileSync(`../shared/data/febrl/${file}`, 'utf8'), file)

function recordAt(table: Table, r: number): QueryRecord {
  return Object.fromEntries(Object.entries(table.columns).map(([name, values]) => [name, values[r]]))
}

describe('scoring one new record against existing records', () => {
  let index: MatchIndex
  let newcomers: Table

  beforeAll(() => {
    // A model trained on one file (FEBRL1), applied to the 5,000 people of another.
    const model = deduplicate(read('dataset1.csv'), { idColumn: 'rec_id' }).model
    index = MatchIndex.build(model, read('dataset4a.csv'), { prior: 1 / 5000 })
    newcomers = read('dataset4b.csv')
  }, 120_000)

  it('finds the existing record of a corrupted copy as the most likely match', () => {
    let right = 0
    const queries = 500
    const times: number[] = []
    for (let r = 0; r < queries; r++) {
      const query = { ...recordAt(newcomers, r), rec_id: null }
      const started = performance.now()
      const found = index.find(query)
      times.push(performance.now() - started)
      if (found[0] && febrlEntity(found[0].id) === febrlEntity(newcomers.columns.rec_id[r]!)) right++
    }
    times.sort((a, b) => a - b)
    console.log('match index: right', right, 'of', queries, 'p95 ms', times[Math.floor(queries * 0.95)].toFixed(3))
    expect(right / queries).toBeGreaterThanOrEqual(0.99)
    expect(times[Math.floor(queries * 0.95)]).toBeLessThan(50)
  })

  it('explains a candidate: the rows add up to its weight and probability', () => {
    const query = recordAt(newcomers, 0)
    const [best] = index.find(query)
    const explanation = index.explain(query, best.id)
    const sum = explanation.rows.reduce((s, r) => s + r.log2Weight, 0)
    expect(sum).toBeCloseTo(best.matchWeight, 9)
    expect(explanation.probability).toBeCloseTo(best.probability, 12)
    expect(explanation.rows.map((r) => r.comparison)).toContain('surname')
    for (const row of explanation.rows) expect(row.bayesFactor).toBeCloseTo(2 ** row.log2Weight, 9)
  })

  it('answers the same way to the same query, whatever came before', () => {
    const a = { given_name: 'zachary', surname: 'berry', date_of_birth: '19550519', postcode: '6302' }
    const b = { given_name: 'zakary', surname: 'bery', date_of_birth: '19550591', postcode: '6320' }
    const first = index.find(a, { threshold: 0 })
    index.find(b, { threshold: 0 })
    expect(index.find(a, { threshold: 0 })).toEqual(first)
  })

  it('leaves out a record with the same id as the query', () => {
    const existing = { ...recordAt(newcomers, 0) }
    const [best] = index.find(existing)
    const again = index.find({ ...existing, rec_id: best.id })
    expect(again.map((m) => m.id)).not.toContain(best.id)
  })
})
