import { runAsOwner } from '../db/scope.ts'
import { TEST_SECRETS } from '../../test/support/secrets.ts'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { modules } from '../modules/index.ts'
import type { LanternModule } from '../modules/types.ts'
import { createLogger } from './logger.ts'
import { guardedRouter } from './routes.ts'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { primaryTestDatabaseKind } from '../../test/support/databases.ts'
import { TestClient } from '../../test/support/http.ts'
import { listRoutes, type RouteEntry } from '../../test/support/routes.ts'
import { addUsers, C_NOTE_GRADE, linkOutputs, markerRows, ROLES, seedMarkers, SWEPT_AGENCIES, slowest, sweepGets, sweepPosts, type Identity, type Leak, type Markers } from '../../test/support/leak-canary.ts'

/**
 * The leak canary: marker records of every kind in one agency, then every GET route of the route
 * table and every form, as every role of another agency (a police force), the roles that hold
 * personal data of a second (a county council), and signed out. No response may carry a marker, and no form may change a marker's rows.
 */

/** Routes whose side effect would spoil the sweep: signing in and out, and break glass (a lawful, audited way in). */
const SKIPPED = new Set(['POST /sign-out', 'POST /sign-in', 'POST /access/break-glass'])

interface Exposure {
  why: string
  applies(leak: Leak): boolean
}

/** Roles that hold personal data: their agency decides what they see, so they are tried in both agencies; the others in one. */
const PERSONAL_DATA_ROLES = new Set(['practitioner', 'manager', 'analyst'])

/** What staff of other agencies may lawfully see of the markers. */
const LAWFUL: Exposure[] = [
  { why: 'the information governance officer reads the audit trail in full, search terms included', applies: (l) => l.who.role === 'information_governance' && /^GET \/admin\/audit/.test(l.request) },
  { why: 'reports from the public are one partnership-wide queue, triaged by staff who hold personal data', applies: (l) => ['manager', 'analyst'].includes(l.who.role ?? '') && /^(GET|POST) \/public-reports/.test(l.request) },
]

/** Leaks found by the canary that other work on issue 14 removes; each has its own failing test below. */
// Partnership officers reading public reports' text was the last (migration 0761 gave them figures instead).
const KNOWN: Exposure[] = []

const described = (leaks: Leak[]) => leaks.map((l) => `${l.status} ${l.request} as ${l.who.label}`).sort()
const unexplained = (leaks: Leak[]) => leaks.filter((l) => ![...LAWFUL, ...KNOWN].some((e) => e.applies(l)))

async function apiToken(app: TestApp, email: string): Promise<string> {
  // Tokens are personal: each user issues their own.
  const owner = new TestClient(app.baseUrl)
  await owner.signIn(email)
  const issued = await (await owner.post('/account/api-tokens', { name: 'Leak canary', days: '30' })).text()
  const match = issued.match(/value="(lantern_pat_[A-Za-z0-9_-]+)"/)
  if (!match) throw new Error(`no API token issued for ${email}`)
  return match[1]
}

/**
 * The leak classes testers found, each planted in throwaway routes of the real app: a page that
 * passes its role check and then forgets need-to-know. Under `/forgetful/` the routes read as any
 * route does, and row-level security must keep every marker out; under `/planted/` the same reads
 * cross need-to-know (`runAsOwner`, as a deliberate cross read gone wrong would), and the canary
 * must report every one.
 */
