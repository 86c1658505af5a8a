import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { feasibleRanges, possibleValues, type Fact } from '../../analytics/suppression/index.ts'
import { tableFacts } from './suppression.ts'

let app: TestApp
const clients: Record<string, TestClient> = {}
const EMAILS = { practitioner: 'practitioner@lantern.test', officer: 'officer@lantern.test', manager: 'manager@lantern.test', partnership: 'partnership@lantern.test', panel: 'panel@lantern.test' }

beforeAll(async () => {
  app = await startTestApp()
  for (const [key, email] of Object.entries(EMAILS)) {
    clients[key] = new TestClient(app.baseUrl)
    await clients[key].signIn(email)
  }
})
afterAll(async () => {
  await app?.close()
})

const db = () => app.database.db
const idsOn = (html: string) => [...html.matchAll(/href="\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1])
async function person(given: string, family: string) {
  return db().selectFrom('people').selectAll().where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()
}
async function userId(email: string) {
  return (await db().selectFrom('users').select(['id', 'agency_id', 'team_id']).where('email', '=', email).executeTakeFirstOrThrow())
}
async function areaId(name: string) {
  return (await db().selectFrom('areas').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id
}

describe('the register', () => {
  it('lists exactly the people the practitioner’s agency holds or that are shared with it or them', async () => {
    const me = await userId(EMAILS.practitioner)
    const expected = await sql<{ id: string }>`
      select p.id from people p
      where p.merged_into is null and (p.owner_agency_id = ${me.agency_id} or exists (
        select 1 from record_shares s where s.record_type = 'person' and s.record_id = p.id and s.revoked_at is null
          and (s.agency_id = ${me.agency_id} or s.user_id = ${me.id})))`.execute(db())
    const res = await clients.practitioner.get('/register?kind=all&pageSize=100')
    expect(res.status).toBe(200)
    const html = await res.text()
    const listed = idsOn(html)
    expect(new Set(listed)).toEqual(new Set(expected.rows.map((r) => r.id)))
    // The police's own nominal, never shared with the council, is not there; the police see him.
    const jay = await person('Dwayne', 'Okoro')
    expect(listed).not.toContain(jay.id)
    expect(idsOn(await (await clients.officer.get('/register?kind=adult&pageSize=100')).text())).toContain(jay.id)
    expect(html).toContain('Record a person')
  })

  it('finds a child by risk and area, by alias, by identifier, out of area, and missing recently', async () => {
    const kyle = await person('Kyle', 'Marsh')
    const byRiskAndArea = await (await clients.practitioner.get(`/register?rag=${kyle.current_rag ?? 'none'}&area=${await areaId('Havant')}`)).text()
    expect(idsOn(byRiskAndArea)).toContain(kyle.id)
    expect(byRiskAndArea).toContain('Selected filters')

    expect(idsOn(await (await clients.practitioner.get('/register?q=k-dog')).text())).toEqual([kyle.id])
    const nhs = await db().selectFrom('person_identifiers').select('value').where('person_id', '=', kyle.id).where('scheme', '=', 'nhs_number').executeTakeFirstOrThrow()
    const spaced = `${nhs.value.slice(0, 3)} ${nhs.value.slice(3, 6)} ${nhs.value.slice(6)}`
    expect(idsOn(await (await clients.practitioner.get(`/register?q=${encodeURIComponent(spaced)}`)).text())).toEqual([kyle.id])

    const jayden = await person('Jayden', 'Price')
    const outOfArea = idsOn(await (await clients.practitioner.get('/register?outOfArea=yes&pageSize=100')).text())
    expect(outOfArea).toContain(jayden.id)
    expect(outOfArea).not.toContain(kyle.id)
    for (const id of outOfArea) {
      const p = await db().selectFrom('people').select(['home_area_id', 'current_area_id']).where('id', '=', id).executeTakeFirstOrThrow()
      expect(p.home_area_id).not.toBe(p.current_area_id)
    }

    const since = new Date(Date.parse(`${app.clock.today()}T00:00:00Z`) - 30 * 86_400_000)
    const recent = await db().selectFrom('missing_episodes').select('person_id').distinct().where('reported_missing_at', '>=', since).execute()
    const missing = idsOn(await (await clients.manager.get('/register?missing=yes&kind=all&pageSize=100')).text())
    const visibleToManager = new Set(idsOn(await (await clients.manager.get('/register?kind=all&pageSize=100')).text()))
    expect(missing.length).toBeGreaterThan(0)
    expect(new Set(missing)).toEqual(new Set(recent.map((r) => r.person_id).filter((id) => visibleToManager.has(id))))
  })

  it('sorts by name and pages through the results', async () => {
    const first = await (await clients.manager.get('/register?kind=all&sort=name&pageSize=25')).text()
    const second = await (await clients.manager.get('/register?kind=all&sort=name&pageSize=25&page=2')).text()
    const a = idsOn(first)
    const b = idsOn(second)
    expect(a).toHaveLength(25)
    expect(b.some((id) => a.includes(id))).toBe(false)
    const names = await db().selectFrom('people').select(['id', 'family_name']).where('id', 'in', [...a, ...b]).execute()
    const family = [...a, ...b].map((id) => names.find((n) => n.id === id)!.family_name.toLowerCase())
    expect(family).toEqual([...family].sort())
    expect(first).toContain('aria-sort="ascending"')
    expect(first).toContain('class="govuk-pagination')
  })

  it('counts the matches by risk level on every page, and past the last one', async () => {
    const me = await userId(EMAILS.manager)
    const expected = await sql<{ current_rag: string | null; n: number }>`
      select p.current_rag, count(*)::int as n from people p
      where p.merged_into is null and (p.owner_agency_id = ${me.agency_id} or exists (
        select 1 from record_shares s where s.record_type = 'person' and s.record_id = p.id and s.revoked_at is null
          and (s.agency_id = ${me.agency_id} or s.user_id = ${me.id})))
      group by p.current_rag`.execute(db())
    const count = (rag: string | null) => expected.rows.find((r) => r.current_rag === rag)?.n ?? 0
    const total = expected.rows.reduce((t, r) => t + r.n, 0)
    const summary = `<span>Red ${count('red')}</span> <span>Amber ${count('amber')}</span> <span>Green ${count('green')}</span> <span>Not rated ${count(null)}</span>`
    expect(total).toBeGreaterThan(25)
    const listed: string[] = []
    for (const page of [1, 2, 3, 999]) {
      const html = await (await clients.manager.get(`/register?kind=all&sort=name&pageSize=25&page=${page}`)).text()
      expect(html).toContain(`data-testid="result-count">${total} people</h2>`)
      expect(html).toContain(summary)
      listed.push(...idsOn(html))
    }
    expect(new Set(listed).size).toBe(Math.min(total, 75))
  })

  it('audits each search with its filter', async () => {
    await clients.practitioner.get('/register?rag=red&rag=amber&review=overdue&kind=all')
    const event = await db().selectFrom('audit_events').selectAll().where('user_email', '=', EMAILS.practitioner).where('action', '=', 'search').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(event.details).toMatchObject({ via: 'register', filter: { rag: ['red', 'amber'], review: 'overdue', kind: 'all' } })
  })

  it('refuses a filter value it does not know, with a GOV.UK error', async () => {
    const res = await clients.practitioner.get('/register?rag=purple&area=nowhere')
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('Error: Register')
    expect(html).toContain('Select a risk level from the list')
    expect(html).toContain('Select an area from the list')
    expect(idsOn(html)).toEqual([])
  })
})

describe('the CSV export', () => {
  it('is refused to a role without person:export, and the refusal audited', async () => {
    const res = await clients.practitioner.get('/register/export.csv')
    expect(res.status).toBe(403)
    const denied = await db().selectFrom('audit_events').select('details').where('user_email', '=', EMAILS.practitioner).where('action', '=', 'access-denied').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(denied.details).toMatchObject({ permission: 'person:export' })
  })

  it('downloads the filtered register for a manager, audited as an export with the number of rows', async () => {
    const page = await (await clients.manager.get('/register?rag=red&kind=all')).text()
    const total = Number(page.match(/data-testid="result-count">([\d,]+)/)![1].replace(/,/g, ''))
    const res = await clients.manager.get('/register/export.csv?rag=red&kind=all')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    const lines = (await res.text()).trim().split('\n')
    expect(lines[0]).toContain('Lantern id,Kind,First name,Last name')
    expect(lines).toHaveLength(total + 1)
    expect(lines.slice(1).every((l) => l.includes(',red,'))).toBe(true)
    const event = await db().selectFrom('audit_events').select(['details', 'record_type']).where('user_email', '=', EMAILS.manager).where('action', '=', 'export').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(event).toMatchObject({ record_type: 'person', details: { what: 'register', rows: total, filter: { rag: ['red'], kind: 'all' } } })
  })
})

describe('caseloads', () => {
  it('shows a practitioner the people allocated to them', async () => {
    const me = await userId(EMAILS.practitioner)
    const mine = await db().selectFrom('people').select('id').where('allocated_worker_id', '=', me.id).where('merged_into', 'is', null).execute()
    const html = await (await clients.practitioner.get('/register/caseload')).text()
    expect(new Set(idsOn(html))).toEqual(new Set(mine.map((m) => m.id)))
    expect(html).toContain('data-testid="caseload-total"')
  })

  it('shows a manager their team’s reviews due and overdue, and refuses the team view to a practitioner', async () => {
    const me = await userId(EMAILS.manager)
    const today = app.clock.today()
    const dueBy = new Date(Date.parse(`${today}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10)
    const expected = await db()
      .selectFrom('people')
      .select(['id', 'next_review_due'])
      .where('owner_team_id', '=', me.team_id)
      .where('merged_into', 'is', null)
      .where('next_review_due', '<=', dueBy)
      .execute()
    expect(expected.length).toBeGreaterThan(0)
    const html = await (await clients.manager.get('/register/team')).text()
    const reviews = html.slice(html.indexOf('id="reviews"'), html.indexOf('Caseload by worker'))
    expect(new Set(idsOn(reviews))).toEqual(new Set(expected.map((e) => e.id)))
    const overdue = expected.filter((e) => e.next_review_due! < today).length
    expect(html).toMatch(new RegExp(`data-testid="team-overdue"><span class="lantern-card__count">${overdue}<`))
    expect((await clients.practitioner.get('/register/team')).status).toBe(403)
  })
})

/** The numbers a table prints, row by row (the totals row last); null where a count is hidden. */
function printedCells(html: string, testid: string): (number | null)[][] {
  const start = html.indexOf(`data-testid="${testid}"`)
  const table = html.slice(start, html.indexOf('</table>', start))
  const body = table.slice(table.indexOf('<tbody'))
  return [...body.matchAll(/<tr class="govuk-table__row[^"]*">([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/govuk-table__cell--numeric">([\s\S]*?)<\/td>/g)].map((m) => (/^[\d,]+$/.test(m[1]) ? Number(m[1].replace(/,/g, '')) : null)),
  )
}

describe('the team page of a large team', () => {
  it('lists the first 50 reviews due, soonest first, and hands the rest to the register, which pages', async () => {
    const me = await userId(EMAILS.manager)
    const today = app.clock.today()
    // Sixty more of the team's children, each with a review overdue: more than one page of reviews.
    const added = (
      await sql<{ id: string }>`
        insert into people (kind, given_name, family_name, approximate_age, owner_agency_id, owner_team_id, next_review_due)
        select 'child', 'Paged', 'Child ' || n, 14, ${me.agency_id}, ${me.team_id}, ${today}::date - n
        from generate_series(1, 60) as n returning id`.execute(db())
    ).rows.map((r) => r.id)
    try {
      const html = await (await clients.manager.get('/register/team')).text()
      const reviews = html.slice(html.indexOf('id="reviews"'), html.indexOf('Caseload by worker'))
      const listed = idsOn(reviews)
      expect(listed).toHaveLength(50)
      // Soonest first: the longest overdue of those added leads.
      expect(listed[0]).toBe(added[59])
      const due = Number(html.match(/data-testid="team-overdue"><span class="lantern-card__count">(\d+)/)![1]) + Number(html.match(/data-testid="team-due"><span class="lantern-card__count">(\d+)/)![1])
      expect(reviews).toContain(`And ${due - 50} more.`)
      expect(reviews).toMatch(/href="\/register\?kind=all&amp;team=[0-9a-f-]{36}&amp;review=due_or_overdue&amp;sort=review"/)
    } finally {
      await sql`delete from people where id = any(${added})`.execute(db())
    }
  })
})

describe('counts by area', () => {
  async function allNames() {
    const rows = await db().selectFrom('people').select(['given_name', 'family_name']).execute()
    return rows.map((r) => `${r.given_name} ${r.family_name}`)
  }

  it.each(['partnership', 'panel'])('shows a %s counts with small numbers hidden and never a name', async (role) => {
    const res = await clients[role].get('/dashboards/risk')
    expect(res.status).toBe(200)
    const html = await res.text()
    for (const name of await allNames()) expect(html).not.toContain(name)
    expect(idsOn(html)).toEqual([])
    expect(html).toContain('data-testid="suppression-note"')
    // One marker for every hidden count: "fewer than 5" would itself narrow a count to 1 to 4.
    expect(html).not.toContain('<span class="lantern-suppressed">fewer than 5</span>')
    const table = printedCells(html, 'counts-table')
    expect(table.flat()).toContain(null)
    expect(table.flat().every((n) => n === null || n === 0 || n >= 5)).toBe(true)
    // And the lists of names are closed to them.
    expect((await clients[role].get('/register')).status).toBe(403)
    expect((await clients[role].get('/register/caseload')).status).toBe(403)
    expect((await clients[role].get('/register/export.csv')).status).toBe(403)
  })

  it('publishes nothing from which a hidden count can be narrowed to fewer than 5 values, and prints no hidden value', async () => {
    for (const kind of ['child', 'adult']) {
      for (const by of ['current', 'home']) {
        const html = await (await clients.partnership.get(`/dashboards/risk?kind=${kind}&by=${by}`)).text()
        const exact = await (await clients.manager.get(`/dashboards/risk?kind=${kind}&by=${by}`)).text()
        // The attacker reads the page as printed: both tables, their totals and zeros.
        const counts = printedCells(html, 'counts-table')
        const truth = printedCells(exact, 'counts-table')
        expect(counts.length).toBe(truth.length)
        const publication = { values: counts.flat().map((v) => v ?? 0), hidden: counts.flat().map((v) => v === null), facts: tableFacts(counts.length, counts[0].length) }
        const ranges = await feasibleRanges(publication)
        for (const [cell, range] of ranges) {
          expect(possibleValues(range), `${kind} by ${by}, cell ${cell}`).toBeGreaterThanOrEqual(5)
          // The true count lies in its range (the attacker's facts are facts), and the page holds
          // it nowhere: each hidden cell prints only the marker.
          const value = truth.flat()[cell]!
          expect(value).toBeGreaterThanOrEqual(range.min)
          expect(value).toBeLessThanOrEqual(range.max)
        }
        const hiddenCells = [...html.matchAll(/<td class="govuk-table__cell govuk-table__cell--numeric">(?!\d)(.*?)<\/td>/g)].map((m) => m[1])
        expect(new Set(hiddenCells)).toEqual(new Set(hiddenCells.length ? ['<span class="lantern-suppressed">not shown</span>'] : []))
        if (kind === 'child') {
          const missing = printedCells(html, 'missing-table')
          const rows = missing.length
          const at = (i: number, j: number) => i * 2 + j
          const facts: Fact[] = [0, 1].map((j) => ({ kind: 'equal', terms: Array.from({ length: rows }, (_, i) => [at(i, j), i === rows - 1 ? -1 : 1] as [number, number]) }))
          for (let i = 0; i < rows; i++) facts.push({ kind: 'atLeast', terms: [[at(i, 1), 1], [at(i, 0), -1]] })
          const missingRanges = await feasibleRanges({ values: missing.flat().map((v) => v ?? 0), hidden: missing.flat().map((v) => v === null), facts })
          for (const range of missingRanges.values()) expect(possibleValues(range)).toBeGreaterThanOrEqual(5)
        }
      }
    }
  })

  it('shows a manager (who may see people) the exact counts, which add up to everyone', async () => {
    const html = await (await clients.manager.get('/dashboards/risk?kind=child&by=current')).text()
    expect(html).not.toContain('data-testid="suppression-note"')
    expect(html).not.toContain('fewer than 5')
    const children = await db().selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'child').where('merged_into', 'is', null).executeTakeFirstOrThrow()
    const totalRow = html.slice(html.indexOf('All areas'))
    const cells = [...totalRow.matchAll(/govuk-table__cell--numeric">([\d,]+)</g)].map((m) => Number(m[1].replace(/,/g, '')))
    expect(cells[4]).toBe(Number(children.n))
  })
})
