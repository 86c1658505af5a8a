import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { TestClient } from '../../../test/support/http.ts'
import type { QueryRecord } from '../../analytics/linkage/index.ts'
import { entryIndex } from './entry.ts'

/** The text of the first element with this id, tags removed and spaces collapsed. */
function textOf(html: string, pattern: RegExp): string {
  const found = pattern.exec(html)
  if (!found) throw new Error(`not found: ${pattern}`)
  return found[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
}

describe.each(testDatabaseKinds())('matching an analyst can trust ($name)', (kind) => {
  let app: TestApp
  const people: Record<string, string> = {}

  beforeAll(async () => {
    app = await startTestApp({ kind })
    const db = app.database.db
    for (const [key, given, family] of [['kyle', 'Kyle', 'Marsh'], ['jayden', 'Jayden', 'Price'], ['jaden', 'Jaden', 'Pryce']]) {
      people[key] = (await db.selectFrom('people').select('id').where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id
    }
  }, 180_000)
  afterAll(async () => {
    await app?.close()
  })

  async function kyleAnd(change: Partial<QueryRecord>) {
    const { index } = await entryIndex(app.database.db)
    const kyle = index.record(people.kyle)!
    const query: QueryRecord = { id: null, given_name: kyle.given_name, surname: kyle.surname, date_of_birth: kyle.date_of_birth, sex: kyle.sex, postcode: null, nhs_number: null, police_nominal: null, upn: null, ...change }
    return { kyle, explanation: index.explain(query, people.kyle) }
  }

  it('does not call "Kylie Marsch", a girl born on Kyle Marsh’s birthday with day and month swapped, certainly Kyle', async () => {
    const { kyle } = await kyleAnd({})
    const [y, m, d] = kyle.date_of_birth!.split('-')
    const kylie = (await kyleAnd({ given_name: 'Kylie', surname: 'Marsch', date_of_birth: `${y}-${d}-${m}`, sex: 'female' })).explanation
    const same = (await kyleAnd({})).explanation
    // Still offered for a look (it may be Kyle), but far from sure, and less sure than Kyle himself.
    expect(kylie.probability).toBeGreaterThan(0.3)
    expect(kylie.probability).toBeLessThan(0.95)
    expect(kylie.probability).toBeLessThan(same.probability)
    // A swapped date is weaker evidence than the same date, and a near surname than the same surname.
    const weight = (e: typeof kylie, column: string) => e.rows.find((r) => r.column === column)!.log2Weight
    expect(weight(kylie, 'date_of_birth')).toBeLessThan(weight(same, 'date_of_birth'))
    expect(weight(kylie, 'surname')).toBeLessThanOrEqual(weight(same, 'surname') + 1)
  })

  it('counts a different police nominal, NHS or pupil number as evidence against', async () => {
    const same = (await kyleAnd({})).explanation
    for (const change of [{ police_nominal: 'HIOW-0000001' }, { nhs_number: '9434765919' }, { upn: 'A123456789012' }]) {
      const { kyle, explanation } = await kyleAnd(change)
      const column = Object.keys(change)[0]
      const row = explanation.rows.find((r) => r.column === column)!
      if (kyle[column]) {
        expect(row.log2Weight, column).toBeLessThan(-5)
        expect(explanation.probability, column).toBeLessThan(same.probability)
      }
    }
    // Kyle has a police nominal number in the demo, so the first of these was tested.
    expect((await kyleAnd({})).kyle.police_nominal).toBeTruthy()
  })

  it('shows one likelihood for a pair on every page, and the waterfall adds up to it', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('analyst@lantern.test')
    const matches = await (await client.get(`/linkage/people/${people.jayden}/matches`)).text()
    const row = new RegExp(`<tr class="govuk-table__row">(?:(?!</tr>).)*?Jaden Pryce(?:(?!</tr>).)*?</tr>`, 's').exec(matches)?.[0]
    expect(row).toBeTruthy()
    const onMatches = textOf(row!, /govuk-table__cell--numeric">([^<]*%)</)
    const compare = await (await client.get(`/linkage/compare?a=${people.jayden}&b=${people.jaden}`)).text()
    const onCompare = textOf(compare, /id="likelihood"[^>]*>(.*?)<\/strong>/s)
    expect(onCompare).toBe(onMatches)

    // The running total starts at the prior and, field by field, ends at the total the likelihood is worked out from.
    const table = /<table class="govuk-table" id="waterfall">.*?<tbody[^>]*>(.*?)<\/tbody>/s.exec(compare)![1]
    const cells = [...table.matchAll(/<tr class="govuk-table__row">(.*?)<\/tr>/gs)].map((r) => [...r[1].matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((c) => c[1].replace(/<[^>]+>/g, '').trim()))
    const bits = (s: string) => Number(s.replace('−', '-').replace('+', ''))
    const [start, ...fields] = cells.filter((c) => c.length === 6 || c.length === 4)
    const total = cells.find((c) => c[0] === 'Total')!
    expect(fields.length).toBeGreaterThan(3)
    let running = bits(start[start.length - 1])
    for (const f of fields.filter((c) => c[0] !== 'Total')) {
      running += bits(f[4])
      expect(Math.abs(running - bits(f[5]))).toBeLessThan(0.011 * fields.length)
    }
    expect(Math.abs(running - bits(total[total.length - 1]))).toBeLessThan(0.011 * fields.length)
    const odds = bits(total[total.length - 1])
    const fromTotal = 100 / (1 + 2 ** -odds)
    expect(Math.abs(fromTotal - Number(onCompare.replace(/[^0-9.]/g, '')))).toBeLessThan(0.15)
  })
})
