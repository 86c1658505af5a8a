import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'

/** Posts a CSV file through the import form, as a browser does (the CSRF token in the action URL). */
async function upload(client: TestClient, baseUrl: string, csv: string, fields: Record<string, string | string[]> = { handling: 'P' }, name = 'calls.csv') {
  const token = await client.csrfToken('/network/calls')
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) form.append(k, item)
  form.append('file', new Blob([csv], { type: 'text/csv' }), name)
  const cookie = (client as unknown as { cookieHeader(): string }).cookieHeader()
  return fetch(`${baseUrl}/network/calls?_csrf=${encodeURIComponent(token)}`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie } })
}

describe.each(testDatabaseKinds())('phone data and line continuity on $name', (kind) => {
  let app: TestApp
  let jay: string
  let tommy: string
  const as = async (email: string) => {
    const c = new TestClient(app.baseUrl)
    await c.signIn(email)
    return c
  }
  const callCount = async () => Number((await app.database.db.selectFrom('call_records').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)

  beforeAll(async () => {
    app = await startTestApp({ kind })
    const lines = await app.database.db.selectFrom('network_entities').select(['id', 'line_name']).where('kind', '=', 'line').execute()
    jay = lines.find((l) => l.line_name === 'JAY')!.id
    tommy = lines.find((l) => l.line_name === 'TOMMY')!.id
  }, 120_000)
  afterAll(async () => app?.close())

  it('shows the analyst the JAY line’s contacts, its calls by day and by hour of the week, and its top contacts by month', async () => {
    const analyst = await as('analyst@lantern.test')
    // The line's own page leads to its calls.
    const linePage = await (await analyst.get(`/network/entities/${jay}`)).text()
    expect(linePage).toContain(`href="/network/entities/${jay}/calls" data-testid="calls-link"`)
    const res = await analyst.get(`/network/entities/${jay}/calls`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('+447700900461')
    const contacts = html.split('data-testid="contacts"')[1].split('</table>')[0]
    expect(contacts.match(/<tr class="govuk-table__row">/g)!.length).toBeGreaterThan(20)
    expect(html).toMatch(/data-testid="daily-chart"><svg[^>]*role="img"/)
    expect(html).toMatch(/data-testid="hour-chart"><svg/)
    // Each month of the busiest contacts' table is named.
    const monthly = html.split('data-testid="top-contacts-monthly"')[1].split('</table>')[0]
    const months = [...monthly.matchAll(/<th scope="row" class="govuk-table__header">([^<]*)<\/th>/g)].map((m) => m[1])
    expect(months.length).toBeGreaterThan(1)
    for (const m of months) expect(m).toMatch(/^[A-Z][a-z]+ \d{4}$/)
    const audit = await app.database.db.selectFrom('audit_events').select(['details']).where('action', '=', 'view').where('record_id', '=', jay).execute()
    expect(audit.some((a) => (a.details as { page?: string } | null)?.page === 'calls')).toBe(true)
  })

  it('flags the number that took over the closed JAY line, and accepting it links it to the line', async () => {
    const analyst = await as('analyst@lantern.test')
    const flags = await app.database.db.selectFrom('line_successor_flags').select(['id', 'number', 'status', 'line_entity_id']).execute()
    expect(flags.filter((f) => f.line_entity_id === jay)).toHaveLength(1)
    const flag = flags.find((f) => f.line_entity_id === jay)!
    const overview = await (await analyst.get('/network/calls')).text()
    expect(overview.split('data-testid="pending-successors"')[1]).toContain(flag.number)
    // An open line is never scored: TOMMY has no closure.
    expect(flags.some((f) => f.line_entity_id === tommy)).toBe(false)

    const res = await analyst.post(`/network/calls/successors/${flag.id}`, { decision: 'accept', reason: 'Same customers, same flat' })
    expect(res.status).toBe(303)
    const page = await (await analyst.get(`/network/entities/${jay}/calls`)).text()
    expect(page.split('data-testid="attributions"')[1].split('</table>')[0]).toContain(flag.number)
    expect(page).toContain('Accepted by Alex Morgan: Same customers, same flat')
    // The successor's calls now count as the line's.
    expect(page.split('data-testid="calls-summary"')[1]).toContain(flag.number)
    // Deciding twice changes nothing.
    await analyst.post(`/network/calls/successors/${flag.id}`, { decision: 'reject' })
    expect((await app.database.db.selectFrom('line_successor_flags').select('status').where('id', '=', flag.id).executeTakeFirstOrThrow()).status).toBe('accepted')
    expect((await app.database.db.selectFrom('audit_events').select('id').where('record_type', '=', 'line_successor_flag').where('record_id', '=', flag.id).execute()).length).toBe(1)
  })

  it('keeps police-only call data from the council, though the council may see the line', async () => {
    const council = await as('practitioner@lantern.test')
    const res = await council.get(`/network/entities/${jay}/calls`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).not.toContain('data-testid="contacts"')
    expect(html).not.toContain('successor-')
    const overview = await (await council.get('/network/calls')).text()
    expect(overview).not.toContain('harbour-telephone-data.csv')
  })

  it('imports nothing from a file with a bad row, and names the file and line of each', async () => {
    const analyst = await as('analyst@lantern.test')
    const before = await callCount()
    const csv = 'caller,callee,start,duration,cell_site\n07700 900301,07700 900302,2026-11-01 20:00:00,60,HAV-1\n07700 900301,not a number,2026-11-01 20:05:00,60,HAV-1\n07700 900301,07700 900302,2026-11-31 20:05:00,60,HAV-1\n07700 900301,07700\u0000900302,2026-11-01 20:05:00,60,HAV-1\n'
    const res = await upload(analyst, app.baseUrl, csv, { handling: 'C', conditions: 'Police only' }, 'bad.csv')
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('There is a problem')
    expect(html).toContain('bad.csv, line 3: callee')
    expect(html).toContain('bad.csv, line 4: start')
    expect(html).toContain('bad.csv, line 5: field 2 holds a NUL byte')
    // The answers are kept.
    expect(html).toMatch(/value="C"[^>]*checked/)
    expect(html).toContain('Police only')
    expect(await callCount()).toBe(before)
  })

  it('imports a good file, in E.164, held by the importer’s agency', async () => {
    const analyst = await as('analyst@lantern.test')
    const before = await callCount()
    const csv = 'caller,callee,start,duration\n07700 900301,+44 7700 900302,2026-11-01 20:00:00,60\n07700900302,07700 900301,2026-11-01T20:05:00Z,12\n'
    const res = await upload(analyst, app.baseUrl, csv, { handling: 'P' }, 'good.csv')
    expect(res.status).toBe(303)
    expect(await callCount()).toBe(before + 2)
    const rows = await app.database.db.selectFrom('call_records as c').innerJoin('call_imports as i', 'i.id', 'c.import_id').select(['c.caller', 'c.callee', 'c.started_at', 'i.owner_agency_id']).where('i.file_name', '=', 'good.csv').orderBy('c.started_at').execute()
    expect(rows.map((r) => [r.caller, r.callee, new Date(r.started_at).toISOString()])).toEqual([
      ['+447700900301', '+447700900302', '2026-11-01T20:00:00.000Z'],
      ['+447700900302', '+447700900301', '2026-11-01T20:05:00.000Z'],
    ])
    expect(await (await analyst.get('/network/calls')).text()).toContain('good.csv')
  })

  it('refuses an import, and a decision, to a role that may not edit the network', async () => {
    const panel = await as('panel@lantern.test')
    expect((await panel.get('/network/calls')).status).toBe(403)
    const council = await as('practitioner@lantern.test')
    const res = await upload(council, app.baseUrl, 'caller,callee,start,duration\n07700 900301,07700 900302,2026-11-01 20:00,1\n')
    expect(res.status).toBe(403)
  })

  it('attributes a number to a line from a date, with the GOV.UK error summary and answers kept when it is wrong', async () => {
    const analyst = await as('analyst@lantern.test')
    const bad = await analyst.post(`/network/entities/${tommy}/calls/numbers`, { number: 'abc', 'from-day': '31', 'from-month': '2', 'from-year': '2026', basis: 'Handset seized' })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('There is a problem')
    expect(html).toContain('Date from must be a real date')
    expect(html).toContain('value="abc"')
    const good = await analyst.post(`/network/entities/${tommy}/calls/numbers`, { number: '07700 900999', 'from-day': '1', 'from-month': '10', 'from-year': '2026', basis: 'Handset seized from a runner' })
    expect(good.status).toBe(303)
    const page = await (await analyst.get(`/network/entities/${tommy}/calls`)).text()
    expect(page.split('data-testid="attributions"')[1]).toContain('+447700900999')
  })
})
