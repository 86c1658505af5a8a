import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { sql, type KyselyPlugin } from 'kysely'
import { pino } from 'pino'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { conflictPage, row } from '../../../test/support/conflict.ts'
import { createLogger } from '../../web/logger.ts'
import { reportsStore } from './store.ts'
import { publicReportStats } from './service.ts'
import { answerJourney, answersFor, modulesWithPublic, postForm, secondInstance, TEST_RATE_LIMITS, tokenIn } from '../../../test/support/public.ts'

let app: TestApp
let havant: string

beforeAll(async () => {
  app = await startTestApp({ modules: modulesWithPublic({ rateLimits: TEST_RATE_LIMITS }) })
  havant = (await app.database.db.selectFrom('areas').select('id').where('code', '=', 'E07000090').executeTakeFirstOrThrow()).id
})
afterAll(async () => {
  await app?.close()
})

const reportByReference = (reference: string) => app.database.db.selectFrom('public_reports').selectAll().where('reference', '=', reference).executeTakeFirst()

async function send(client: TestClient, token: string) {
  return postForm(client, '/report/check', { _csrf: token, homepage: '' })
}

async function confirmationReference(client: TestClient) {
  const res = await client.get('/report/confirmation')
  expect(res.status).toBe(200)
  const html = await res.text()
  return { res, html, reference: html.match(/data-testid="reference">([A-Z0-9-]+)</)![1] }
}

describe('reporting a concern', () => {
  it('asks one question per page, checks the answers, and saves the report exactly as written', async () => {
    const client = new TestClient(app.baseUrl)
    const answers = answersFor(havant, {
      what: '  Visitors every night — “five or six” — some only 2 minutes.\nThe curtains stay shut.  ',
      contact: 'contact',
      contactName: 'Margaret',
      contactPhone: '07700 900123',
    })
    const token = await answerJourney(client, answers)
    const check = await (await client.get('/report/check')).text()
    expect(check).toContain('Check your answers before sending your report')
    expect(check).toContain('Havant')
    expect(check).toContain('href="/report/where?change=1"')
    expect(check).toContain('Margaret<br />')

    const sent = await send(client, token)
    expect(sent.status).toBe(303)
    expect(sent.headers.get('location')).toBe('/report/confirmation')
    const sid = decodeURIComponent(client.cookie('lantern.sid')!).replace(/^s:/, '').split('.')[0]
    const { res, reference } = await confirmationReference(client)
    expect(reference).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/)

    // The session and its cookie are gone once the report is saved.
    expect(res.headers.getSetCookie().some((c) => c.startsWith('lantern.sid=;') && /Expires=Thu, 01 Jan 1970/i.test(c))).toBe(true)
    expect(await app.database.db.selectFrom('sessions').select('sid').where('sid', '=', sid).executeTakeFirst()).toBeUndefined()
    expect((await client.get('/report/confirmation')).headers.get('location')).toBe('/report')

    const row = await reportByReference(reference)
    expect(row).toMatchObject({
      channel: 'online',
      what_happened: answers.what.trim(),
      where_happened: 'Ground-floor flat, Dunsbury Way',
      area_id: havant,
      when_happened: 'ongoing',
      when_detail: 'Every night this week',
      child_at_risk: 'yes',
      anything_else: null,
      anonymous: false,
      contact_name: 'Margaret',
      contact_phone: '07700 900123',
      contact_email: null,
    })
    expect(row!.received_on).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('shows GOV.UK errors and keeps what was typed, and requires contact details when the reporter chose to give them', async () => {
    const client = new TestClient(app.baseUrl)
    let page = await client.get('/report/what-you-saw')
    let res = await postForm(client, '/report/what-you-saw', { _csrf: tokenIn(await page.text()), what: '   ' })
    expect(res.status).toBe(400)
    let html = await res.text()
    expect(html).toContain('<title>Error: What did you see or hear? – Report a concern – Lantern</title>')
    expect(html).toContain('href="#what">Enter what you saw or heard</a>')

    res = await postForm(client, '/report/what-you-saw', { _csrf: tokenIn(html), what: 'x'.repeat(5001) })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('What you saw or heard must be 5,000 characters or fewer')

    page = await client.get('/report/where')
    res = await postForm(client, '/report/where', { _csrf: tokenIn(await page.text()), where: 'The corner shop', area: '00000000-0000-4000-8000-000000000000' })
    expect(res.status).toBe(400)
    html = await res.text()
    expect(html).toContain('Select the area it is in, or ‘I don’t know’')
    expect(html).toContain('The corner shop')

    const token = tokenIn(await (await client.get('/report/contact')).text())
    res = await postForm(client, '/report/contact', { _csrf: token })
    expect(await res.text()).toContain('Select whether you want to give your contact details')
    res = await postForm(client, '/report/contact', { _csrf: token, contact: 'contact' })
    expect(res.headers.get('location')).toBe('/report/contact-details')
    page = await client.get('/report/contact-details')
    res = await postForm(client, '/report/contact-details', { _csrf: tokenIn(await page.text()), contactName: 'Pat', contactEmail: 'not-an-email' })
    expect(res.status).toBe(400)
    html = await res.text()
    expect(html).toContain('Enter an email address in the correct format, like name@example.com')
    expect(html).toContain('value="Pat"')
    res = await postForm(client, '/report/contact-details', { _csrf: tokenIn(html), contactName: 'Pat' })
    expect(await res.text()).toContain('Enter a phone number or an email address')
  })

  it('never loses an answer going back, and returns to check after changing one', async () => {
    const client = new TestClient(app.baseUrl)
    const token = await answerJourney(client, answersFor(havant, { who: 'A man in a black Audi' }))
    // The back button: every earlier page shows what was answered.
    expect(await (await client.get('/report/who')).text()).toContain('A man in a black Audi')
    expect(await (await client.get('/report/where')).text()).toMatch(new RegExp(`value="${havant}" selected`))
    // Change an answer from check your answers.
    const page = await client.get('/report/when?change=1')
    const html = await page.text()
    expect(html).toContain('action="/report/when?change=1"')
    expect(html).toContain('href="/report/check"')
    const res = await postForm(client, '/report/when?change=1', { _csrf: tokenIn(html), when: 'week', whenDetail: '' })
    expect(res.headers.get('location')).toBe('/report/check')
    expect(await (await client.get('/report/check')).text()).toContain('In the last 7 days')
    expect(token).toBeTruthy()
  })

  it('sends a journey that is not finished back to its first unanswered question', async () => {
    const client = new TestClient(app.baseUrl)
    const page = await client.get('/report/what-you-saw')
    await postForm(client, '/report/what-you-saw', { _csrf: tokenIn(await page.text()), what: 'Cars stopping' })
    expect((await client.get('/report/check')).headers.get('location')).toBe('/report/where')
    const res = await send(client, tokenIn(await (await client.get('/report/where')).text()))
    expect(res.headers.get('location')).toBe('/report/where')
    expect((await new TestClient(app.baseUrl).get('/report/check')).headers.get('location')).toBe('/report')
  })

  it('creates exactly one report for a double click, and shows its reference to both', async () => {
    const client = new TestClient(app.baseUrl)
    const token = await answerJourney(client, answersFor(havant, { what: 'Double submit probe' }))
    const [a, b] = await Promise.all([send(client, token), send(client, token)])
    expect([a.status, b.status]).toEqual([303, 303])
    // A third, late click still finds the same report rather than a form error.
    const c = await send(client, token)
    expect(c.headers.get('location')).toBe('/report/confirmation')
    const { reference } = await confirmationReference(client)
    const rows = await app.database.db.selectFrom('public_reports').select('reference').where('what_happened', '=', 'Double submit probe').execute()
    expect(rows).toEqual([{ reference }])
  })

  it('refuses a form without its CSRF token, and a form a bot filled in (the honeypot), saving nothing', async () => {
    const client = new TestClient(app.baseUrl)
    await client.get('/report/what-you-saw')
    expect((await postForm(client, '/report/what-you-saw', { what: 'No token' })).status).toBe(403)
    const token = await answerJourney(client, answersFor(havant, { what: 'Honeypot probe' }))
    const res = await postForm(client, '/report/check', { _csrf: token, homepage: 'http://spam.example' })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Sorry, we could not accept this report')
    const page = await client.get('/report/who')
    const bot = await postForm(client, '/report/who', { _csrf: tokenIn(await page.text()), who: 'changed by a bot', homepage: 'x' })
    expect(bot.status).toBe(400)
    expect(await (await client.get('/report/who')).text()).not.toContain('changed by a bot')
    expect(await app.database.db.selectFrom('public_reports').select('id').where('what_happened', '=', 'Honeypot probe').execute()).toEqual([])
  })

  it('refuses an oversized form with the too-large page', async () => {
    const client = new TestClient(app.baseUrl)
    const page = await client.get('/report/anything-else')
    const res = await postForm(client, '/report/anything-else', { _csrf: tokenIn(await page.text()), anythingElse: 'y'.repeat(300_000) })
    expect(res.status).toBe(413)
  })

  it('keeps a member of staff who uses the public form signed in', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('partnership@lantern.test')
    const token = await answerJourney(client, answersFor(havant, { what: 'Staff probe: seen on the way home' }))
    expect((await send(client, token)).status).toBe(303)
    const { reference } = await confirmationReference(client)
    expect(await reportByReference(reference)).toMatchObject({ anonymous: true })
    expect((await client.get('/dashboard')).status).toBe(200)
    expect((await client.get('/report/check')).headers.get('location')).toBe('/report')
  })

  it('clears the answers and leaves for a neutral site on "Exit this page"', async () => {
    const client = new TestClient(app.baseUrl)
    await answerJourney(client, answersFor(havant))
    const sid = decodeURIComponent(client.cookie('lantern.sid')!).replace(/^s:/, '').split('.')[0]
    const exit = await client.get('/report/exit')
    expect(exit.status).toBe(303)
    expect(exit.headers.get('location')).toBe('https://www.bbc.co.uk/weather')
    expect(await app.database.db.selectFrom('sessions').select('sid').where('sid', '=', sid).executeTakeFirst()).toBeUndefined()
    expect((await client.get('/report/check')).headers.get('location')).toBe('/report')
    // Every page of the journey carries the exit button, as a plain link that works without JavaScript.
    for (const path of ['/report', '/report/what-you-saw', '/report/contact', '/signs', '/signs/neighbours']) {
      expect(await (await client.get(path)).text()).toContain('href="/report/exit"')
    }
  })
})

