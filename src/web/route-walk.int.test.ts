import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { TestClient } from '../../test/support/http.ts'
import { fillPath, listRoutes, parametersOf, type RouteEntry } from '../../test/support/routes.ts'

/**
 * Bad input must never be a 500. Every route registered on the app is requested, as each demo role
 * and signed out, with malformed values in its path parameters and in the query strings and form
 * fields that pages read: the answer may be 400, 403, 404 or a redirect, never 5xx. Pages reached
 * by following links (so with real ids) get the malformed query strings too.
 */

const WELL_FORMED_UUID = '00000000-0000-4000-8000-000000000000'

/** URL-encoded, as a browser or a script would send them. */
const BAD_PATH_VALUES: Record<string, string> = {
  'not a uuid': 'not-a-uuid',
  'NUL byte': 'a%00b',
  'very long': 'x'.repeat(2000),
  'path traversal and unicode': '..%2F..%2F%C3%A9%F0%9F%94%A5%E2%80%AE',
}

/** Query parameters the pages read (filters, searches, paging, return addresses). */
const QUERY_NAMES = ['q', 'find', 'name', 'page', 'pageSize', 'kind', 'sort', 'review', 'rag', 'status', 'action', 'user', 'from', 'to', 'area', 'team', 'view', 'urgency', 'channel', 'scope', 'steps', 'grades', 'show', 'body', 'entityType', 'entityId', 'targetId', 'returnTo', 'a', 'b', 'by', 'change', 'existing', 'created']
const BAD_QUERY_VALUES: Record<string, string> = {
  'NUL byte': 'a%00b',
  'escape, bell and DEL': 'a%1Bb%07c%7F',
  'very long, repeated and unicode': `${'y'.repeat(1500)}%F0%9F%94%A5&{name}=99999999999999999999`,
}

/** Form fields the forms post; each one given a NUL byte. */
const FORM_FIELDS = ['name', 'title', 'text', 'note', 'notes', 'summary', 'description', 'details', 'reason', 'basis', 'q', 'email', 'kind', 'status', 'label', 'alias', 'givenName', 'familyName', 'address', 'location', 'what', 'whatYouSaw', 'anythingElse', 'where', 'who', 'body', 'content', 'a', 'b', 'personId', 'recordIds']

/** Routes whose side effect would spoil the rest of the walk. */
const SKIPPED = new Set(['POST /sign-out', 'POST /sign-in'])

const IDENTITIES: { role: string; email?: string }[] = [
  { role: 'signed out' },
  { role: 'practitioner', email: 'practitioner@lantern.test' },
  { role: 'manager', email: 'manager@lantern.test' },
  { role: 'analyst', email: 'analyst@lantern.test' },
  { role: 'partnership officer', email: 'partnership@lantern.test' },
  { role: 'panel member', email: 'panel@lantern.test' },
  { role: 'administrator', email: 'admin@lantern.test' },
]

/** Roles whose pages between them link to every kind of record the demo holds. */
const CRAWLERS = IDENTITIES.filter((i) => ['practitioner', 'analyst', 'administrator', 'panel member'].includes(i.role))

/** A matcher for a registered path, each parameter one path segment (none for wildcards). */
function matcherFor(path: string): RegExp | undefined {
  if (/[*{}()]/.test(path)) return undefined
  return new RegExp(`^${path.replace(/[.+?^$|[\]\\]/g, '\\$&').replace(/:[A-Za-z_][A-Za-z0-9_]*/g, '[^/]+')}$`)
}

/**
 * For each GET route with parameters, one address of it with real ids, found by following links
 * from every page without parameters the way a person clicks through (the walk with malformed ids
 * never reaches what a page does with its query once its record is found).
 */
