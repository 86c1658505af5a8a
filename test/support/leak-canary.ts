import { randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '../../src/db/index.ts'
import { TestClient } from './http.ts'
import { fillPath, parametersOf, type RouteEntry } from './routes.ts'

/**
 * The leak canary: marker records of every kind in one agency, and a sweep of the route table as
 * users of other agencies that reports every response carrying a marker. The markers share one
 * random token, so a leak is a substring match on any body, header or download.
 */

export const ROLES = ['practitioner', 'manager', 'analyst', 'partnership_officer', 'panel_member', 'administrator', 'information_governance'] as const

export interface Markers {
  token: string
  agencyId: string
  child: string
  adult: string
  duplicate: string
  childEntity: string
  lineEntity: string
  link: string
  /**
   * A handling-code-C link from this agency between two entities the other agencies see (the demo's
   * JAY line and Gary Pike's flat, shared with the county and Havant councils): only the handling
   * code keeps it from them. Havant meets its condition.
   */
  cLink: string
  cEnds: [string, string]
  conditionAgencyId: string
  upload: string
  run: string
  pair: string
  merge: string
  report: string
  /** A strategy discussion about the child, and an action agreed at it. */
  meeting: string
  action: string
  /** Phone data: an import of call records (its file name and cell sites carry the token), and a number attributed to the marker line. */
  calls: string
  /**
   * A child shared with the sweep's police force and county council and with Havant (the name carries
   * no token), and an intelligence note on them under handling code C whose conditions only Havant meets: the note's
   * text carries the token, its timeline event the grade `3EC`, which nothing else uses.
   */
  sharedChild: string
  cNote: string
  /**
   * An operation this agency leads with the police force and the county council as partners (its
   * name carries no token), and activities about the marker child whose details carry it: the
   * partners see the operation and not the child.
   */
  operation: string
}

/** The agencies the canary sweeps as; the markers' operation and shared child name them. */
export const SWEPT_AGENCIES = ['Hampshire and Isle of Wight Constabulary', 'Hampshire County Council'] as const
export const C_NOTE_GRADE = '3EC'

export interface Identity {
  label: string
  email?: string
  role?: string
  /** The role's permissions: a route whose guard refuses the identity is asked once, not with every variant. */
  permissions: Set<string>
  /** An API token of the same user, for the /api/v1 routes. */
  apiToken?: string
}

/**
 * Permissions over records of people and intelligence. Routes behind them are tried with every
 * query variant; the others (indicators, strategy, scrutiny, content, administration) serve no
 * person's record, and are asked once per id, which keeps the sweep fast.
 */
const RECORD_PERMISSIONS = new Set(['person:view', 'person:create', 'person:edit', 'person:search', 'person:share', 'person:export', 'note:create', 'register:view', 'team:view', 'assessment:create', 'assessment:confirm-red', 'network:view', 'network:edit', 'network:export', 'operation:edit', 'linkage:run', 'linkage:merge', 'linkage:confirm-merge', 'reports:triage', 'aggregates:view', 'admin:audit', 'audit:details', 'sharing:register'])

function aboutRecords(route: RouteEntry): boolean {
  const rule = route.access
  if (!rule || 'public' in rule || 'signedIn' in rule) return true
  return 'permission' in rule ? RECORD_PERMISSIONS.has(rule.permission) : rule.anyOf.some((p) => RECORD_PERMISSIONS.has(p))
}

/**
 * A route that serves no person's record answers by role, not by agency: it is asked once for each
 * set of permissions, whichever agency holds it.
 */
function askedBefore(seen: Set<string>, route: RouteEntry, who: Identity): boolean {
  if (aboutRecords(route)) return false
  const key = `${route.method} ${route.path} ${who.email ? [...who.permissions].sort().join() : 'signed out'}`
  return seen.has(key) || (seen.add(key), false)
}

/** Whether a route's declared access lets the identity past the guard (a route without one is always walked in full). */
function admitted(route: RouteEntry, who: Identity): boolean {
  const rule = route.access
  if (!rule || 'public' in rule) return true
  if (!who.email) return false
  if ('signedIn' in rule) return true
  if ('permission' in rule) return who.permissions.has(rule.permission)
  return rule.anyOf.some((p) => who.permissions.has(p))
}

const CSV = (token: string) => ({
  left: `case_no,first_name,last_name,dob,gender,postcode\nL1,${token}left,Leftname,2011-02-03,M,PO9 1AB\nL2,${token}other,Leftname,2012-05-06,F,RG21 7LJ\n`,
  right: `nominal,forename,surname,date_of_birth,sex,post_code\nR1,${token}right,Leftname,2011-02-03,M,PO9 1AB\n`,
})

async function multipart(client: TestClient, baseUrl: string, path: string, fields: Record<string, string>, files: Record<string, string>, fileNames: Record<string, string> = {}) {
  const token = await client.csrfToken('/linkage/runs/new')
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  for (const [k, v] of Object.entries(files)) form.append(k, new Blob([v], { type: 'text/csv' }), fileNames[k] ?? `${k}.csv`)
  return fetch(`${baseUrl}${path}?_csrf=${encodeURIComponent(token)}`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: (client as unknown as { cookieHeader(): string }).cookieHeader() } })
}