function plantedLeaks(prefix: string, read: <T>(work: () => Promise<T>) => Promise<T>): LanternModule {
  return {
    name: `${prefix} leaks`,
    staffRoutes(deps) {
      const routes = guardedRouter(deps.access)
      const { db } = deps
      // An error page that renders data before the record's check: a bad file name lists people.
      routes.get(`/${prefix}/network/export/:file`, { permission: 'network:export' }, async (_req, res) => {
        const people = await read(() => db.selectFrom('people').select(['given_name', 'family_name']).execute())
        res.status(400).send(`Unknown export. Choose a focus: ${people.map((p) => `${p.given_name} ${p.family_name}`).join(', ')}`)
      })
      // A derived row that does not carry its source's visibility: the timeline of someone else's child.
      routes.get(`/${prefix}/people/:id/timeline`, { permission: 'person:view' }, async (req, res) => {
        const events = await read(() => db.selectFrom('person_events').select('summary').where('person_id', '=', req.params.id).execute())
        const notes = await read(() => db.selectFrom('person_notes').select('body').where('person_id', '=', req.params.id).execute())
        res.json({ events, notes })
      })
      // A stored upload checked for a permission and never for an agency.
      routes.get(`/${prefix}/linkage/uploads/:id`, { permission: 'linkage:run' }, async (req, res) => {
        const upload = await read(() => db.selectFrom('linkage_uploads').select(['left_csv', 'right_csv']).where('id', '=', req.params.id).executeTakeFirst())
        res.type('text/csv').send(upload?.left_csv ?? '')
      })
      // Handling code C ignored: another agency's C-handled link, in a download's header.
      routes.get(`/${prefix}/network/links/:id`, { permission: 'network:view' }, async (req, res) => {
        const link = await read(() => db.selectFrom('network_links').select('basis').where('id', '=', req.params.id).executeTakeFirst())
        res.setHeader('Content-Disposition', `attachment; filename="${encodeURIComponent(link?.basis ?? 'link')}.csv"`)
        res.send('')
      })
      // Phone data read by import id without its holder or the agencies it was shared with.
      routes.get(`/${prefix}/network/calls/:id`, { permission: 'network:view' }, async (req, res) => {
        const calls = await read(() => db.selectFrom('call_records').select(['caller', 'callee', 'cell_site']).where('import_id', '=', req.params.id).execute())
        res.json(calls)
      })
      // A report's links read without the linked record's need-to-know: why it is about someone else's child.
      routes.get(`/${prefix}/public-reports/:id/links`, { permission: 'reports:triage' }, async (req, res) => {
        res.json(await read(() => db.selectFrom('public_report_links').select('note').where('report_id', '=', req.params.id).execute()))
      })
      // Activity details read without asking whether the viewer may see the record each is about: an
      // agency taking part in the operation reads what was done to, and seized from, a child it may not see.
      routes.get(`/${prefix}/operations/:id/activities`, { permission: 'network:view' }, async (req, res) => {
        res.json(await read(() => db.selectFrom('operation_activities').select(['description', 'item_description', 'withdrawn_reason']).where('operation_id', '=', req.params.id).execute()))
      })
      return routes.router
    },
  }
}
const planted = plantedLeaks('planted', (work) => runAsOwner('a planted leak: a cross read gone wrong', work))
const forgetful = plantedLeaks('forgetful', (work) => work())

describe('the canary catches each planted leak', () => {
  let app: TestApp
  let markers: Markers
  let server: Server
  let plantedUrl: string
  const identities: Identity[] = []

  beforeAll(async () => {
    app = await startTestApp()
    markers = await seedMarkers(app.baseUrl, app.database.db, app.clock)
    const police = await app.database.db.selectFrom('agencies').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow()
    const emails = await addUsers(app.database.db, police.id, 'planted', ['analyst'])
    const grants = await app.database.db.selectFrom('role_permissions').select('permission').where('role_id', '=', 'analyst').execute()
    identities.push({ label: 'analyst, Police', role: 'analyst', email: emails.analyst, permissions: new Set(grants.map((g) => g.permission)) })
    const { app: withPlants } = createApp({ config: app.config, db: app.database.db, databaseKind: app.database.kind, logger: createLogger('silent'), ...TEST_SECRETS, modules: [...modules, planted, forgetful], clock: app.clock })
    server = await new Promise((resolve) => {
      const s = withPlants.listen(0, '127.0.0.1', () => resolve(s))
    })
    plantedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }, 180_000)
  afterAll(async () => {
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve))
    await app?.close()
  })

  it('reports the error page, the timeline, the upload, the C-handled link, the call records, a public report’s link and an operation’s activity details, and nothing of the real routes', async () => {
    const routes = [
      { method: 'GET', path: '/planted/network/export/:file', access: { permission: 'network:export' } },
      { method: 'GET', path: '/planted/people/:id/timeline', access: { permission: 'person:view' } },
      { method: 'GET', path: '/planted/linkage/uploads/:id', access: { permission: 'linkage:run' } },
      { method: 'GET', path: '/planted/network/links/:id', access: { permission: 'network:view' } },
      { method: 'GET', path: '/planted/network/calls/:id', access: { permission: 'network:view' } },
      { method: 'GET', path: '/planted/public-reports/:id/links', access: { permission: 'reports:triage' } },
      { method: 'GET', path: '/planted/operations/:id/activities', access: { permission: 'network:view' } },
      { method: 'GET', path: '/linkage/uploads/:id', access: { permission: 'linkage:run' } },
      { method: 'GET', path: '/people/:id/notes', access: { permission: 'person:view' } },
    ] satisfies RouteEntry[]
    const leaks = await sweepGets(plantedUrl, routes, identities, markers)
    const found = new Set(leaks.map((l) => l.request.replace(/[0-9a-f-]{36}|nodes\.csv|not-a-uuid/g, ':x').replace(/\?.*/, '')))
    expect([...found].sort()).toEqual([
      'GET /planted/linkage/uploads/:x',
      'GET /planted/network/calls/:x',
      'GET /planted/network/export/:x',
      'GET /planted/network/links/:x',
      'GET /planted/operations/:x/activities',
      'GET /planted/people/:x/timeline',
      'GET /planted/public-reports/:x/links',
    ])
  }, 120_000)

  it('finds nothing in the same routes when they forget need-to-know but read as any route does: row-level security keeps every marker out', async () => {
    // Not the activities' route: the swept agencies take part in the operation, so its rows are theirs
    // to read, and row-level security cannot hide a column. The service's `concealed` is that guard,
    // and the sweep of the real routes is its test.
    const routes = (['network/export/:file', 'people/:id/timeline', 'linkage/uploads/:id', 'network/links/:id', 'network/calls/:id', 'public-reports/:id/links'] as const).map((path, i) => ({
      method: 'GET',
      path: `/forgetful/${path}`,
      access: { permission: (['network:export', 'person:view', 'linkage:run', 'network:view', 'network:view', 'reports:triage'] as const)[i] },
    })) satisfies RouteEntry[]
    expect(await sweepGets(plantedUrl, routes, identities, markers)).toEqual([])
  }, 120_000)
})

