import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { londonParts } from '../../kernel/london.ts'

/** The HTML of one worklist on Home, or '' when the page has none with that key. */
function section(html: string, key: string): string {
  const start = html.indexOf(`data-testid="worklist-${key}"`)
  return start < 0 ? '' : html.slice(start, html.indexOf('</section>', start))
}

/**
 * Home's worklists, by the role that lives each: read under need-to-know exactly as the register,
 * and audited, because they name children.
 */
describe.each(testDatabaseKinds())('worklists on Home on $name', (kind) => {
  let app: TestApp
  const as: Record<string, TestClient> = {}
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    app = await startTestApp({ kind })
    for (const [key, email] of [
      ['practitioner', 'practitioner@lantern.test'],
      ['manager', 'manager@lantern.test'],
      ['officer', 'officer@lantern.test'],
      ['nurse', 'h.evans@lantern.test'],
      ['panel', 'panel@lantern.test'],
    ]) {
      as[key] = new TestClient(app.baseUrl)
      await as[key].signIn(email)
    }
    for (const [key, given, family] of [
      ['kyle', 'Kyle', 'Marsh'],
      ['jayden', 'Jayden', 'Price'],
    ]) {
      ids[key] = (await app.database.db.selectFrom('people').select('id').where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id
    }
  })
  afterAll(async () => {
    await app?.close()
  })

  const home = async (who: string) => {
    const res = await as[who].get('/dashboard')
    expect(res.status).toBe(200)
    return res.text()
  }

  it('shows the practitioner their reviews due and overdue and the return home interviews awaited, each a link with its age and due date', async () => {
    const db = app.database.db
    const html = await home('practitioner')
    const reviews = section(html, 'reviews')
    expect(reviews).toContain('Reviews due and overdue')
    const today = londonParts(app.clock.now()).date
    const dueBy = new Date(Date.parse(`${today}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10)
    const user = await db.selectFrom('users').select('id').where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()
    const mine = await db.selectFrom('people').select(['id', 'next_review_due']).where('allocated_worker_id', '=', user.id).where('next_review_due', '<=', dueBy).orderBy('next_review_due').orderBy('id').limit(15).execute()
    expect(mine.length).toBeGreaterThan(0)
    for (const p of mine) expect(reviews).toContain(`href="/people/${p.id}/risk"`)
    if (mine.some((p) => p.next_review_due! < today)) expect(reviews).toContain('Overdue')
    expect(reviews).toMatch(/since the last assessment · due \d+ \w+ \d{4}/)
    // Jayden's last interview is overdue in the demo story.
    const rhi = section(html, 'return-home-interviews')
    expect(rhi).toContain('Jayden Price')
    expect(rhi).toMatch(new RegExp(`href="/people/${ids.jayden}/missing/[0-9a-f-]+/return-home-interview"`))
    expect(rhi).toContain('Return home interview overdue')
    expect(rhi).toMatch(/Found \d+ days ago · due \d+ \w+ \d{4}, \d/)
    // No Reds to confirm: that is the manager's work.
    expect(section(html, 'reds-awaiting')).toBe('')
    const audit = await db.selectFrom('audit_events').select(['details']).where('record_type', '=', 'worklists').where('user_id', '=', user.id).executeTakeFirstOrThrow()
    expect(audit.details).toMatchObject({ items: expect.objectContaining({ reviews: Math.min(mine.length, 15) }) })
  })

  it('shows the manager each Red awaiting confirmation with how long it has waited, flagging long waits', async () => {
    const db = app.database.db
    const awaiting = await db.selectFrom('risk_assessments').select(['id', 'person_id', 'submitted_at']).where('status', '=', 'awaiting_confirmation').execute()
    expect(awaiting.length).toBeGreaterThan(0)
    const reds = section(await home('manager'), 'reds-awaiting')
    for (const a of awaiting) expect(reds).toContain(`href="/people/${a.person_id}/risk/screenings/${a.id}"`)
    const long = awaiting.filter((a) => app.clock.now().getTime() - a.submitted_at!.getTime() > 3 * 86_400_000)
    expect((reds.match(/Long wait/g) ?? []).length).toBe(long.length)
    expect(reds).toMatch(/Waiting \d+ (days|hours)/)
  })

  it('lists a child missing now to everyone who may see the child, and to nobody else', async () => {
    const report = await as.practitioner.post(`/people/${ids.kyle}/missing/new`, {
      ...Object.fromEntries(Object.entries(londonParts(new Date(app.clock.now().getTime() - 3 * 3600_000))).flatMap(([k, v]) => (k === 'date' ? (() => { const [y, m, d] = v.split('-'); return [['missing-day', String(Number(d))], ['missing-month', String(Number(m))], ['missing-year', y]] })() : k === 'time' ? [['missing-time', v]] : []))),
    })
    expect(report.status).toBe(302)
    const episodeId = report.headers.get('location')!.split('/').pop()!
    for (const who of ['practitioner', 'officer']) {
      const missing = section(await home(who), 'missing-now')
      expect(missing).toContain(`href="/people/${ids.kyle}/missing/${episodeId}"`)
      expect(missing).toContain('Missing 3 hours')
    }
    // The same fact in the register's filter and column, and on the caseload.
    const register = await (await as.practitioner.get('/register?missingNow=yes')).text()
    expect(register).toContain(`href="/people/${ids.kyle}"`)
    expect(register).toContain('data-testid="missing-now"')
    expect(register).not.toContain(`href="/people/${ids.jayden}"`)
    const caseload = await (await as.practitioner.get('/register/caseload')).text()
    expect(caseload.slice(caseload.indexOf(`href="/people/${ids.kyle}"`)).split('</tr>')[0]).toContain('Missing now')
    const overdue = await (await as.practitioner.get('/register?rhiOverdue=yes')).text()
    expect(overdue).toContain(`href="/people/${ids.jayden}"`)
    expect(overdue).toContain('data-testid="rhi-overdue"')
    // The nurse's agency holds no share of Kyle's record: nothing on her Home says he exists.
    const nurse = await home('nurse')
    expect(nurse).not.toContain(ids.kyle)
    expect(nurse).not.toContain('Kyle')
    // A panel member sees no personal data, and so no worklists at all.
    const panel = await home('panel')
    expect(panel).not.toContain('data-testid="worklist-')
  })

  it('shows "missing now" in the child’s identity bar on every page of the record', async () => {
    for (const path of [`/people/${ids.kyle}`, `/people/${ids.kyle}/risk`, `/people/${ids.kyle}/notes`]) {
      const html = await (await as.officer.get(path)).text()
      expect(html).toContain('data-testid="missing-now"')
    }
    const jayden = await (await as.officer.get(`/people/${ids.jayden}`)).text()
    expect(jayden).not.toContain('data-testid="missing-now"')
  })
})
