import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'

const titleOf = (html: string) => (html.match(/<title[^>]*>([\s\S]*?)<\/title>/)?.[1] ?? '').replace(/\s+/g, ' ').trim()
const linksUnder = (html: string, prefix: string) => [...html.matchAll(/href="([^"#?]+)"/g)].map((m) => m[1]).filter((h) => h.startsWith(prefix))

/**
 * Every page about a person names them in its title: a screen reader user hears the title first,
 * and a browser tab of "Risk – undefined" says nothing about whose record is open.
 */
describe.each(testDatabaseKinds())('person page titles on $name', (kind) => {
  let app: TestApp
  let officer: TestClient

  beforeAll(async () => {
    app = await startTestApp({ kind })
    officer = new TestClient(app.baseUrl)
    await officer.signIn('officer@lantern.test')
  })
  afterAll(async () => {
    await app?.close()
  })

  it('walks a child’s and an adult’s pages, two links deep, and finds no title with "undefined" or starting with a dash', async () => {
    const db = app.database.db
    const kyle = await db.selectFrom('people').select('id').where('given_name', '=', 'Kyle').where('family_name', '=', 'Marsh').executeTakeFirstOrThrow()
    const reece = await db.selectFrom('people').select('id').where('given_name', '=', 'Reece').where('family_name', '=', 'Holloway').executeTakeFirstOrThrow()
    const seen = new Map<string, string>()
    for (const { id } of [kyle, reece]) {
      const prefix = `/people/${id}`
      let frontier = [prefix]
      for (let depth = 0; depth < 2 && frontier.length; depth++) {
        const next: string[] = []
        for (const path of frontier) {
          if (seen.has(path)) continue
          const res = await officer.get(path)
          const html = await res.text()
          if (res.status !== 200) continue
          seen.set(path, titleOf(html))
          next.push(...linksUnder(html, prefix))
        }
        frontier = [...new Set(next)]
      }
    }
    expect(seen.size).toBeGreaterThan(10)
    const bad = [...seen].filter(([, title]) => /undefined/i.test(title) || /^[–-]/.test(title) || title === '')
    expect(bad).toEqual([])
    expect(seen.get(`/people/${kyle.id}/risk`)).toBe('Risk – Kyle Marsh – Lantern')
  })
})