function idFrom(res: Response, pattern: RegExp): string {
  const match = (res.headers.get('location') ?? '').match(pattern)
  if (!match) throw new Error(`no id in ${res.status} ${res.headers.get('location')}`)
  return match[1]
}

/** Users of each role in an agency, signing in with the demo password. */
export async function addUsers(db: Db, agencyId: string, prefix: string, roles: readonly string[] = ROLES): Promise<Record<string, string>> {
  const { password_hash } = await db.selectFrom('users').select('password_hash').where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()
  const emails: Record<string, string> = {}
  for (const role of roles) {
    const email = `${prefix}-${role}@canary.test`.toLowerCase()
    await db.insertInto('users').values({ email, name: `${prefix} ${role}`, role, agency_id: agencyId, password_hash, updated_at: new Date() }).execute()
    emails[role] = email
  }
  return emails
}

async function signedIn(baseUrl: string, email: string) {
  const client = new TestClient(baseUrl)
  const res = await client.signIn(email)
  if (res.status !== 302) throw new Error(`${email} could not sign in`)
  return client
}

/**
 * Seeds the markers through the app's own pages, as staff of a new agency would: a child and an
 * adult, notes (one police-only), a handling-code-C link from this non-police agency, a linkage
 * upload and run, a public report naming the child and linked to it with a reason, a merge of a
 * duplicate record, and phone data.
 */