describe('the public journey to the end', () => {
  it('interrupts "it is happening now" with "call 999 now", then lets the reporter carry on', async () => {
    const client = new TestClient(app.baseUrl)
    for (const [slug, form] of [
      ['what-you-saw', { what: 'A fight outside the flats, a boy has been hurt' }],
      ['where', { where: 'Outside Dunsbury Way flats', area: havant }],
    ] as const) {
      const page = await client.get(`/report/${slug}`)
      expect((await postForm(client, `/report/${slug}`, { ...form, _csrf: tokenIn(await page.text()), homepage: '' })).status).toBe(303)
    }
    const when = await client.get('/report/when')
    const answered = await postForm(client, '/report/when', { when: 'now', whenDetail: '', _csrf: tokenIn(await when.text()), homepage: '' })
    expect(answered.status).toBe(303)
    expect(answered.headers.get('location')).toBe('/report/happening-now')
    const interruption = await client.get('/report/happening-now')
    const html = await interruption.text()
    expect(interruption.status).toBe(200)
    expect(html).toContain('govuk-panel--interruption')
    expect(html).toMatch(/<h1 class="govuk-panel__title">\s*Call 999 now\s*<\/h1>/)
    expect(html).toContain('href="/report/who"')
    expect(html).toContain('href="/report/exit"')
    // Changing the answer to something else goes on as before.
    const again = await client.get('/report/when?change=1')
    const changed = await postForm(client, '/report/when?change=1', { when: 'today', whenDetail: '', _csrf: tokenIn(await again.text()), homepage: '' })
    expect(changed.headers.get('location')).toBe('/report/who')
    // Without a report under way there is nothing to interrupt.
    expect((await new TestClient(app.baseUrl).get('/report/happening-now')).headers.get('location')).toBe('/report')
  })

  it('puts "Exit this page" on every public page, with advice on clearing browsing history, and no session for it', async () => {
    const visitor = new TestClient(app.baseUrl)
    const scrutinyBody = (await app.database.db.selectFrom('scrutiny_bodies').select('slug').where('public', '=', true).executeTakeFirstOrThrow()).slug
    for (const path of ['/', '/privacy', '/cookies', '/accessibility', '/performance', '/scrutiny', `/scrutiny/${scrutinyBody}`, '/signs', '/report', '/report/follow-up', '/staying-safe-online']) {
      const res = await visitor.get(path)
      expect(res.status, path).toBe(200)
      const html = await res.text()
      expect(html, path).toContain('govuk-exit-this-page')
      expect(html, path).toContain('href="/report/exit"')
      expect(html, path).toContain('href="/staying-safe-online"')
      expect(res.headers.getSetCookie(), path).toEqual([])
    }
    const advice = await (await visitor.get('/staying-safe-online')).text()
    expect(advice).toContain('Clear your browsing history')
    expect(advice).toContain('does <strong>not</strong> delete this site from your browsing history')
  })

  it('gives a complete privacy notice, with the deployer’s facts from configuration and the retention period in force', async () => {
    const deployer = await secondInstance(app, {
      config: { privacy: { controller: 'Southshire County Council', controllerAddress: '1 High Street, Southshire', dpoEmail: 'dpo@southshire.example', icoRegistration: 'Z1234567' } },
    })
    try {
      const html = await (await new TestClient(deployer.baseUrl).get('/privacy')).text()
      expect(html).toContain('Southshire County Council</span>, 1 High Street, Southshire')
      expect(html).toContain('mailto:dpo@southshire.example')
      expect(html).toContain('under number Z1234567')
      expect(html).toContain('Article 6(1)(e)')
      expect(html).toContain('Article 9(2)(g)')
      expect(html).toMatch(/data-testid="privacy-retention">Reports from the public are deleted 24 months after they are closed/)
      expect(html).toContain('ask for a copy of the information held about you')
      expect(html).toContain('right to complain to the Information Commissioner’s Office')
      expect(html).toContain('0303 123 1113')
      expect(html).not.toContain('privacy-missing')
    } finally {
      await deployer.close()
    }
    // A deployment that has not given them says so, rather than inventing them.
    const bare = await secondInstance(app, { config: { privacy: {} } })
    try {
      const html = await (await new TestClient(bare.baseUrl).get('/privacy')).text()
      expect(html).toContain('Not yet given (set PRIVACY_CONTROLLER)')
      expect(html).toContain('Not yet given (set PRIVACY_DPO_EMAIL)')
    } finally {
      await bare.close()
    }
  })
})

