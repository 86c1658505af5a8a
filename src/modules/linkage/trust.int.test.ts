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

  async function mergeRows() {
    return app.database.db.selectFrom('linkage_merges').select(['id', 'status']).where('merged_id', '=', people.jaden).execute()
  }
  const mergedInto = async () => (await app.database.db.selectFrom('people').select('merged_into').where('id', '=', people.jaden).executeTakeFirstOrThrow()).merged_into

  it('asks a reason and a check of the answers before a merge, and merges a council’s record only when the council agrees', async () => {
    const analyst = new TestClient(app.baseUrl)
    await analyst.signIn('analyst@lantern.test')
    const form = { a: people.jayden, b: people.jaden, survivorId: people.jayden }
    const blank = await analyst.post('/linkage/merges', { ...form, reason: '' })
    expect(blank.status).toBe(400)
    expect(await blank.text()).toContain('Enter why these records are the same person')
    expect(await mergeRows()).toEqual([])

    const reason = 'Same date of birth; both placed in Southampton; officer recognised him'
    const check = await analyst.post('/linkage/merges', { ...form, reason })
    expect(check.status).toBe(200)
    const checkHtml = await check.text()
    expect(checkHtml).toContain('Check the merge before you send it')
    expect(checkHtml).toContain(reason)
    expect(textOf(checkHtml, /Who must agree<\/dt>(.*?)<\/dd>/s)).toMatch(/Council/)
    expect(await mergeRows()).toEqual([])

    const sent = await analyst.post('/linkage/merges', { ...form, reason, checked: 'yes' })
    expect(sent.status).toBe(302)
    const mergeId = sent.headers.get('location')!.split('/').pop()!
    // Jayden's record is the council's: the police analyst's request waits for the council.
    expect(await mergeRows()).toEqual([{ id: mergeId, status: 'pending' }])
    expect(await mergedInto()).toBeNull()
    expect((await analyst.post(`/linkage/merges/${mergeId}/confirm`, {})).status).toBe(403)

    const manager = new TestClient(app.baseUrl)
    await manager.signIn('manager@lantern.test')
    expect(await (await manager.get('/linkage')).text()).toContain(`/linkage/merges/${mergeId}`)
    const page = await manager.get(`/linkage/merges/${mergeId}`)
    expect(page.status).toBe(200)
    const pageHtml = await page.text()
    expect(pageHtml).toContain('Agree to this merge')
    expect(pageHtml).toContain('Jaden Pryce')
    expect((await manager.post(`/linkage/merges/${mergeId}/confirm`, { note: 'Checked with the placement' })).status).toBe(302)
    expect(await mergedInto()).toBe(people.jayden)
    expect(await mergeRows()).toEqual([{ id: mergeId, status: 'completed' }])

    // An undo needs its reason too.
    const noReason = await analyst.post(`/linkage/merges/${mergeId}/unmerge`, { reason: '' })
    expect(noReason.status).toBe(400)
    expect(await noReason.text()).toContain('Enter why the merge is being undone')
    expect(await mergedInto()).toBe(people.jayden)
    expect((await analyst.post(`/linkage/merges/${mergeId}/unmerge`, { reason: 'Test of undo' })).status).toBe(302)
    expect(await mergedInto()).toBeNull()
  })

  it('shows two different police nominal numbers as a difference a manager must confirm, not "None"', async () => {
    // In the demo the police hold Jayden under one nominal number and "Jaden Pryce" under another.
    const nominals = await app.database.db.selectFrom('person_identifiers').select(['person_id', 'value']).where('scheme', '=', 'police_nominal').where('person_id', 'in', [people.jayden, people.jaden]).execute()
    const of = (id: string) => nominals.find((n) => n.person_id === id)!.value
    expect(of(people.jayden)).not.toBe(of(people.jaden))
    const analyst = new TestClient(app.baseUrl)
    await analyst.signIn('analyst@lantern.test')
    const compare = await (await analyst.get(`/linkage/compare?a=${people.jayden}&b=${people.jaden}`)).text()
    expect(compare).toContain('police nominal numbers differ')
    const check = await (await analyst.post('/linkage/merges', { a: people.jayden, b: people.jaden, survivorId: people.jayden, reason: 'Looks like him' })).text()
    expect(textOf(check, /Details that differ<\/dt>(.*?)<\/dd>/s)).toBe(`Police nominal numbers: ${of(people.jayden)} and ${of(people.jaden)}`)
    const merge = await app.database.db.selectFrom('linkage_merges').select('conflicts').where('merged_id', '=', people.jaden).executeTakeFirstOrThrow()
    expect(merge.conflicts).toEqual([{ field: 'police_nominal', survivor: of(people.jayden), merged: of(people.jaden) }])
  })

  it('keeps the merged record read-only, linked to the record kept, until the merge is undone', async () => {
    const analyst = new TestClient(app.baseUrl)
    await analyst.signIn('analyst@lantern.test')
    const sent = await analyst.post('/linkage/merges', { a: people.jayden, b: people.jaden, survivorId: people.jayden, reason: 'Same child', checked: 'yes' })
    const mergeUrl = sent.headers.get('location')!
    const manager = new TestClient(app.baseUrl)
    await manager.signIn('manager@lantern.test')
    expect((await manager.post(`${mergeUrl}/confirm`, {})).status).toBe(302)
    expect(await mergedInto()).toBe(people.jayden)

    // The police officer who holds Jaden Pryce's record.
    const officer = new TestClient(app.baseUrl)
    await officer.signIn('officer@lantern.test')
    const page = await (await officer.get(`/people/${people.jaden}`)).text()
    expect(textOf(page, /data-testid="retired-banner">(.*?)<\/p>/s)).toContain('Open the record it was merged into')
    expect(page).toContain(`href="/people/${people.jayden}"`)
    expect(page).not.toContain(`href="/people/${people.jaden}/edit"`)
    expect((await officer.get(`/people/${people.jaden}/edit`)).status).toBe(403)
    expect((await officer.get(`/people/${people.jaden}/notes/new`)).status).toBe(403)

    expect((await analyst.post(`${mergeUrl}/unmerge`, { reason: 'Test over' })).status).toBe(302)
    expect((await officer.get(`/people/${people.jaden}/edit`)).status).toBe(200)
  })

  it('finds "Kyle Mash" in the register as the duplicate check would, and two people to compare by name', async () => {
    const practitioner = new TestClient(app.baseUrl)
    await practitioner.signIn('practitioner@lantern.test')
    const register = await (await practitioner.get('/register?q=Kyle+Mash')).text()
    expect(textOf(register, /id="similar-names">(.*?)<\/div>/s)).toContain('Kyle Marsh')
    expect(register).toContain(`href="/people/${people.kyle}"`)

    const analyst = new TestClient(app.baseUrl)
    await analyst.signIn('analyst@lantern.test')
    const found = await analyst.get('/linkage/compare/find?first=Kyle+Mash&second=Jaden+Prise')
    expect(found.status).toBe(200)
    const html = await found.text()
    expect(html).toContain(`name="a" type="radio" value="${people.kyle}"`)
    expect(html).toContain(`name="b" type="radio" value="${people.jaden}"`)
    const none = await analyst.get('/linkage/compare/find?first=Kyle&second=Zebedee+Quixotic')
    expect(none.status).toBe(400)
    const errors = await none.text()
    expect(errors).toContain('Enter the first person’s first and last name')
    expect(errors).toContain('Nobody you may see has a name like “Zebedee Quixotic”')
  })

  it('takes "not sure" as a reviewer’s decision, and lists the pair for a second opinion', async () => {
    const db = app.database.db
    const run = await db.selectFrom('linkage_runs').select('id').where('name', '=', 'Council and police children, autumn extract').executeTakeFirstOrThrow()
    const pair = await db.selectFrom('linkage_run_pairs').select('id').where('run_id', '=', run.id).where('band', '=', 'review').where('decision', 'is', null).orderBy('probability', 'desc').executeTakeFirstOrThrow()
    const analyst = new TestClient(app.baseUrl)
    await analyst.signIn('analyst@lantern.test')
    const url = `/linkage/runs/${run.id}/pairs/${pair.id}`
    expect(await (await analyst.get(url)).text()).toContain('Not sure: leave it for a second opinion')
    expect((await analyst.post(url, { decision: 'unsure' })).status).toBe(302)
    expect((await db.selectFrom('linkage_run_pairs').select('decision').where('id', '=', pair.id).executeTakeFirstOrThrow()).decision).toBe('unsure')
    const decided = textOf(await (await analyst.get(`/linkage/runs/${run.id}`)).text(), /id="decided">(.*?)<\/table>/s)
    expect(decided).toContain('Not sure')
  })
})