export async function seedMarkers(baseUrl: string, db: Db, clock: { today(): string }): Promise<Markers> {
  const token = `CANARY${randomBytes(5).toString('hex').toUpperCase()}`
  const area = await db.selectFrom('areas').select('id').where('name', '=', 'Havant').executeTakeFirstOrThrow()
  const agency = await db.insertInto('agencies').values({ name: 'Marker Borough Council', short_name: 'Marker BC', kind: 'district_council', area_id: area.id }).returning('id').executeTakeFirstOrThrow()
  const staff = await addUsers(db, agency.id, 'marker', ['practitioner', 'manager', 'analyst'])
  const practitioner = await signedIn(baseUrl, staff.practitioner)
  const analyst = await signedIn(baseUrl, staff.analyst)
  const manager = await signedIn(baseUrl, staff.manager)

  const person = (kind: string, given: string, extra: Record<string, string> = {}) => ({
    kind, givenName: given, familyName: `${token}Family`, 'dob-day': '3', 'dob-month': '2', 'dob-year': kind === 'child' ? '2011' : '1990', gender: 'male',
    homeAreaId: area.id, currentAreaId: area.id, confirmedNoMatch: 'yes', ...extra,
  })
  const created = async (form: Record<string, string>) => idFrom(await practitioner.post('/people/new', form), /\/people\/([0-9a-f-]{36})/)
  const child = await created(person('child', `${token}Child`))
  const adult = await created(person('adult', `${token}Adult`))
  const duplicate = await created(person('child', `${token}Childe`))

  const [year, month, day] = clock.today().split('-')
  const when = { 'occurred-day': String(Number(day)), 'occurred-month': String(Number(month)), 'occurred-year': year }
  const note = await practitioner.post(`/people/${child}/notes/new`, { kind: 'visit', body: `${token} visit note`, sensitivity: 'standard', ...when })
  if (note.status !== 302) throw new Error(`note ${note.status}`)
  // Only police staff may write a police-only note through the form; the row is what matters here.
  const author = await db.selectFrom('users').select('id').where('email', '=', staff.practitioner).executeTakeFirstOrThrow()
  await db.insertInto('person_notes').values({ person_id: child, kind: 'intelligence', occurred_on: clock.today(), body: `${token} police-only note`, sensitivity: 'police_only', author_id: author.id, author_agency_id: agency.id }).execute()

  const entity = async (form: Record<string, string>) => idFrom(await analyst.post('/network/entities/new', form), /\/network\/entities\/([0-9a-f-]{36})/)
  const existing = await db.selectFrom('network_entities').select('id').where('person_id', '=', child).executeTakeFirst()
  const childEntity = existing?.id ?? (await entity({ kind: 'person', personId: child }))
  const lineEntity = await entity({ kind: 'line', lineName: `${token}LINE`, areaId: area.id, description: `${token} line description` })
  const linked = await analyst.post(`/network/entities/${childEntity}/links/new`, {
    targetId: lineEntity, type: 'associates_with', direction: 'none', sourceAgencyId: agency.id, basis: `${token} C-handled basis`,
    gradeSource: '2', gradeAssessment: 'B', gradeHandling: 'C', handlingConditions: `${token} conditions`,
  })
  if (linked.status !== 302) throw new Error(`link ${linked.status}: ${(await linked.text()).match(/govuk-error-summary__list[\s\S]{0,400}/)?.[0]}`)
  const link = await db.selectFrom('network_links').select('id').where('basis', 'like', `${token}%`).executeTakeFirstOrThrow()
  const jayLine = await db.selectFrom('network_entities').select('id').where('line_name', '=', 'JAY').executeTakeFirstOrThrow()
  const flat = await db.selectFrom('network_entities').select('id').where('location_type', '=', 'cuckooed_address').where('label', 'like', 'Flat 3,%').executeTakeFirstOrThrow()
  const havant = await db.selectFrom('agencies').select('id').where('name', '=', 'Havant Borough Council').executeTakeFirstOrThrow()
  // Written as the owner: this agency may not see the two ends, so its pages would refuse the link.
  const cLink = await db
    .insertInto('network_links')
    .values({
      source_id: jayLine.id, target_id: flat.id, type: 'operates_in', directed: true, source_agency_id: agency.id, basis: `${token} C-handled basis between shared entities`,
      grade_source: 2, grade_assessment: 'B', grade_handling: 'C', handling_conditions: `${token} Havant only`, first_seen: clock.today(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('network_link_agencies').values({ link_id: cLink.id, agency_id: havant.id }).execute()

  const csv = CSV(token)
  const up = await multipart(analyst, baseUrl, '/linkage/runs/new', { name: `${token} run`, kind: 'link' }, csv)
  const first = idFrom(up, /\/linkage\/uploads\/([0-9a-f-]{36})/)
  const map = { 'left-id': 'case_no', 'left-given_name': 'first_name', 'left-surname': 'last_name', 'left-date_of_birth': 'dob', 'left-sex': 'gender', 'left-postcode': 'postcode', 'right-id': 'nominal', 'right-given_name': 'forename', 'right-surname': 'surname', 'right-date_of_birth': 'date_of_birth', 'right-sex': 'sex', 'right-postcode': 'post_code', reviewFrom: '0.01', matchFrom: '0.99' }
  const run = idFrom(await analyst.post(`/linkage/uploads/${first}`, map), /\/linkage\/runs\/([0-9a-f-]{36})/)
  // A run consumes its upload; a second one waits for its columns to be mapped, extracts and all.
  const upload = idFrom(await multipart(analyst, baseUrl, '/linkage/runs/new', { name: `${token} waiting`, kind: 'link' }, csv), /\/linkage\/uploads\/([0-9a-f-]{36})/)
  const pair = await db.selectFrom('linkage_run_pairs').select('id').where('run_id', '=', run).executeTakeFirstOrThrow()

  const merged = await manager.post('/linkage/merges', { a: child, b: duplicate, survivorId: child, reason: `${token} same child`, checked: 'yes' })
  const merge = idFrom(merged, /\/linkage\/merges\/([0-9a-f-]{36})/)

  const [heldYear, heldMonth, heldDay] = clock.today().split('-')
  const recorded = await practitioner.post(`/people/${child}/plan/meetings/new`, {
    kind: 'strategy', 'held-day': String(Number(heldDay)), 'held-month': String(Number(heldMonth)), 'held-year': heldYear, chair: `${token} chair`,
    'attendee-1-name': `${token} attendee`, 'attendee-1-agency': agency.id, others: adult, decisions: `${token} meeting decisions`,
  })
  const meeting = idFrom(recorded, /\/plans\/meetings\/([0-9a-f-]{36})/)
  const agreed = await practitioner.post(`/plans/meetings/${meeting}/actions/new`, { description: `${token} plan action`, ownerAgencyId: agency.id, targetPersonId: adult, 'due-day': String(Number(heldDay)), 'due-month': String(Number(heldMonth)), 'due-year': heldYear })
  const action = idFrom(agreed, /#action-([0-9a-f-]{36})/)

  const callCsv = `caller,callee,start,duration,cell_site\n07700900461,07700900462,${clock.today()} 21:15:00,60,${token}CELL\n07700900462,07700900461,${clock.today()} 21:20:00,30,${token}CELL\n`
  const imported = await multipart(analyst, baseUrl, '/network/calls', { handling: 'P' }, { file: callCsv }, { file: `${token}-calls.csv` })
  if (imported.status !== 303) throw new Error(`call import ${imported.status}`)
  const calls = (await db.selectFrom('call_imports').select('id').where('owner_agency_id', '=', agency.id).executeTakeFirstOrThrow()).id
  const attributed = await analyst.post(`/network/entities/${lineEntity}/calls/numbers`, { number: '07700900461', 'from-day': '1', 'from-month': '1', 'from-year': '2020', basis: `${token} attribution` })
  if (attributed.status !== 303) throw new Error(`attribution ${attributed.status}`)

  const swept = await db.selectFrom('agencies').select('id').where('name', 'in', [...SWEPT_AGENCIES]).execute()
  const sharedChild = await created(person('child', 'Casey', { familyName: 'Sharedmarker' }))
  await db.insertInto('record_shares').values([...swept, havant].map((a) => ({ record_type: 'person', record_id: sharedChild, agency_id: a.id, purpose: 'Leak canary', legal_basis: 'children_act_1989_s47' as const }))).execute()
  const intelligence = await practitioner.post(`/people/${sharedChild}/notes/new`, {
    kind: 'intelligence', body: `${token} C-handled intelligence`, sensitivity: 'standard', gradeSource: C_NOTE_GRADE[0], gradeAssessment: C_NOTE_GRADE[1], gradeHandling: 'C',
    handlingConditions: `${token} Havant only`, handlingAgencies: havant.id, ...when,
  })
  if (intelligence.status !== 302) throw new Error(`C-handled note ${intelligence.status}`)
  const cNote = (await db.selectFrom('person_notes').select('id').where('person_id', '=', sharedChild).where('grade_handling', '=', 'C').executeTakeFirstOrThrow()).id

  const launched = await practitioner.post('/operations/new', { name: `Operation Lamplight ${randomBytes(3).toString('hex')}`, leadAgencyId: agency.id, partnerAgencyIds: swept.map((a) => a.id), status: 'active', startedOn: clock.today() })
  const operation = idFrom(launched, /\/operations\/([0-9a-f-]{36})/)
  for (const activity of <Record<string, string>[]>[
    { kind: 'safeguarding_visit', description: `${token} safeguarding visit details` },
    { kind: 'seizure', seizedItem: 'cash', quantity: '250', itemDescription: `${token} cash in a sock` },
  ]) {
    const recordedActivity = await practitioner.post(`/operations/${operation}/activities/new`, { occurredOn: clock.today(), entityId: childEntity, ...activity })
    if (recordedActivity.status !== 302) throw new Error(`operation activity ${recordedActivity.status}`)
  }

  const report = await db
    .insertInto('public_reports')
    .values({ reference: `${token.slice(6, 10)}-${token.slice(10, 14)}`, channel: 'online', journey_token: `journey-${token}`, what_happened: `${token} seen with ${token}Child at the station`, anonymous: true, received_on: clock.today() })
    .returning('id')
    .executeTakeFirstOrThrow()
  // Why the report is about the child is part of the child's record, for those who see it.
  const reportLinked = await manager.post(`/public-reports/${report.id}/links`, { entityType: 'person', entityId: child, note: `${token} why the report is about the child` })
  if (reportLinked.status !== 302) throw new Error(`public report link ${reportLinked.status}`)
  return { token, agencyId: agency.id, child, adult, duplicate, childEntity, lineEntity, link: link.id, cLink: cLink.id, cEnds: [jayLine.id, flat.id], conditionAgencyId: havant.id, upload, run, pair: pair.id, merge, report: report.id, meeting, action, calls, sharedChild, cNote, operation }
}

const MALFORMED = 'not-a-uuid'

/** The marker ids a route's `:id` may name, by the route's path. */
function idsFor(path: string, m: Markers): string[] {
  if (path.includes('/network/entities/')) return [m.childEntity, m.lineEntity]
  if (path.includes('/network/links/')) return [m.link, m.cLink]
  if (path.includes('/linkage/uploads/')) return [m.upload]
  if (path.includes('/linkage/runs/')) return [m.run]
  if (path.includes('/linkage/merges/')) return [m.merge]
  if (path.includes('/public-reports/')) return [m.report]
  if (path.includes('/plans/meetings/')) return [m.meeting]
  if (path.includes('/plans/actions/')) return [m.action]
  if (path.includes('/network/calls/')) return [m.calls]
  if (path.includes('/operations/')) return [m.operation]
  if (path.includes('/people/')) return [m.child, m.adult, m.duplicate]
  return [m.child]
}

function fill(path: string, id: string, m: Markers): string {
  return fillPath(path, (name) => (name === 'id' ? id : name === 'pairId' ? m.pair : name === 'file' ? 'nodes.csv' : name === 'slug' ? 'x' : name === 'token' ? 'x' : name === 'version' ? '1' : randomUUID()))
}

/** The GET requests for one route: each marker id, a malformed id, and the queries lists read. */
export function getProbes(route: RouteEntry, m: Markers, full = true): string[] {
  const params = parametersOf(route.path)
  // The shared child is read, never written: the swept agencies may lawfully change their record.
  const ids = [...idsFor(route.path, m), ...(route.path.includes('/people/') ? [m.sharedChild] : [])]
  const urls = params.length ? [...ids.map((id) => fill(route.path, id, m)), fill(route.path, MALFORMED, m)] : [route.path]
  if (!full) return urls.slice(0, 1)
  if (!aboutRecords(route)) return urls
  // Searches use most of the token, which every marker's text contains: the page echoing the search is no leak.
  const term = m.token.slice(0, -1)
  const queries = [
    `q=${term}&find=${term}&name=${term}&entityId=${m.childEntity}&targetId=${m.lineEntity}&a=${m.child}&b=${m.duplicate}&existing=${m.child}&created=${m.child}`,
    'page=2&pageSize=999999&kind=nonsense&steps=99&from=2099-99-99',
  ]
  return urls.flatMap((url) => [url, ...(params.length ? [] : queries.map((q) => `${url}?${q}`))])
}

/**
 * Every output that renders network links or intelligence around the C-handled link's ends: pages,
 * the map's data, each export, the timeline, paths, and the map and calls of an end. (The API has
 * no network endpoints; PDFs are of people and meetings, which this link is not about.)
 */
export function linkOutputs(m: Markers): string[] {
  const [end, other] = m.cEnds
  const around = `scope=entity&entityId=${end}&steps=2`
  return [
    `/network?${around}`, '/network', `/network/graph.json?${around}`, '/network/graph.json',
    ...['nodes.csv', 'links.csv', 'network.graphml', 'network.svg'].flatMap((file) => [`/network/export/${file}?${around}`, `/network/export/${file}`]),
    `/network/timeline?${around}`, `/network/paths?from=${end}&to=${other}`, '/network/two-mode', '/network/cross-border', '/network/geography',
    `/network/entities/${end}`, `/network/entities/${other}`, `/network/links/${m.cLink}`, `/network/entities/${end}/place/map.svg`, `/network/entities/${end}/calls`,
  ]
}

/** A form posted to every POST route, naming the markers wherever a form names a record. */
export function formFor(m: Markers): Record<string, string> {
  return {
    a: m.child, b: m.duplicate, survivorId: m.child, mergedId: m.duplicate, personId: m.child, entityId: m.childEntity, targetId: m.lineEntity,
    recordId: m.child, recordType: 'person', agencyId: m.agencyId, reportId: m.report, linkId: m.link, version: '1',
    reason: 'Checking whether this form leaks a record', note: 'canary', body: 'canary', decision: 'accepted', status: 'closed', returnTo: '/dashboard',
  }
}

export interface Leak {
  who: Identity
  request: string
  status: number
}

async function inParallel<T>(items: T[], width: number, each: (item: T) => Promise<void>) {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await each(items[next++])
  }))
}

function carries(res: Response, body: string, token: string): boolean {
  const needle = token.toLowerCase()
  if (body.toLowerCase().includes(needle)) return true
  let found = false
  res.headers.forEach((value) => {
    if (value.toLowerCase().includes(needle)) found = true
  })
  return found
}

const timings: [number, string][] = []
export function slowest(n: number) {
  return timings.sort((a, b) => b[0] - a[0]).slice(0, n).map(([ms, what]) => `${Math.round(ms)} ms ${what}`)
}

/** Requests every GET of `routes` as each identity; every response that carries a marker is a leak. */
export async function sweepGets(baseUrl: string, routes: RouteEntry[], identities: Identity[], m: Markers): Promise<Leak[]> {
  const leaks: Leak[] = []
  const seen = new Set<string>()
  for (const who of identities) {
    const client = new TestClient(baseUrl)
    if (who.email) await client.signIn(who.email)
    const urls = routes.filter((r) => r.method === 'GET' && !askedBefore(seen, r, who)).flatMap((r) => getProbes(r, m, admitted(r, who)))
    await inParallel(urls, 4, async (url) => {
      const t0 = performance.now()
      const api = url.startsWith('/api/')
      const res = api && who.apiToken ? await fetch(baseUrl + url, { headers: { authorization: `Bearer ${who.apiToken}` }, redirect: 'manual' }) : await client.get(url)
      const body = await res.text()
      if (carries(res, body, m.token)) leaks.push({ who, request: `GET ${url}`, status: res.status })
      if (process.env.CANARY_PROFILE) timings.push([performance.now() - t0, `${who.label} ${url}`])
    })
  }
  return leaks
}

/** Posts every form of `routes` with the markers' ids as each identity; a response carrying a marker is a leak. */
export async function sweepPosts(baseUrl: string, routes: RouteEntry[], identities: Identity[], m: Markers): Promise<Leak[]> {
  const leaks: Leak[] = []
  const seen = new Set<string>()
  for (const who of identities) {
    const client = new TestClient(baseUrl)
    if (who.email) await client.signIn(who.email)
    const csrf = await client.csrfToken()
    const posts = routes
      .filter((r) => r.method === 'POST' && !askedBefore(seen, r, who))
      .flatMap((r) => (parametersOf(r.path).length ? [...idsFor(r.path, m), MALFORMED].slice(0, admitted(r, who) ? undefined : 1).map((id) => fill(r.path, id, m)) : [r.path]))
    await inParallel(posts, 4, async (url) => {
      const res = await client.post(url, { ...formFor(m), _csrf: csrf })
      const body = await res.text()
      if (carries(res, body, m.token)) leaks.push({ who, request: `POST ${url}`, status: res.status })
    })
  }
  return leaks
}

/** Every row that holds or names a marker, to compare before and after the forms are posted. */
export async function markerRows(db: Db, m: Markers) {
  const people = [m.child, m.adult, m.duplicate]
  return {
    people: await db.selectFrom('people').selectAll().where('id', 'in', people).orderBy('id').execute(),
    notes: await db.selectFrom('person_notes').selectAll().where('person_id', 'in', people).orderBy('id').execute(),
    shares: await db.selectFrom('record_shares').selectAll().where('record_id', 'in', [...people, m.childEntity, m.lineEntity, m.link]).orderBy('id').execute(),
    entities: await db.selectFrom('network_entities').selectAll().where('id', 'in', [m.childEntity, m.lineEntity]).orderBy('id').execute(),
    links: await db
      .selectFrom('network_links')
      .selectAll()
      .where((eb) => eb.or([eb('source_id', 'in', [m.childEntity, m.lineEntity]), eb('target_id', 'in', [m.childEntity, m.lineEntity]), eb('id', '=', m.cLink)]))
      .orderBy('id')
      .execute(),
    runs: await db.selectFrom('linkage_runs').selectAll().where('id', '=', m.run).execute(),
    pairs: await db.selectFrom('linkage_run_pairs').selectAll().where('run_id', '=', m.run).orderBy('id').execute(),
    merges: await db.selectFrom('linkage_merges').selectAll().where((eb) => eb.or([eb('survivor_id', 'in', people), eb('merged_id', 'in', people)])).orderBy('id').execute(),
    report: await db.selectFrom('public_reports').selectAll().where('id', '=', m.report).execute(),
    meetings: await db.selectFrom('plan_meetings').selectAll().where('id', '=', m.meeting).execute(),
    actions: await db.selectFrom('plan_actions').selectAll().where('meeting_id', '=', m.meeting).orderBy('id').execute(),
    calls: await db.selectFrom('call_imports').selectAll().where('id', '=', m.calls).execute(),
    cNote: await db.selectFrom('person_notes').selectAll().where('id', '=', m.cNote).execute(),
    operation: await db.selectFrom('operation_activities').selectAll().where('operation_id', '=', m.operation).orderBy('id').execute(),
    attributions: await db.selectFrom('number_attributions').selectAll().where('entity_id', '=', m.lineEntity).orderBy('id').execute(),
  }
}