async function realAddresses(client: TestClient, routes: RouteEntry[], maxPages = 500): Promise<Map<string, string>> {
  const gets = routes.filter((r) => r.method === 'GET' && !r.path.startsWith('/api/'))
  const plain = new Set(gets.filter((r) => !parametersOf(r.path).length).map((r) => r.path))
  const patterns = gets.flatMap((r) => {
    const re = parametersOf(r.path).length ? matcherFor(r.path) : undefined
    return re ? [{ path: r.path, re }] : []
  })
  const found = new Map<string, string>()
  const queue = [...plain]
  const visited = new Set<string>()
  while (queue.length && visited.size < maxPages) {
    const url = queue.shift()!
    if (visited.has(url)) continue
    visited.add(url)
    const res = await client.get(url)
    if (!(res.headers.get('content-type') ?? '').includes('text/html')) {
      await res.arrayBuffer()
      continue
    }
    for (const [, link] of (await res.text()).matchAll(/href="(\/[^"?#]*)/g)) {
      if (plain.has(link)) continue
      const route = patterns.find((p) => p.re.test(link))
      if (route && !found.has(route.path)) {
        found.set(route.path, link)
        queue.push(link)
      }
    }
  }
  return found
}

let app: TestApp
let routes: RouteEntry[]
beforeAll(async () => {
  app = await startTestApp()
  routes = listRoutes(app.app).filter((r) => !SKIPPED.has(`${r.method} ${r.path}`))
})
afterAll(async () => {
  await app?.close()
})

interface Probe {
  method: 'GET' | 'POST'
  url: string
  form?: Record<string, string>
  /** A body sent as JSON, as it is written (malformed on purpose, for one probe). */
  json?: string
  what: string
}

/** JSON bodies every POST is sent: the JSON parser reads them on every route, not only the API's. */
const JSON_BODIES: Record<string, (csrf: string) => string> = {
  'JSON with control characters': (csrf) => JSON.stringify({ ...Object.fromEntries(FORM_FIELDS.map((f) => [f, 'a\u001bb\u007f'])), nested: [{ deep: 'x\u0007' }], _csrf: csrf }),
  'malformed JSON': (csrf) => `{"_csrf": "${csrf}", "name": `,
}

function probesFor(route: RouteEntry): Probe[] {
  const params = parametersOf(route.path)
  const method = route.method === 'POST' ? 'POST' : 'GET'
  const probes: Probe[] = []
  for (const [what, value] of Object.entries(BAD_PATH_VALUES)) {
    for (const param of params) {
      probes.push({ method, url: fillPath(route.path, (name) => (name === param ? value : WELL_FORMED_UUID)), what: `:${param} ${what}` })
    }
  }
  const url = fillPath(route.path, () => WELL_FORMED_UUID)
  if (method === 'GET') {
    for (const [what, value] of Object.entries(BAD_QUERY_VALUES)) {
      const query = QUERY_NAMES.map((name) => `${name}=${value.replaceAll('{name}', name)}`).join('&')
      probes.push({ method, url: `${url}?${query}`, what: `query ${what}` })
    }
  } else {
    probes.push({ method, url, form: Object.fromEntries(FORM_FIELDS.map((f) => [f, 'a\u0000b'])), what: 'form fields with a NUL byte' })
    for (const what of Object.keys(JSON_BODIES)) probes.push({ method, url, json: what, what })
  }
  return probes
}

async function send(client: TestClient, csrf: string, probe: Probe): Promise<number> {
  if (probe.method === 'GET') return (await client.get(probe.url)).status
  if (probe.json) {
    const cookie = (client as unknown as { cookieHeader(): string }).cookieHeader()
    const res = await fetch(app.baseUrl + probe.url, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON_BODIES[probe.json](csrf), redirect: 'manual' })
    await res.arrayBuffer()
    return res.status
  }
  return (await client.post(probe.url, { ...probe.form, _csrf: csrf })).status
}

async function inParallel<T>(items: T[], width: number, each: (item: T) => Promise<void>) {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await each(items[next++])
  }))
}

describe('no bad input makes a 5xx', () => {
  it('finds the routes to walk, public and staff, with their parameters', () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`)
    expect(paths).toContain('GET /people/:id')
    expect(paths).toContain('GET /report/:slug')
    expect(paths).toContain('GET /api/v1/people/:id')
    expect(routes.length).toBeGreaterThan(200)
  })

  it.each(IDENTITIES)('every route with malformed parameters, query and form fields, $role', async ({ email }) => {
    const client = new TestClient(app.baseUrl)
    if (email) expect((await client.signIn(email)).status).toBe(302)
    const csrf = await client.csrfToken()
    const failures: string[] = []
    const probes = routes.flatMap((route) => probesFor(route).map((probe) => ({ route, probe })))
    await inParallel(probes, 4, async ({ route, probe }) => {
      const status = await send(client, csrf, probe)
      if (status >= 500) failures.push(`${status} ${route.method} ${route.path} (${probe.what})`)
    })
    expect(failures.sort()).toEqual([])
  }, 600_000)

  it.each(CRAWLERS)('every page reached with real ids, with malformed query values, $role', async ({ email }) => {
    const client = new TestClient(app.baseUrl)
    expect((await client.signIn(email!)).status).toBe(302)
    const found = await realAddresses(client, routes)
    expect(found.size).toBeGreaterThan(10)
    const failures: string[] = []
    const probes = [...found].flatMap(([path, url]) =>
      Object.entries(BAD_QUERY_VALUES).map(([what, value]) => ({ path, url: `${url}?${QUERY_NAMES.map((name) => `${name}=${value.replaceAll('{name}', name)}`).join('&')}`, what })),
    )
    await inParallel(probes, 4, async ({ path, url, what }) => {
      const status = (await client.get(url)).status
      if (status >= 500) failures.push(`${status} GET ${path} as ${url.split('?')[0]} (query ${what})`)
    })
    expect(failures.sort()).toEqual([])
  }, 600_000)

  it('every API route with malformed parameters and query, with a practitioner’s bearer token', async () => {
    const practitioner = new TestClient(app.baseUrl)
    await practitioner.signIn('practitioner@lantern.test')
    const issued = await (await practitioner.post('/account/api-tokens', { name: 'Route walk', days: '30' })).text()
    const token = issued.match(/value="(lantern_pat_[A-Za-z0-9_-]+)"/)![1]
    const client = new TestClient(app.baseUrl)
    const failures: string[] = []
    const probes = routes.filter((r) => r.path.startsWith('/api/') && r.method === 'GET').flatMap((route) => probesFor(route).map((probe) => ({ route, probe })))
    expect(probes.length).toBeGreaterThan(10)
    await inParallel(probes, 4, async ({ route, probe }) => {
      const res = await client.get(probe.url, { authorization: `Bearer ${token}` })
      if (res.status >= 500) failures.push(`${res.status} ${route.method} ${route.path} (${probe.what})`)
    })
    expect(failures.sort()).toEqual([])
  })
})