describe('the anonymous follow-up', () => {
  async function sendWithReceipt(client: TestClient, what: string, headers: Record<string, string> = {}) {
    const token = await answerJourney(client, answersFor(havant, { what }), headers)
    expect((await postForm(client, '/report/check', { _csrf: token, homepage: '', followUp: 'yes' }, headers)).status).toBe(303)
    const html = await (await client.get('/report/confirmation', headers)).text()
    return { reference: html.match(/data-testid="reference">([A-Z0-9-]+)</)![1], receipt: html.match(/data-testid="receipt">([A-Z0-9-]+)</)?.[1] }
  }

  it('gives a receipt only when asked for one, and keeps only its hash', async () => {
    const without = new TestClient(app.baseUrl)
    const token = await answerJourney(without, answersFor(havant, { what: 'Follow-up probe: no receipt wanted' }))
    await send(without, token)
    const { html, reference } = await confirmationReference(without)
    expect(html).not.toContain('data-testid="receipt"')
    const plain = (await reportByReference(reference))!
    expect(await app.database.db.selectFrom('public_report_receipts').selectAll().where('report_id', '=', plain.id).executeTakeFirst()).toBeUndefined()

    const { reference: withRef, receipt } = await sendWithReceipt(new TestClient(app.baseUrl), 'Follow-up probe: receipt wanted')
    expect(receipt).toMatch(/^([A-HJKMNP-Z2-9]{4}-){7}[A-HJKMNP-Z2-9]{4}$/)
    const report = (await reportByReference(withRef))!
    const stored = await app.database.db.selectFrom('public_report_receipts').selectAll().where('report_id', '=', report.id).executeTakeFirstOrThrow()
    const { createHash } = await import('node:crypto')
    expect(stored.receipt_hash).toBe(createHash('sha256').update(receipt!).digest('hex'))
  })

  it('lets the reporter read staff’s questions and add information with the receipt alone, and staff see it', async () => {
    const { reference, receipt } = await sendWithReceipt(new TestClient(app.baseUrl), 'Follow-up probe: a van every evening')
    const report = (await reportByReference(reference))!
    const reporter = new TestClient(app.baseUrl)
    const first = await postForm(reporter, '/report/follow-up', { receipt: receipt!.toLowerCase().replace(/-/g, ' ') })
    expect(first.status).toBe(200)
    expect(await first.text()).toContain('We have not asked you anything')

    const officer = new TestClient(app.baseUrl)
    await officer.signIn('manager@lantern.test')
    const empty = await officer.post(`/public-reports/${report.id}/question`, { question: '' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Enter your question for the reporter')
    const asked = await officer.post(`/public-reports/${report.id}/question`, { question: 'What colour is the van, and do you know its registration?' })
    expect(asked.status).toBe(302)
    const audit = await app.database.db.selectFrom('audit_events').selectAll().where('record_type', '=', 'public_report_question').where('record_id', '=', report.id).execute()
    expect(audit).toHaveLength(1)

    const read = await (await postForm(reporter, '/report/follow-up', { receipt: receipt! })).text()
    expect(read).toContain('What colour is the van, and do you know its registration?')
    expect(read).not.toContain('Chris Bell')
    const added = await postForm(reporter, '/report/follow-up/add', { receipt: receipt!, text: 'White, with a ladder on the roof. I did not see the plate.' })
    expect(added.status).toBe(200)
    expect(await added.text()).toContain('data-testid="added"')
    expect(reporter.cookie('lantern.sid')).toBeUndefined()
    const additions = await app.database.db.selectFrom('public_report_additions').selectAll().where('report_id', '=', report.id).execute()
    expect(additions).toEqual([expect.objectContaining({ text: 'White, with a ladder on the roof. I did not see the plate.', added_on: app.clock.today(), position: 1 })])

    const staffPage = await (await officer.get(`/public-reports/${report.id}`)).text()
    expect(staffPage).toContain('White, with a ladder on the roof. I did not see the plate.')
    expect(staffPage).toContain('What colour is the van')
  })

  it('refuses a receipt that is not one, keeps what was written when the addition is empty, and offers no questions without a receipt', async () => {
    const reporter = new TestClient(app.baseUrl)
    const wrong = await postForm(reporter, '/report/follow-up', { receipt: 'ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2-3456-789A' })
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toContain('We could not find a report with that receipt')
    expect((await postForm(reporter, '/report/follow-up', { receipt: '' })).status).toBe(400)
    expect((await postForm(reporter, '/report/follow-up/add', { receipt: 'nonsense', text: 'x' })).status).toBe(400)
    const { receipt } = await sendWithReceipt(new TestClient(app.baseUrl), 'Follow-up probe: empty addition')
    const empty = await postForm(reporter, '/report/follow-up/add', { receipt: receipt!, text: '   ' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Enter what you want to add')

    const plainClient = new TestClient(app.baseUrl)
    await send(plainClient, await answerJourney(plainClient, answersFor(havant, { what: 'Follow-up probe: nothing to ask' })))
    const plain = (await reportByReference((await confirmationReference(plainClient)).reference))!
    const officer = new TestClient(app.baseUrl)
    await officer.signIn('manager@lantern.test')
    expect(await (await officer.get(`/public-reports/${plain.id}`)).text()).toContain('did not keep a receipt')
    expect((await officer.post(`/public-reports/${plain.id}/question`, { question: 'Anything else?' })).status).toBe(404)
  })
})

describe('when the database fails during submission', () => {
  it('shows "try again", keeps the answers, and a retry creates exactly one report', async () => {
    let failNext = 0
    let commitThenFail = false
    const second = await secondInstance(app, {
      publicOptions: {
        rateLimits: TEST_RATE_LIMITS,
        makeStore: (db) => {
          const real = reportsStore(db)
          return {
            ...real,
            async insertOnce(row) {
              if (failNext > 0) {
                failNext--
                throw new Error('Connection terminated unexpectedly')
              }
              const result = await real.insertOnce(row)
              if (commitThenFail) {
                // Saved, but the reply is lost (a timeout after commit): the retry must not duplicate.
                commitThenFail = false
                throw new Error('Query read timeout')
              }
              return result
            },
          }
        },
      },
    })
    try {
      const client = new TestClient(second.baseUrl)
      const token = await answerJourney(client, answersFor(havant, { what: 'Outage probe' }))
      failNext = 2
      for (let i = 0; i < 2; i++) {
        const res = await send(client, token)
        expect(res.status).toBe(503)
        const html = await res.text()
        expect(html).toContain('Sorry, we could not send your report')
        expect(html).toContain('your answers have been kept')
        expect(html).toContain('Try sending your report again')
      }
      // The answers are still there.
      expect(await (await client.get('/report/check')).text()).toContain('Outage probe')
      commitThenFail = true
      expect((await send(client, token)).status).toBe(503)
      const retry = await send(client, token)
      expect(retry.status).toBe(303)
      const { reference } = await confirmationReference(client)
      const rows = await app.database.db.selectFrom('public_reports').select('reference').where('what_happened', '=', 'Outage probe').execute()
      expect(rows).toEqual([{ reference }])
    } finally {
      await second.close()
    }
  })
})

describe('when the database is down altogether', () => {
  it('keeps the answers through the outage, and the report goes once when it is back', async () => {
    let down = false
    const outage: KyselyPlugin = {
      transformQuery: (args) => {
        if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
        return args.node
      },
      transformResult: async (args) => args.result,
    }
    const second = await secondInstance(app, { db: app.database.db.withPlugin(outage) })
    try {
      const client = new TestClient(second.baseUrl)
      const token = await answerJourney(client, answersFor(havant, { what: 'Total outage probe' }))
      down = true
      // The session cannot be read either, so this is Lantern's general error page (see docs/public.md).
      const res = await send(client, token)
      expect(res.status).toBe(500)
      expect(await res.text()).toContain('Sorry, there is a problem with the service')
      down = false
      expect(await (await client.get('/report/check')).text()).toContain('Total outage probe')
      expect((await send(client, token)).status).toBe(303)
      const { reference } = await confirmationReference(client)
      const rows = await app.database.db.selectFrom('public_reports').select('reference').where('what_happened', '=', 'Total outage probe').execute()
      expect(rows).toEqual([{ reference }])
    } finally {
      down = false
      await second.close()
    }
  })
})

describe('abuse protection without tracking', () => {
  it('limits answers and reports per address in memory, with a friendly page that keeps the answers', async () => {
    const second = await secondInstance(app, { publicOptions: { rateLimits: { journeyPosts: 20, submissions: 1, windowMinutes: 10 } } })
    try {
      const client = new TestClient(second.baseUrl)
      const token = await answerJourney(client, answersFor(havant, { what: 'Rate limit probe one' }))
      expect((await send(client, token)).status).toBe(303)
      await client.get('/report/confirmation')
      const other = new TestClient(second.baseUrl)
      const token2 = await answerJourney(other, answersFor(havant, { what: 'Rate limit probe two' }))
      const limited = await send(other, token2)
      expect(limited.status).toBe(429)
      const html = await limited.text()
      expect(html).toContain('Please wait before trying again')
      expect(html).toContain('wait 10 minutes')
      expect(await (await other.get('/report/check')).text()).toContain('Rate limit probe two')
      for (let i = 0; i < 20; i++) await postForm(other, '/report/who', { _csrf: token2, who: `attempt ${i}` })
      expect((await postForm(other, '/report/who', { _csrf: token2, who: 'one too many' })).status).toBe(429)
      expect(await app.database.db.selectFrom('public_reports').select('id').where('what_happened', '=', 'Rate limit probe two').execute()).toEqual([])
    } finally {
      await second.close()
    }
  })
})

describe('anonymity', () => {
  it('stores no address, user agent, cookie identifier or time of an anonymous report or its follow-up anywhere, logs and audit trail included', async () => {
    const IP = '203.0.113.77'
    const UA = 'Mozilla/5.0 (X11; LanternPrivacyProbe) Gecko/20100101 ProbeBrowser/9.9'
    const logger = createLogger('trace')
    const lines: string[] = []
    const stream = (logger as unknown as Record<symbol, { write(s: string): boolean }>)[pino.symbols.streamSym]
    stream.write = (s: string) => {
      lines.push(s)
      return true
    }
    const consoleLines: string[] = []
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void consoleLines.push(args.map(String).join(' '))),
    )
    // Behind a proxy, as in production: the address Lantern sees (req.ip) is the reporter's.
    const second = await secondInstance(app, { config: { trustProxy: 'loopback' }, logger })
    const auditBefore = await app.database.db.selectFrom('audit_events').select(sql<number>`max(id)`.as('id')).executeTakeFirstOrThrow()
    let reference: string
    let sid: string
    let receipt: string
    const officerId = (await app.database.db.selectFrom('users').select('id').where('email', '=', 'manager@lantern.test').executeTakeFirstOrThrow()).id
    try {
      const officer = new TestClient(second.baseUrl)
      await officer.signIn('manager@lantern.test')
      const headers = { 'user-agent': UA, 'x-forwarded-for': IP }
      const client = new TestClient(second.baseUrl)
      await client.get('/signs', headers)
      await client.get('/report', headers)
      const token = await answerJourney(client, answersFor(havant, { what: 'Anonymity probe: visitors at all hours' }), headers)
      sid = decodeURIComponent(client.cookie('lantern.sid')!).replace(/^s:/, '').split('.')[0]
      expect((await postForm(client, '/report/check', { _csrf: token, homepage: '', followUp: 'yes' }, headers)).status).toBe(303)
      const confirmation = await (await client.get('/report/confirmation', headers)).text()
      reference = confirmation.match(/data-testid="reference">([A-Z0-9-]+)</)![1]
      receipt = confirmation.match(/data-testid="receipt">([A-Z0-9-]+)</)![1]

      // Staff ask a question (their act, audited as theirs); the reporter comes back with the receipt.
      const id = (await reportByReference(reference))!.id
      expect((await officer.post(`/public-reports/${id}/question`, { question: 'Anonymity probe: which door do they use?' })).status).toBe(302)
      const later = new TestClient(second.baseUrl)
      await later.get('/report/follow-up', headers)
      const read = await postForm(later, '/report/follow-up', { receipt }, headers)
      expect(await read.text()).toContain('Anonymity probe: which door do they use?')
      expect((await postForm(later, '/report/follow-up/add', { receipt, text: 'Anonymity probe: the side door, by the bins' }, headers)).status).toBe(200)
      // No cookie, so no session: nothing to tie this visit to the first one, or to anything else.
      expect(later.cookie('lantern.sid')).toBeUndefined()
    } finally {
      await second.close()
      for (const s of spies) s.mockRestore()
    }
    const report = (await reportByReference(reference))!
    expect(report.anonymous).toBe(true)

    // Every text and JSON column of every table: no address, user agent or session id.
    const db = app.database.db
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
      select c.table_name, c.column_name, c.data_type from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'`.execute(db)
    const textual = columns.rows.filter((c) => ['text', 'character varying', 'character', 'json', 'jsonb', 'inet', 'ARRAY'].includes(c.data_type))
    expect(new Set(textual.map((c) => c.table_name)).size).toBeGreaterThan(10)
    for (const needle of [IP, 'LanternPrivacyProbe', sid, receipt, receipt.replace(/-/g, '')]) {
      for (const c of textual) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(c.table_name)} where ${sql.ref(c.column_name)}::text like ${'%' + needle + '%'}`.execute(db)
        expect(rows[0].n, `${needle} found in ${c.table_name}.${c.column_name}`).toBe(0)
      }
    }

    // No row anywhere that names this report carries a time: only the day it was received.
    const timeTypes = ['timestamp with time zone', 'timestamp without time zone', 'time without time zone', 'time with time zone']
    const byTable = new Map<string, { text: string[]; time: string[] }>()
    for (const c of columns.rows) {
      const entry = byTable.get(c.table_name) ?? { text: [], time: [] }
      if (timeTypes.includes(c.data_type)) entry.time.push(c.column_name)
      else if (['text', 'character varying', 'uuid', 'json', 'jsonb'].includes(c.data_type)) entry.text.push(c.column_name)
      byTable.set(c.table_name, entry)
    }
    expect(byTable.get('public_reports')!.time).toEqual([])
    for (const [table, cols] of byTable) {
      if (!cols.time.length || !cols.text.length) continue
      const mentions = sql.join(cols.text.map((col) => sql`${sql.ref(col)}::text like ${'%' + report.id + '%'} or ${sql.ref(col)}::text like ${'%' + reference + '%'}`), sql` or `)
      // The officer's question is their act, audited with its time as every staff act is (in the
      // audit trail and in each of its monthly partitions, which are tables too).
      const staffActs = /^audit_(events|archive)($|_)/.test(table) ? sql`and user_id is distinct from ${officerId}` : sql``
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where (${mentions}) ${staffActs}`.execute(db)
      expect(rows[0].n, `a row in ${table} names the report and has a time`).toBe(0)
    }
    // Not even an audit row for the submission or the follow-up: only the officer's own acts.
    const newAudit = await db.selectFrom('audit_events').selectAll().where('id', '>', auditBefore.id ?? 0).execute()
    expect(newAudit.filter((a) => a.user_id !== officerId)).toEqual([])
    expect(newAudit.filter((a) => a.record_type === 'public_report_question')).toHaveLength(1)
    // What the reporter added is there, dated by the day only.
    expect(await db.selectFrom('public_report_additions').select(['text', 'added_on']).where('report_id', '=', report.id).execute()).toEqual([
      { text: 'Anonymity probe: the side door, by the bins', added_on: app.clock.today() },
    ])

    // The operator logs: nothing about the reporter, and no line for the journey at all.
    const log = lines.join('')
    expect(lines.length).toBeGreaterThan(0)
    for (const needle of [IP, 'LanternPrivacyProbe', sid, reference, receipt, '/report']) {
      expect(log, `${needle} in the log`).not.toContain(needle)
      expect(consoleLines.join('\n'), `${needle} on the console`).not.toContain(needle)
    }
  })
})

describe('staff triage', () => {
  async function signedIn(email: string) {
    const client = new TestClient(app.baseUrl)
    await client.signIn(email)
    return client
  }

  async function newReport(what: string) {
    const client = new TestClient(app.baseUrl)
    const token = await answerJourney(client, answersFor(havant, { what }))
    await send(client, token)
    const { reference } = await confirmationReference(client)
    return (await reportByReference(reference))!
  }

  async function postStaff(client: TestClient, path: string, form: Record<string, string>) {
    return client.post(path, form)
  }

  it('shows the queue only to roles that triage, with the nav item', async () => {
    const manager = await signedIn('manager@lantern.test')
    const dashboard = await (await manager.get('/dashboard')).text()
    expect(dashboard).toContain('href="/public-reports"')
    expect(dashboard).toContain('Reports from the public')
    const queue = await manager.get('/public-reports?view=new')
    expect(queue.status).toBe(200)
    const html = await queue.text()
    expect(html).toContain('data-testid="queue"')
    expect(html).toContain('Dunsbury Way')

    for (const email of ['panel@lantern.test', 'practitioner@lantern.test', 'admin@lantern.test', 'partnership@lantern.test']) {
      const other = await signedIn(email)
      expect(await (await other.get('/dashboard')).text()).not.toContain('href="/public-reports"')
      expect((await other.get('/public-reports')).status).toBe(403)
    }
  })

  it('gives a partnership officer the figures and word-free summaries, never a report’s words, its reporter or its links', async () => {
    const report = await newReport('Summary probe: a man called Reece at the bus shelter')
    const officer = await signedIn('partnership@lantern.test')
    const dashboard = await (await officer.get('/dashboard')).text()
    expect(dashboard).toContain('href="/public-reports/summary"')
    const res = await officer.get('/public-reports/summary')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('data-testid="by-month"')
    expect(html).toContain('data-testid="by-area"')
    expect(html).toContain('Havant')
    expect(html).not.toContain('Summary probe')
    expect(html).not.toContain('Reece')
    expect(html).not.toContain('Dunsbury Way')
    expect(html).not.toContain(report.reference)
    for (const path of [`/public-reports/${report.id}`, `/public-reports/${report.id}/link`, '/public-reports/export.csv', '/public-reports/import']) {
      expect((await officer.get(path)).status, path).toBe(403)
    }
    expect((await postStaff(officer, `/public-reports/${report.id}/note`, { note: 'x' })).status).toBe(403)
    for (const email of ['panel@lantern.test', 'practitioner@lantern.test', 'admin@lantern.test']) {
      expect((await (await signedIn(email)).get('/public-reports/summary')).status, email).toBe(403)
    }
  })

  it('reads, assigns, grades, records the action and closes a report, keeping the text as sent and auditing each step', async () => {
    const report = await newReport('Triage probe: cars stopping for a minute outside number 4')
    const officer = await signedIn('manager@lantern.test')
    const page = await officer.get(`/public-reports/${report.id}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Triage probe: cars stopping')

    expect((await postStaff(officer, `/public-reports/${report.id}/assign`, { assignee: 'not-a-user' })).status).toBe(400)
    const analyst = await app.database.db.selectFrom('users').select('id').where('email', '=', 'analyst@lantern.test').executeTakeFirstOrThrow()
    expect((await postStaff(officer, `/public-reports/${report.id}/assign`, { assignee: analyst.id })).status).toBe(302)
    expect((await postStaff(officer, `/public-reports/${report.id}/urgency`, { urgency: 'high', urgencyNote: 'Children may be involved' })).status).toBe(302)

    // Closing needs an action first; "no further action" needs a reason.
    let res = await postStaff(officer, `/public-reports/${report.id}/close`, { summary: 'Done' })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Record the action taken before you close this report')
    res = await postStaff(officer, `/public-reports/${report.id}/action`, { action: 'no_further_action', actionNote: '' })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Enter why no further action is needed')
    expect((await postStaff(officer, `/public-reports/${report.id}/action`, { action: 'police_intelligence', actionNote: 'Intel log 4471' })).status).toBe(302)
    expect((await postStaff(officer, `/public-reports/${report.id}/note`, { note: 'Spoke to the neighbourhood team' })).status).toBe(302)
    expect((await postStaff(officer, `/public-reports/${report.id}/close`, { summary: 'Passed to intelligence' })).status).toBe(302)

    // A closed report cannot be changed until it is reopened.
    expect((await postStaff(officer, `/public-reports/${report.id}/urgency`, { urgency: 'low' })).status).toBe(409)

    const html = await (await officer.get(`/public-reports/${report.id}`)).text()
    expect(html).toContain('Closed')
    expect(html).toContain('Passed to police intelligence')
    expect(html).toContain('Intel log 4471')
    expect(html).toContain('Assigned to Alex Morgan')

    const db = app.database.db
    const triage = await db.selectFrom('public_report_triage').selectAll().where('report_id', '=', report.id).executeTakeFirstOrThrow()
    expect(triage).toMatchObject({ status: 'closed', urgency: 'high', assigned_to: analyst.id, closing_summary: 'Passed to intelligence' })
    const events = await db.selectFrom('public_report_events').select('kind').where('report_id', '=', report.id).orderBy('id').execute()
    expect(events.map((e) => e.kind)).toEqual(['assigned', 'urgency', 'action', 'note', 'closed'])
    const audit = await db.selectFrom('audit_events').select(['action', 'details']).where('record_type', '=', 'public_report').where('record_id', '=', report.id).orderBy('id').execute()
    expect(audit.filter((a) => a.action === 'view').length).toBeGreaterThanOrEqual(2)
    expect(audit.filter((a) => a.action === 'update').map((a) => (a.details as { change: string }).change)).toEqual(['assigned', 'urgency', 'action', 'note', 'closed'])

    // The report itself is exactly as submitted, and the database refuses to change it.
    expect((await reportByReference(report.reference))).toEqual(report)
    await expect(db.updateTable('public_reports').set({ what_happened: 'edited' }).where('id', '=', report.id).execute()).rejects.toThrow(/kept exactly as submitted/)

    expect((await postStaff(officer, `/public-reports/${report.id}/reopen`, { reason: 'The cars are back' })).status).toBe(302)
    expect((await db.selectFrom('public_report_triage').select('status').where('report_id', '=', report.id).executeTakeFirstOrThrow()).status).toBe('in_progress')
  })

  it('links a report to a person the officer may see, and counts reports per record for other pages', async () => {
    const report = await newReport('Link probe: Gary’s flat again')
    const gary = await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Gary').where('family_name', '=', 'Pike').executeTakeFirstOrThrow()
    const before = await publicReportStats(app.database.db).reportCountsFor('person', gary.id)

    // A partnership officer neither reads reports nor links them.
    const officer = await signedIn('partnership@lantern.test')
    expect((await officer.get(`/public-reports/${report.id}/link`)).status).toBe(403)
    expect((await postStaff(officer, `/public-reports/${report.id}/links`, { entityType: 'person', entityId: gary.id })).status).toBe(403)

    const analyst = await signedIn('analyst@lantern.test')
    const search = await analyst.get(`/public-reports/${report.id}/link?entityType=person&q=pike`)
    const html = await search.text()
    expect(html).toContain('Gary Pike')
    expect((await postStaff(analyst, `/public-reports/${report.id}/links`, { entityType: 'person', entityId: gary.id, note: 'Tenant of the flat' })).status).toBe(302)
    expect((await postStaff(analyst, `/public-reports/${report.id}/links`, { entityType: 'person', entityId: gary.id })).status).toBe(400)
    const page = await (await analyst.get(`/public-reports/${report.id}`)).text()
    expect(page).toContain(`href="/people/${gary.id}"`)
    // A triage officer without a need to know for Gary (the county's manager: his record is Havant's,
    // shared with the police) sees neither the link nor why it was made, in the table or the history.
    const manager = await signedIn('manager@lantern.test')
    const managerView = await (await manager.get(`/public-reports/${report.id}`)).text()
    expect(managerView).toContain('Link probe: Gary’s flat again')
    expect(managerView).not.toContain('Gary Pike')
    expect(managerView).not.toContain('Tenant of the flat')
    expect(managerView).not.toContain(gary.id)

    expect(await publicReportStats(app.database.db).reportCountsFor('person', gary.id)).toMatchObject({ count: before.count + 1 })
    const link = await app.database.db.selectFrom('public_report_links').select('id').where('report_id', '=', report.id).executeTakeFirstOrThrow()
    expect((await postStaff(analyst, `/public-reports/${report.id}/links/${link.id}/remove`, { reason: 'Wrong flat' })).status).toBe(302)
    expect(await publicReportStats(app.database.db).reportCountsFor('person', gary.id)).toMatchObject({ count: before.count })
  })

  it('links a report to a location from network intelligence, counted for the location’s page', async () => {
    const { rows } = await sql<{ id: string }>`select id from network_entities where kind = 'location' and address like 'Flat 3, Dunsbury Way%'`.execute(app.database.db)
    const flat = rows[0].id
    const stats = publicReportStats(app.database.db)
    // The demo's neighbours reported this flat twice before.
    expect((await stats.reportCountsFor('location', flat)).count).toBe(2)
    const report = await newReport('Location probe: the flat in Dunsbury Way again')
    const analyst = await signedIn('analyst@lantern.test')
    const search = await (await analyst.get(`/public-reports/${report.id}/link?entityType=location&q=dunsbury`)).text()
    expect(search).toContain('Flat 3, Dunsbury Way, Leigh Park, Havant')
    expect(search).toContain(`href="/public-reports/${report.id}/links/new?entityType=location"`)
    expect((await postStaff(analyst, `/public-reports/${report.id}/links`, { entityType: 'location', entityId: flat, note: 'Same flat' })).status).toBe(302)
    expect(await (await analyst.get(`/public-reports/${report.id}`)).text()).toContain(`href="/network/entities/${flat}"`)
    expect(await stats.reportCountsFor('location', flat)).toEqual({ count: 3, latestReceivedOn: report.received_on })
    // A police officer who does not triage reads no report, and still the count on the location's page.
    const police = await signedIn('officer@lantern.test')
    expect(await (await police.get(`/network/entities/${flat}`)).text()).toContain('Reported by the public 3 times')
    // A location of another kind's id is refused.
    expect((await postStaff(analyst, `/public-reports/${report.id}/links`, { entityType: 'line', entityId: flat })).status).toBe(400)
  })

  it('counts reports by area and month for the indicators', async () => {
    const counts = await publicReportStats(app.database.db).monthlyReportCounts()
    expect(counts.length).toBeGreaterThan(5)
    for (const c of counts) expect(c.month).toMatch(/^\d{4}-\d{2}$/)
    const havantTotal = counts.filter((c) => c.area_id === havant).reduce((s, c) => s + c.count, 0)
    const direct = await app.database.db.selectFrom('public_reports').select(sql<number>`count(*)`.as('n')).where('area_id', '=', havant).executeTakeFirstOrThrow()
    expect(havantTotal).toBe(Number(direct.n))
  })
})

describe('importing reports from 101 and Crimestoppers', () => {
  async function upload(client: TestClient, channel: string, csv: string, withToken = true) {
    const token = await client.csrfToken('/public-reports/import')
    const form = new FormData()
    form.set('channel', channel)
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'calls.csv')
    const c = client as unknown as { cookieHeader(): string }
    return fetch(`${app.baseUrl}/public-reports/import${withToken ? `?_csrf=${encodeURIComponent(token)}` : ''}`, {
      method: 'POST',
      headers: { cookie: c.cookieHeader() },
      body: form,
      redirect: 'manual',
    })
  }
  const count = async () => Number((await app.database.db.selectFrom('public_reports').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)

  it('imports every row with its channel, or nothing with each bad line named', async () => {
    const officer = new TestClient(app.baseUrl)
    await officer.signIn('manager@lantern.test')
    const before = await count()
    const bad = 'received_on,external_reference,what_happened,area\n2026-11-20,101-A,Visitors at night,Havant\n2026-13-01,101-B,Bad date,Havant\n2026-11-21,101-C,,Nowhere\n'
    const refused = await upload(officer, 'phone_101', bad)
    expect(refused.status).toBe(400)
    const html = await refused.text()
    expect(html).toContain('Nothing has been imported')
    expect(html).toContain('Line 3: received_on ‘2026-13-01’ is not a real date')
    expect(html).toContain('Line 4: what_happened is empty')
    expect(await count()).toBe(before)

    expect((await upload(officer, 'phone_101', bad.split('\n').slice(0, 2).join('\n'), false)).status).toBe(403)

    const good = 'received_on,external_reference,what_happened,where,area,child_at_risk\n2026-11-20,101-IMPORT-1,Caller reports short visits at a flat,Elm Road,Havant,yes\n21/11/2026,101-IMPORT-2,"Caller: cars stopping, engine running",Station Hill,E07000084,no\n'
    const done = await upload(officer, 'phone_101', good)
    expect(done.status).toBe(302)
    expect(await count()).toBe(before + 2)
    const rows = await app.database.db.selectFrom('public_reports').selectAll().where('external_reference', 'in', ['101-IMPORT-1', '101-IMPORT-2']).orderBy('external_reference').execute()
    expect(rows.map((r) => [r.channel, r.received_on, r.anonymous, r.child_at_risk])).toEqual([
      ['phone_101', '2026-11-20', true, 'yes'],
      ['phone_101', '2026-11-21', true, 'no'],
    ])
    expect(await (await officer.get('/public-reports?view=new&channel=phone_101')).text()).toContain('2 reports imported from 101 call summaries')

    // The same file again: every row already imported, so nothing is.
    const again = await upload(officer, 'phone_101', good)
    expect(again.status).toBe(400)
    expect(await again.text()).toContain('Line 2: external_reference ‘101-IMPORT-1’ has already been imported')
    expect(await count()).toBe(before + 2)
  })
})

describe('public pages', () => {
  it('lets a partnership officer publish a new version, shown to the public safely, with the history kept', async () => {
    const officer = new TestClient(app.baseUrl)
    await officer.signIn('partnership@lantern.test')
    const page = await app.database.db.selectFrom('public_pages').select(['id', 'current_version']).where('path', '=', '/signs/neighbours').executeTakeFirstOrThrow()
    const edit = await officer.get(`/public-content/${page.id}/edit`)
    expect(edit.status).toBe(200)
    const body = '## Gifts or drug deals?\n\nShort visits at night are the sign.\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1))'
    const preview = await officer.post(`/public-content/${page.id}/edit`, { intent: 'preview', title: 'For neighbours', summary: 'S', body, changeNote: 'x', baseVersion: String(page.current_version) })
    expect(await preview.text()).toContain('data-testid="preview"')
    expect((await app.database.db.selectFrom('public_pages').select('current_version').where('id', '=', page.id).executeTakeFirstOrThrow()).current_version).toBe(page.current_version)

    const published = await officer.post(`/public-content/${page.id}/edit`, { intent: 'publish', title: 'For neighbours', summary: 'What you might see', body, changeNote: 'Answered the panel’s question', baseVersion: String(page.current_version) })
    expect(published.status).toBe(302)
    const publicHtml = await (await fetch(`${app.baseUrl}/signs/neighbours`)).text()
    expect(publicHtml).toContain('<h2 class="govuk-heading-m">Gifts or drug deals?</h2>')
    expect(publicHtml).not.toContain('<script>alert(1)</script>')
    expect(publicHtml).not.toContain('href="javascript:')

    // Someone else's edit made from the old version is refused, keeping their text.
    const stale = await officer.post(`/public-content/${page.id}/edit`, { intent: 'publish', title: 'Stale', summary: 'S', body: 'Stale edit', changeNote: 'Stale', baseVersion: String(page.current_version) })
    const conflict = await conflictPage(stale)
    expect(row(conflict, 'Title')).toEqual({ question: 'Title', mine: 'Stale', theirs: 'For neighbours', differs: true })
    expect(row(conflict, 'Body').mine).toBe('Stale edit')
    expect(row(conflict, 'Body').theirs).toContain('Gifts or drug deals?')
    expect(conflict.rows.map((r) => r.question)).not.toContain('Intent')
    expect(conflict.keepMine?.fields).toContainEqual(['baseVersion', String(page.current_version + 1)])

    const history = await (await officer.get(`/public-content/${page.id}/history`)).text()
    expect(history).toContain('Answered the panel’s question')
    expect(history).toContain('Default content shipped with Lantern')
    const diff = await (await officer.get(`/public-content/${page.id}/versions/${page.current_version + 1}`)).text()
    expect(diff).toContain('Added: </span>## Gifts or drug deals?')

    const restored = await officer.post(`/public-content/${page.id}/versions/1/restore`, { baseVersion: String(page.current_version + 1) })
    expect(restored.status).toBe(302)
    // Restoring from a history page opened before that: the same conflict page, with nothing typed to keep.
    const staleRestore = await conflictPage(await officer.post(`/public-content/${page.id}/versions/2/restore`, { baseVersion: String(page.current_version + 1) }))
    expect(staleRestore.keepMine).toBeNull()
    expect(await (await fetch(`${app.baseUrl}/signs/neighbours`)).text()).toContain('Is it a delivery, a visitor or drug dealing?')
    const versions = await app.database.db.selectFrom('public_page_versions').select(['version', 'change_note']).where('page_id', '=', page.id).orderBy('version').execute()
    expect(versions.map((v) => v.change_note)).toEqual(['Default content shipped with Lantern', 'Answered the panel’s question', 'Restored version 1'])

    const panel = new TestClient(app.baseUrl)
    await panel.signIn('panel@lantern.test')
    expect((await panel.get(`/public-content/${page.id}/edit`)).status).toBe(403)
  })

  it('answers the panel’s question on the neighbours page, and every audience has a page', async () => {
    const html = await (await fetch(`${app.baseUrl}/signs`)).text()
    for (const path of ['/signs/parents-and-carers', '/signs/neighbours', '/signs/school-staff', '/signs/taxi-drivers-and-hotel-staff', '/signs/landlords', '/after-you-report', '/when-to-call-999']) {
      expect(html).toContain(`href="${path}"`)
      expect((await fetch(`${app.baseUrl}${path}`)).status).toBe(200)
    }
    expect((await fetch(`${app.baseUrl}/signs/no-such-page`)).status).toBe(404)
  })
})