// The sweep asks the application, which is the same code on either database; it runs on the one the
// browser tests use (the PostgreSQL server in CI). That each database carries the request's viewer
// into every statement, and that its policies agree with decide(), is proved on both by
// src/db/scope.int.test.ts and src/access/row-security.int.test.ts. Sweeping on both doubled the
// suite's longest file (issue 2's time budget) for no path the other does not already cover.
describe.each([primaryTestDatabaseKind()])('the leak canary on $name', (kind) => {
  let app: TestApp
  let markers: Markers
  let routes: RouteEntry[]
  const identities: Identity[] = [{ label: 'signed out', permissions: new Set() }]
  let getSweep: Promise<Leak[]> | undefined
  const gets = () => (getSweep ??= sweepGets(app.baseUrl, routes, identities, markers))

  beforeAll(async () => {
    app = await startTestApp({ kind })
    markers = await seedMarkers(app.baseUrl, app.database.db, app.clock)
    routes = listRoutes(app.app).filter((r) => !SKIPPED.has(`${r.method} ${r.path}`))
    const db = app.database.db
    const grants = await db.selectFrom('role_permissions').select(['role_id', 'permission']).execute()
    for (const [i, name] of SWEPT_AGENCIES.entries()) {
      const agency = await db.selectFrom('agencies').select(['id', 'short_name']).where('name', '=', name).executeTakeFirstOrThrow()
      const roles = i === 0 ? ROLES : ROLES.filter((r) => PERSONAL_DATA_ROLES.has(r))
      const emails = await addUsers(db, agency.id, `other-${agency.short_name.replace(/\W+/g, '-')}`, roles)
      for (const role of roles) {
        const permissions = new Set(grants.filter((g) => g.role_id === role).map((g) => g.permission))
        const apiUser = permissions.has('person:search')
        identities.push({ label: `${role}, ${agency.short_name}`, role, permissions, email: emails[role], apiToken: apiUser ? await apiToken(app, emails[role]) : undefined })
      }
    }
  }, 180_000)
  afterAll(async () => {
    await app?.close()
  })

  it('seeded a marker of every kind, visible to its own agency', async () => {
    const own = new TestClient(app.baseUrl)
    await own.signIn('marker-practitioner@canary.test')
    expect(await (await own.get(`/people/${markers.child}/notes`)).text()).toContain(`${markers.token} visit note`)
    const analyst = new TestClient(app.baseUrl)
    await analyst.signIn('marker-analyst@canary.test')
    expect(await (await analyst.get('/network/calls')).text()).toContain(`${markers.token}-calls.csv`)
    expect(await (await analyst.get(`/network/entities/${markers.lineEntity}/calls`)).text()).toContain(`${markers.token} attribution`)
    expect(routes.filter((r) => r.method === 'GET').length).toBeGreaterThan(100)
  })

  it('no GET route shows a marker to another agency or to no sign-in', async () => {
    const started = performance.now()
    const leaks = await gets()
    if (process.env.CANARY_PROFILE) console.info(slowest(40).join('\n'))
    console.info(`leak canary (${kind.name}): GET sweep as ${identities.length} identities in ${Math.round(performance.now() - started)} ms`)
    expect(described(unexplained(leaks))).toEqual([])
    // The sweep took 450 s with eight engineers' tests sharing two cores (it is ~3 min alone).
  }, 600_000)

  it('no form posted with the markers’ ids shows or changes them', async () => {
    await gets()
    const before = await markerRows(app.database.db, markers)
    const started = performance.now()
    const leaks = await sweepPosts(app.baseUrl, routes, identities, markers)
    console.info(`leak canary (${kind.name}): POST sweep in ${Math.round(performance.now() - started)} ms`)
    expect(described(unexplained(leaks))).toEqual([])
    expect(await markerRows(app.database.db, markers)).toEqual(before)
  }, 300_000)

  /** The pages of `urls` whose body `carries` a marker, read as `email` (none may answer 5xx). */
  async function pagesCarrying(email: string, urls: string[], carries: (body: string) => boolean): Promise<string[]> {
    const client = new TestClient(app.baseUrl)
    await client.signIn(email)
    const found: string[] = []
    for (const url of urls) {
      const res = await client.get(url)
      expect(res.status, url).toBeLessThan(500)
      if (carries(await res.text())) found.push(url)
    }
    return found
  }

  it('shows a C-handled link in no page, export or feed to agencies that do not meet its condition, and to one that does', async () => {
    const urls = linkOutputs(markers)
    const db = app.database.db
    const havant = await addUsers(db, markers.conditionAgencyId, 'condition', ['analyst'])
    // The link's basis and conditions carry the token; most outputs show it by its id (an edge, a row, a link to its page).
    const carrying = (email: string) => pagesCarrying(email, urls, (body) => body.includes(markers.token) || body.includes(markers.cLink))
    for (const who of identities.filter((i) => i.role === 'analyst' || i.role === 'practitioner')) expect(await carrying(who.email!), who.label).toEqual([])
    // Each output that shows the link to Havant is one where its absence for the others proves something.
    const shown = await carrying(havant.analyst)
    console.info(`C-handled link shown to the condition agency in: ${shown.join(', ')}`)
    expect(shown).toEqual(urls.filter((u) => !/nodes\.csv|network\.svg|timeline|two-mode|cross-border|geography|map\.svg|\/calls$/.test(u.split('?')[0])))
  }, 120_000)

  it('shows a C-handled intelligence note, and its timeline event, on no page of a shared child to agencies outside its conditions, and to one within them', async () => {
    const urls = routes
      .filter((r) => r.method === 'GET' && /^\/people\/:id[^:]*$/.test(r.path))
      .map((r) => r.path.replace(':id', markers.sharedChild))
    const havant = await addUsers(app.database.db, markers.conditionAgencyId, 'c-note', ['practitioner'])
    // The note's text and conditions carry the token; its event on the timeline says only its grade.
    const carrying = (email: string) =>
      pagesCarrying(email, urls, (body) => body.includes(markers.token) || body.includes(markers.cNote) || body.includes(`graded ${C_NOTE_GRADE}`))
    for (const who of identities.filter((i) => i.email && PERSONAL_DATA_ROLES.has(i.role ?? ''))) expect(await carrying(who.email!), who.label).toEqual([])
    const shown = await carrying(havant.practitioner)
    console.info(`C-handled note shown to the condition agency in: ${shown.join(', ')}`)
    expect(shown).toEqual(expect.arrayContaining([`/people/${markers.sharedChild}/notes`, `/people/${markers.sharedChild}/history`]))
  }, 120_000)

  for (const known of KNOWN) {
    it.fails(`known leak, to be removed by other work on issue 14: ${known.why}`, async () => {
      expect(described((await gets()).filter((l) => known.applies(l)))).toEqual([])
    }, 300_000)
  }
})
