import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { deduplicate, febrlEntity, MatchIndex, parseCsvTable, tableFromObjects, type LinkageModel, type QueryRecord, type Table } from './index.ts'

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

describe('keeping the index up to date in place', () => {
  let model: LinkageModel
  let a: Table
  let b: Table

  beforeAll(() => {
    model = deduplicate(read('dataset1.csv'), { idColumn: 'rec_id' }).model
    a = read('dataset4a.csv')
    b = read('dataset4b.csv')
  }, 120_000)

  const rows = (table: Table, from: number, to: number) => Array.from({ length: to - from }, (_, k) => ({ ...recordAt(table, from + k) }))
  const asTable = (records: Record<string, string | null | undefined>[]) => tableFromObjects(records, Object.keys(a.columns))

  it('answers exactly as an index built afresh, after additions (past its room), edits and removals', () => {
    const start = rows(a, 0, 3000)
    const index = MatchIndex.build(model, asTable(start), { prior: 1 / 5000 })
    const current = new Map(start.map((r) => [r.rec_id!, r]))
    // 2,000 more people recorded: more than the index has room for, so it re-encodes itself once.
    for (const r of rows(a, 3000, 5000)) {
      index.upsert(r)
      current.set(r.rec_id!, r)
    }
    expect(index.reencodings).toBe(1)
    // 400 edited: each takes the details of another agency's record of the same person.
    for (let k = 0; k < 400; k++) {
      const edited = { ...recordAt(b, k), rec_id: a.columns.rec_id[k * 7]! }
      index.upsert(edited)
      current.set(edited.rec_id, edited)
    }
    // 300 removed (a merged record going away, say), 50 of them added back with new details.
    for (let k = 0; k < 300; k++) {
      const id = a.columns.rec_id[k * 13 + 1]!
      expect(index.remove(id)).toBe(current.delete(id))
    }
    for (let k = 0; k < 50; k++) {
      const back = { ...recordAt(b, 4000 + k), rec_id: a.columns.rec_id[k * 13 + 1]! }
      index.upsert(back)
      current.set(back.rec_id, back)
    }
    expect(index.remove('no-such-record')).toBe(false)
    const fresh = MatchIndex.build(model, asTable([...current.values()]), { prior: 1 / 5000 })
    expect(index.size).toBe(fresh.size)
    let compared = 0
    for (let r = 0; r < 5000; r += 5) {
      const query = { ...recordAt(b, r), rec_id: null }
      const found = index.find(query, { threshold: 0, limit: 1000 })
      expect(found).toEqual(fresh.find(query, { threshold: 0, limit: 1000 }))
      if (found[0]) expect(index.explain(query, found[0].id)).toEqual(fresh.explain(query, found[0].id))
      compared += found.length
    }
    // Not a vacuous comparison: the queries meet thousands of candidates.
    expect(compared).toBeGreaterThan(1000)
  })

  it('keeps term frequencies right: a surname grows commoner as people are added, and weighs as before once they are removed', () => {
    const start = rows(a, 0, 2000)
    const index = MatchIndex.build(model, asTable(start), { prior: 1 / 2000 })
    const person = start[0]
    const query = { ...person, rec_id: null }
    const before = index.find(query, { threshold: 0 }).find((m) => m.id === person.rec_id)!
    const namesakes: QueryRecord[] = Array.from({ length: 40 }, (_, k) => ({ ...recordAt(a, 2000 + k), surname: person.surname }))
    for (const n of namesakes) index.upsert(n)
    const commoner = index.find(query, { threshold: 0, limit: 100 }).find((m) => m.id === person.rec_id)!
    expect(commoner.matchWeight).toBeLessThan(before.matchWeight)
    for (const n of namesakes) index.remove(n.rec_id!)
    expect(index.find(query, { threshold: 0 }).find((m) => m.id === person.rec_id)).toEqual(before)
  })

  it('finds an edited person under their new details and no longer under their old ones', () => {
    const start = rows(a, 0, 2000)
    const index = MatchIndex.build(model, asTable(start), { prior: 1 / 2000 })
    const old = start[5]
    // Everything about them corrected (another person's details from outside the index).
    const renamed = { ...recordAt(a, 4500), rec_id: old.rec_id, surname: 'vasquez-brandt' }
    index.upsert(renamed)
    expect(index.find({ ...old, rec_id: null }).map((m) => m.id)).not.toContain(old.rec_id)
    expect(index.find({ ...renamed, rec_id: null })[0].id).toBe(old.rec_id)
    expect(index.record(old.rec_id!)?.surname).toBe('vasquez-brandt')
    expect(() => index.upsert({ ...old, rec_id: ' ' })).toThrow(/no rec_id/)
  })
})

