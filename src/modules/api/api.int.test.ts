import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Validator } from '@seriousme/openapi-schema-validator'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { hashToken } from './tokens.ts'
import { apiRoutes } from './routes.ts'

let app: TestApp
let admin: TestClient
const tokens: Record<string, string> = {}
const clients = new Map<string, TestClient>()
const EMAILS = { practitioner: 'practitioner@lantern.test', officer: 'officer@lantern.test', manager: 'manager@lantern.test', panel: 'panel@lantern.test', nurse: 'h.evans@lantern.test' }

const db = () => app.database.db
async function userId(email: string) {
  return (await db().selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
}
async function personId(given: string, family: string) {
  return (await db().selectFrom('people').select('id').where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id
}
/** A client signed in as this user, made once per user. */
async function signedIn(email: string) {
  if (!clients.has(email)) {
    const client = new TestClient(app.baseUrl)
    await client.signIn(email)
    clients.set(email, client)
  }
  return clients.get(email)!
}
/** Issues a token on the user's own account page, as only they can. */
async function issue(email: string, name = 'Test client', days = '90') {
  const res = await (await signedIn(email)).post('/account/api-tokens', { name, days })
  expect(res.status).toBe(201)
  const html = await res.text()
  return html.match(/data-testid="issued-token"/) ? html.match(/value="(lantern_pat_[A-Za-z0-9_-]+)"/)![1] : ''
}
function api(path: string, token?: string, headers: Record<string, string> = {}) {
  return fetch(`${app.baseUrl}/api/v1${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } })
}

beforeAll(async () => {
  app = await startTestApp()
  admin = await signedIn('admin@lantern.test')
  for (const [key, email] of Object.entries(EMAILS)) tokens[key] = await issue(email)
})
afterAll(async () => {
  await app?.close()
})

describe('issuing tokens', () => {
  it('shows the token once to the user who issued it and stores only its SHA-256 hash', async () => {
    const token = await issue(EMAILS.practitioner, 'Nightly match')
    expect(token).toMatch(/^lantern_pat_[A-Za-z0-9_-]{43}$/)
    const row = await db().selectFrom('api_tokens').selectAll().where('name', '=', 'Nightly match').executeTakeFirstOrThrow()
    expect(row.user_id).toBe(await userId(EMAILS.practitioner))
    expect(row.token_hash).toBe(hashToken(token))
    expect(JSON.stringify(row)).not.toContain(token)
    const audit = await db().selectFrom('audit_events').selectAll().where('record_type', '=', 'api_token').where('record_id', '=', row.id).execute()
    expect(audit.map((a) => a.action)).toEqual(['create'])
    expect(JSON.stringify(audit)).not.toContain(token)
    const mine = await (await (await signedIn(EMAILS.practitioner)).get('/account/api-tokens')).text()
    expect(mine).toContain('Nightly match')
    expect(mine).not.toContain(token)
    const list = await (await admin.get('/admin/api-tokens')).text()
    expect(list).toContain('Nightly match')
    expect(list).toContain(`…${token.slice(-4)}`)
    expect(list).not.toContain(token)
  })

  it('lists on the account page only the user’s own tokens', async () => {
    await issue(EMAILS.officer, 'Officer only script')
    const mine = await (await (await signedIn(EMAILS.practitioner)).get('/account/api-tokens')).text()
    expect(mine).not.toContain('Officer only script')
  })

  it('refuses a token with no purpose or expiry, keeping the answers', async () => {
    const res = await (await signedIn(EMAILS.practitioner)).post('/account/api-tokens', { name: '', days: '7' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('Enter what the token is for')
    expect(html).toContain('Select when the token expires')
  })

  it('never lets an administrator issue a token for someone else', async () => {
    const practitioner = await userId(EMAILS.practitioner)
    const before = await db().selectFrom('api_tokens').select('id').where('user_id', '=', practitioner).execute()
    expect((await admin.post('/admin/api-tokens', { userId: practitioner, name: 'Act as Sam', days: '30' })).status).toBe(404)
    // A user id sent to the account page is ignored: the token is the administrator's own.
    await admin.post('/account/api-tokens', { userId: practitioner, name: 'Act as Sam', days: '30' })
    const after = await db().selectFrom('api_tokens').select('id').where('user_id', '=', practitioner).execute()
    expect(after).toHaveLength(before.length)
    const issued = await db().selectFrom('api_tokens').select('user_id').where('name', '=', 'Act as Sam').execute()
    expect(issued.map((t) => t.user_id)).toEqual([await userId('admin@lantern.test')])
    expect(await (await admin.get('/admin/api-tokens')).text()).not.toContain('Who is it for?')
  })

  it('lets a user revoke their own token and no one else’s; an administrator revokes any', async () => {
    const own = await issue(EMAILS.manager, 'Manager own')
    const other = await issue(EMAILS.officer, 'Officer other')
    const idOf = async (token: string) => (await db().selectFrom('api_tokens').select('id').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow()).id
    // Whether it is revoked is read from the table: the next test counts refused uses of revoked tokens.
    const revoked = async (token: string) => (await db().selectFrom('api_tokens').select('revoked_at').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow()).revoked_at !== null
    const manager = await signedIn(EMAILS.manager)
    expect((await manager.post(`/account/api-tokens/${await idOf(other)}/revoke`, {})).status).toBe(404)
    expect(await revoked(other)).toBe(false)
    expect((await manager.post(`/account/api-tokens/${await idOf(own)}/revoke`, {})).status).toBe(302)
    expect(await revoked(own)).toBe(true)
    expect((await manager.get('/admin/api-tokens')).status).toBe(403)
    expect((await admin.post(`/admin/api-tokens/${await idOf(other)}/revoke`, {})).status).toBe(302)
    expect(await revoked(other)).toBe(true)
  })
})

describe('the audit trail names the token', () => {
  it('records the token’s id and name on every event made through the API', async () => {
    const token = await issue(EMAILS.practitioner, 'Case system sync')
    const kyle = await personId('Kyle', 'Marsh')
    expect((await api(`/people/${kyle}`, token)).status).toBe(200)
    const row = await db().selectFrom('api_tokens').select('id').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow()
    const view = await db().selectFrom('audit_events').selectAll().where('action', '=', 'view').where('record_id', '=', kyle).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(view).toMatchObject({ user_email: EMAILS.practitioner, token_id: row.id, token_name: 'Case system sync' })
    const page = await (await signedIn(EMAILS.practitioner)).get(`/people/${kyle}`)
    expect(page.status).toBe(200)
    const browser = await db().selectFrom('audit_events').selectAll().where('action', '=', 'view').where('record_id', '=', kyle).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(browser).toMatchObject({ token_id: null, token_name: null })
  })
})

describe('authentication', () => {
  it('answers 401 in JSON without a token, with a wrong one, or with a session cookie alone', async () => {
    for (const res of [await api('/people'), await api('/people', 'lantern_pat_not-a-real-token'), await api('/people', undefined, { authorization: 'Basic abc' })]) {
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="lantern"/)
      expect(await res.json()).toMatchObject({ error: 'unauthorised' })
    }
    const signedIn = new TestClient(app.baseUrl)
    await signedIn.signIn(EMAILS.manager)
    expect((await signedIn.get('/api/v1/people')).status).toBe(401)
  })

  it('acts as the user the token was issued for', async () => {
    const me = await (await api('/me', tokens.officer)).json()
    expect(me).toMatchObject({ email: EMAILS.officer, role: 'practitioner', agency: { name: 'Hampshire and Isle of Wight Constabulary' } })
    expect(me.permissions).toContain('person:view')
  })

  it('stops a revoked token, an expired one, and one whose user is deactivated, and audits each use', async () => {
    const revoked = await issue(EMAILS.manager, 'To revoke')
    expect((await api('/me', revoked)).status).toBe(200)
    const row = await db().selectFrom('api_tokens').select('id').where('token_hash', '=', hashToken(revoked)).executeTakeFirstOrThrow()
    expect((await admin.post(`/admin/api-tokens/${row.id}/revoke`, {})).status).toBe(302)
    const res = await api('/me', revoked)
    expect(res.status).toBe(401)
    expect((await res.json()).message).toBe('The API token has been revoked')

    const expired = await issue(EMAILS.manager, 'To expire')
    await db().updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', hashToken(expired)).execute()
    expect((await (await api('/me', expired)).json()).message).toBe('The API token has expired')

    const nurseToken = await issue(EMAILS.nurse, 'Nurse script')
    await db().updateTable('users').set({ active: false }).where('email', '=', EMAILS.nurse).execute()
    expect((await api('/me', nurseToken)).status).toBe(401)
    await db().updateTable('users').set({ active: true }).where('email', '=', EMAILS.nurse).execute()

    const refused = await db().selectFrom('audit_events').select('details').where('action', '=', 'api-token-refused').execute()
    expect(refused.map((r) => (r.details as { reason: string }).reason).sort()).toEqual(['expired', 'inactive', 'revoked'])
  })
})

describe('the same rules as the pages', () => {
  it('lists only the people the user may see, audited as a search through the API', async () => {
    const page = await (await api('/people?kind=all&pageSize=100', tokens.practitioner)).json()
    const practitioner = new TestClient(app.baseUrl)
    await practitioner.signIn(EMAILS.practitioner)
    const html = await (await practitioner.get('/register?kind=all&pageSize=100')).text()
    const pageIds = [...html.matchAll(/href="\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1])
    expect(page.total).toBe(pageIds.length)
    expect(page.data.map((p: { id: string }) => p.id).sort()).toEqual([...pageIds].sort())
    expect(page.data.map((p: { id: string }) => p.id)).not.toContain(await personId('Dwayne', 'Okoro'))
    const events = await db().selectFrom('audit_events').select(['details', 'path']).where('user_email', '=', EMAILS.practitioner).where('action', '=', 'search').orderBy('id').execute()
    expect(events.map((e) => e.path)).toEqual(['/api/v1/people', '/register'])
    expect(events[0].details).toMatchObject({ via: 'api', filter: { kind: 'all' }, results: page.total })
  })

  it('answers 400 with the zod issues for a bad filter, and 404 for a malformed id, an unknown person or endpoint', async () => {
    const bad = await api('/people?rag=purple&pageSize=7', tokens.practitioner)
    expect(bad.status).toBe(400)
    const body = await bad.json()
    expect(body.error).toBe('bad_request')
    expect(body.issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['pageSize', 'rag'])
    const malformed = await api('/people/not-an-id', tokens.practitioner)
    expect(malformed.status).toBe(404)
    expect(await malformed.json()).toMatchObject({ error: 'not_found' })
    const missing = await api('/people/00000000-0000-4000-8000-000000000000', tokens.practitioner)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: 'not_found' })
    expect((await api('/nothing-here', tokens.practitioner)).status).toBe(404)
  })

  it('refuses a person outside need-to-know with 403 (audited), and every person to a panel member', async () => {
    const jay = await personId('Dwayne', 'Okoro')
    const res = await api(`/people/${jay}`, tokens.practitioner)
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ error: 'forbidden', reason: 'need-to-know' })
    const denied = await db().selectFrom('audit_events').select('path').where('action', '=', 'access-denied').where('record_id', '=', jay).where('user_email', '=', EMAILS.practitioner).executeTakeFirstOrThrow()
    expect(denied.path).toBe(`/api/v1/people/${jay}`)
    expect((await api(`/people/${jay}`, tokens.officer)).status).toBe(200)
    for (const path of ['/people', `/people/${jay}`]) {
      const panel = await api(path, tokens.panel)
      expect(panel.status).toBe(403)
      expect(await panel.json()).toMatchObject({ reason: 'role' })
    }
  })

  it('returns a person, audited as a view, and hides police-only notes from other agencies', async () => {
    const kyle = await personId('Kyle', 'Marsh')
    const person = await (await api(`/people/${kyle}`, tokens.practitioner)).json()
    expect(person).toMatchObject({ id: kyle, givenName: 'Kyle', aliases: [{ name: 'K-Dog' }] })
    const view = await db().selectFrom('audit_events').select('path').where('action', '=', 'view').where('record_id', '=', kyle).where('user_email', '=', EMAILS.practitioner).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(view.path).toBe(`/api/v1/people/${kyle}`)

    const council = await (await api(`/people/${kyle}/notes`, tokens.practitioner)).json()
    const police = await (await api(`/people/${kyle}/notes`, tokens.officer)).json()
    const policeOnly = police.data.filter((n: { sensitivity: string }) => n.sensitivity === 'police_only')
    expect(policeOnly.length).toBeGreaterThan(0)
    expect(council.data.some((n: { sensitivity: string }) => n.sensitivity === 'police_only')).toBe(false)
    expect(council.total).toBe(police.total - policeOnly.length)
  })

  it('returns the assessments and missing episodes the pages show', async () => {
    const kyle = await personId('Kyle', 'Marsh')
    const assessments = await (await api(`/people/${kyle}/assessments`, tokens.practitioner)).json()
    const submitted = await db().selectFrom('risk_assessments').select('id').where('person_id', '=', kyle).where('status', 'in', ['final', 'awaiting_confirmation']).execute()
    expect(assessments.data.map((a: { id: string }) => a.id).sort()).toEqual(submitted.map((s) => s.id).sort())
    const episodes = await (await api(`/people/${kyle}/missing-episodes`, tokens.practitioner)).json()
    const stored = await db().selectFrom('missing_episodes').select('id').where('person_id', '=', kyle).execute()
    expect(episodes.data).toHaveLength(stored.length)
    // An episode voided as recorded in error is listed, and says so, so that no client counts it.
    const wrong = await db().insertInto('missing_episodes').values({ person_id: kyle, reported_missing_at: new Date('2020-01-01T10:00:00Z'), concerns: '[]', voided_at: new Date('2020-01-02T10:00:00Z'), voided_by: (await db().selectFrom('users').select('id').where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()).id, void_reason: 'Wrong child' }).returning('id').executeTakeFirstOrThrow()
    const withVoided = await (await api(`/people/${kyle}/missing-episodes`, tokens.practitioner)).json()
    expect(withVoided.data.find((e: { id: string }) => e.id === wrong.id).voided).toEqual({ at: '2020-01-02T10:00:00.000Z', by: 'Sam Okafor', reason: 'Wrong child' })
    expect(withVoided.data.filter((e: { voided: unknown }) => e.voided === null)).toHaveLength(stored.length)
    const jay = await personId('Dwayne', 'Okoro')
    expect((await api(`/people/${jay}/assessments`, tokens.practitioner)).status).toBe(403)
    expect((await api(`/people/${jay}/missing-episodes`, tokens.practitioner)).status).toBe(403)
  })

  it('returns the meetings about a person and one meeting as the plan pages show them, never one about someone the user may not see', async () => {
    const kyle = await personId('Kyle', 'Marsh')
    const jay = await personId('Dwayne', 'Okoro')
    const officer = await userId(EMAILS.officer)
    const jayOwner = (await db().selectFrom('people').select('owner_agency_id').where('id', '=', jay).executeTakeFirstOrThrow()).owner_agency_id
    const hidden = await db()
      .insertInto('plan_meetings')
      .values({ kind: 'strategy', held_on: '2026-11-03', chair: 'DI Hidden', subject_ids: sql<string[]>`array[${kyle}, ${jay}]::uuid[]`, attendees: JSON.stringify([]), decisions: 'About Kyle and Jay', recorded_by_agency_id: jayOwner, created_by: officer })
      .returning('id')
      .executeTakeFirstOrThrow()
    const listed = await (await api(`/people/${kyle}/meetings`, tokens.practitioner)).json()
    const ids = listed.data.map((m: { id: string }) => m.id)
    expect(ids.length).toBeGreaterThan(0)
    expect(ids).not.toContain(hidden.id)
    // The officer may see both, so the officer's list has it.
    expect((await (await api(`/people/${kyle}/meetings`, tokens.officer)).json()).data.map((m: { id: string }) => m.id)).toContain(hidden.id)
    expect((await api(`/meetings/${hidden.id}`, tokens.practitioner)).status).toBe(404)

    const mace = listed.data.find((m: { kind: string }) => m.kind === 'mace')
    const meeting = await (await api(`/meetings/${mace.id}`, tokens.practitioner)).json()
    expect(meeting).toMatchObject({ id: mace.id, kind: 'mace', chair: 'DI Sarah Collins' })
    expect(meeting.peopleDiscussed.map((p: { id: string }) => p.id)).toContain(kyle)
    expect(meeting.actions.length).toBeGreaterThan(0)
    const viewed = await db().selectFrom('audit_events').select('path').where('record_id', '=', mace.id).where('user_email', '=', EMAILS.practitioner).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(viewed.path).toBe(`/api/v1/meetings/${mace.id}`)
    expect((await api(`/people/${jay}/meetings`, tokens.practitioner)).status).toBe(403)
  })
})

describe('the OpenAPI document', () => {
  type Schema = Record<string, unknown>
  let doc: Schema

  beforeAll(async () => {
    const res = await api('/openapi.json')
    expect(res.status).toBe(200)
    doc = await res.json()
  })

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator()
    const result = await validator.validate(doc as never)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('documents every route the API serves, and serves every documented path', () => {
    const router = apiRoutes(app.services as never as Parameters<typeof apiRoutes>[0]) as unknown as { stack: { route?: { path: string } }[] }
    const served = router.stack.flatMap((l) => (l.route ? [l.route.path.replace(/:(\w+)/g, '{$1}')] : [])).filter((p) => p !== '/openapi.json')
    expect(served.sort()).toEqual(Object.keys(doc.paths as Schema).sort())
  })

  /** A small JSON Schema check (type, required, properties, items, enum, oneOf, allOf, $ref) of a real response. */
  function conforms(value: unknown, schema: Schema, path = '$'): string[] {
    if (schema.$ref) return conforms(value, resolve(schema.$ref as string), path)
    if (schema.allOf) return (schema.allOf as Schema[]).flatMap((s) => conforms(value, s, path))
    if (schema.oneOf) return (schema.oneOf as Schema[]).some((s) => conforms(value, s, path).length === 0) ? [] : [`${path}: matches none of oneOf`]
    if (schema.const !== undefined) return value === schema.const ? [] : [`${path}: not ${String(schema.const)}`]
    if (schema.enum && !(schema.enum as unknown[]).includes(value)) return [`${path}: ${String(value)} not in enum`]
    const type = schema.type as string | undefined
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value
    if (type && !(type === actual || (type === 'number' && actual === 'integer'))) return [`${path}: ${actual} is not ${type}`]
    const problems: string[] = []
    if (type === 'object' && value) {
      for (const key of (schema.required as string[]) ?? []) if (!(key in (value as Schema))) problems.push(`${path}.${key}: missing`)
      for (const [key, sub] of Object.entries((schema.properties as Record<string, Schema>) ?? {})) {
        if ((value as Schema)[key] !== undefined) problems.push(...conforms((value as Schema)[key], sub, `${path}.${key}`))
      }
    }
    if (type === 'array') (value as unknown[]).forEach((v, i) => problems.push(...conforms(v, schema.items as Schema, `${path}[${i}]`)))
    return problems
  }
  function resolve(ref: string): Schema {
    return ref.replace(/^#\//, '').split('/').reduce((node: Schema, key) => node[key] as Schema, doc)
  }
  const response = (path: string, status = '200') => {
    const r = ((doc.paths as Schema)[path] as Schema & { get: { responses: Record<string, Schema> } }).get.responses[status]
    const resolved = r.$ref ? resolve(r.$ref as string) : r
    return ((resolved.content as Schema)['application/json'] as Schema).schema as Schema
  }

  it('describes what the API really returns', async () => {
    const kyle = await personId('Kyle', 'Marsh')
    const checks: [string, string, string][] = [
      ['/me', '/me', '200'],
      ['/people', '/people?kind=all&pageSize=100', '200'],
      ['/people/{id}', `/people/${kyle}`, '200'],
      ['/people/{id}/notes', `/people/${kyle}/notes`, '200'],
      ['/people/{id}/assessments', `/people/${kyle}/assessments`, '200'],
      ['/people/{id}/missing-episodes', `/people/${kyle}/missing-episodes`, '200'],
      ['/people/{id}/meetings', `/people/${kyle}/meetings`, '200'],
      ['/people', '/people?rag=purple', '400'],
      ['/people/{id}', `/people/${await personId('Dwayne', 'Okoro')}`, '403'],
    ]
    const meeting = (await (await api(`/people/${kyle}/meetings`, tokens.practitioner)).json()).data[0].id
    checks.push(['/meetings/{id}', `/meetings/${meeting}`, '200'])
    for (const [documented, path, status] of checks) {
      const res = await api(path, tokens.practitioner)
      expect(String(res.status), path).toBe(status)
      expect(conforms(await res.json(), response(documented, status)), path).toEqual([])
    }
    expect(conforms(await (await api('/people')).json(), response('/people', '401'))).toEqual([])
  })
})
