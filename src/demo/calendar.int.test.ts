import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { TestClient } from '../../test/support/http.ts'
import { primaryTestDatabaseKind } from '../../test/support/databases.ts'

/**
 * Lantern's "today" comes from one clock, and the demo story is told relative to it. So the pages
 * a worker and the public read say the same things on any day: the same reviews overdue, the same
 * return-home interviews due, the same recommendations late by the same number of days, the same
 * ages. Only the printed dates differ. Two days far apart (one in summer time, one in winter,
 * across a year end) make a "today" worked out in UTC or from the wall clock show up as a
 * difference. The suite's other tests run on TEST_TODAY; LANTERN_TEST_TODAY runs them on another.
 */
const DAYS = [new Date('2027-06-23T10:00:00Z'), new Date('2028-01-23T10:00:00Z')]

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December'
const SHORT_MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec'

/** The page's text with what legitimately changes from day to day or seed to seed masked. */
function masked(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(new RegExp(`\\b\\d{1,2} (${MONTHS}|${SHORT_MONTHS}) \\d{4}\\b`, 'g'), '<date>')
    .replace(new RegExp(`\\b(${MONTHS}|${SHORT_MONTHS}) \\d{4}\\b`, 'g'), '<month>')
    .replace(new RegExp(`\\b(${SHORT_MONTHS}) \\d{2}\\b`, 'g'), '<month>')
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, '<date>')
    .replace(/\b\d{1,2}\/\d{1,2}\/\d{4}\b/g, '<date>')
    .replace(/\b\d{1,2}:\d{2}(am|pm)?\b/g, '<time>')
    .replace(/\b\d{4}\/\d{2}\b/g, '<year>')
    .replace(/\s+/g, ' ')
    .trim()
}

interface Reading {
  app: TestApp
  pages: Record<string, string>
}

async function readStory(today: Date): Promise<Reading> {
  const app = await startTestApp({ kind: primaryTestDatabaseKind(), today })
  const manager = new TestClient(app.baseUrl)
  const practitioner = new TestClient(app.baseUrl)
  const visitor = new TestClient(app.baseUrl)
  await manager.signIn('manager@lantern.test')
  await practitioner.signIn('practitioner@lantern.test')
  const kyle = await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Kyle').where('family_name', '=', 'Marsh').executeTakeFirstOrThrow()
  const pages: Record<string, string> = {}
  const read = async (name: string, client: TestClient, path: string) => {
    const res = await client.get(path)
    expect(res.status, `${name} (${path})`).toBe(200)
    pages[name] = masked(await res.text())
  }
  await read('team', manager, '/register/team')
  await read('caseload', practitioner, '/register/caseload')
  await read('Kyle', practitioner, `/people/${kyle.id}`)
  await read('Kyle missing', practitioner, `/people/${kyle.id}/missing`)
  await read('Kyle risk', practitioner, `/people/${kyle.id}/risk`)
  await read('public scrutiny', visitor, '/scrutiny')
  return { app, pages }
}

describe('the demo story on two different days', () => {
  const readings: Reading[] = []

  beforeAll(async () => {
    for (const day of DAYS) readings.push(await readStory(day))
  }, 300_000)
  afterAll(async () => {
    for (const r of readings) await r.app.close()
  })

  it('starts each app on its own day', () => {
    expect(readings.map((r) => r.app.clock.today())).toEqual(['2027-06-23', '2028-01-23'])
  })

  it.each(['team', 'caseload', 'Kyle', 'Kyle missing', 'Kyle risk', 'public scrutiny'])('reads the same on %s', (name) => {
    const [first, second] = readings.map((r) => r.pages[name])
    expect(first.length).toBeGreaterThan(200)
    expect(second).toBe(first)
  })

  it('shows work that is due and overdue on both days, not an empty story', () => {
    for (const r of readings) {
      expect(r.pages.team).toMatch(/[Oo]verdue/)
      expect(r.pages['public scrutiny']).toMatch(/[Oo]verdue|late/)
    }
  })
})
