import { describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { TestClient } from '../support/http.ts'
import { answerJourney, answersFor, postForm } from '../support/public.ts'
import { expectAccessible, settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let browser: Browser
/** Each journey visits a dozen pages, each checked by axe: give a loaded shared machine room. */
const SLOW = 300_000

useBrowserApp((s) => ({ app, browser } = s))

/**
 * axe cannot run in a page with JavaScript switched off, so for those pages it checks an exact
 * copy of the page's HTML (its scripts removed, so the DOM stays as the no-JavaScript reader gets
 * it) in a page on the same origin that can run axe.
 */
const withoutJs = new WeakSet<Page>()
let mirror: Page | undefined
async function checked(page: Page) {
  if (!withoutJs.has(page)) return settled(page)
  await page.waitForLoadState('load')
  mirror ??= await (await browser.newContext()).newPage()
  await mirror.goto(`${app.baseUrl}/ping`)
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
  await mirror.setContent(html, { waitUntil: 'load' })
  await expectAccessible(mirror)
}

async function go(page: Page, url: string) {
  if (!withoutJs.has(page)) return visit(page, url)
  await page.goto(url)
  await checked(page)
}

async function submit(page: Page, name = 'Continue') {
  await page.getByRole('button', { name, exact: true }).click()
  await checked(page)
}

/** Reports a concern through every page of the journey, as a member of the public would. */
async function reportConcern(page: Page, what: string, options: { contact?: { name: string; phone: string }; checkErrorsAndBack?: boolean } = {}) {
  await go(page, `${app.baseUrl}/`)
  await page.getByRole('link', { name: 'Report a concern' }).click()
  await checked(page)
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Report a concern about county lines or exploitation')
  await page.getByRole('button', { name: 'Start now' }).click()
  await checked(page)

  if (options.checkErrorsAndBack) {
    // An empty answer: the GOV.UK error summary, then the answer.
    await submit(page)
    expect(await page.title()).toMatch(/^Error: What did you see or hear\?/)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter what you saw or heard')
  }
  await page.getByLabel('What did you see or hear?').fill(what)
  await submit(page)

  await page.getByLabel('Address or description of the place').fill('Ground-floor flat, Dunsbury Way, Leigh Park')
  await page.getByLabel('Which council area is it in?').selectOption({ label: 'Havant' })
  await submit(page)

  if (options.checkErrorsAndBack) {
    // The back button never loses an answer.
    await page.goBack()
    await checked(page)
    expect(await page.getByLabel('Address or description of the place').inputValue()).toBe('Ground-floor flat, Dunsbury Way, Leigh Park')
    await submit(page)
  }

  await page.getByLabel('It keeps happening').check()
  await page.getByLabel('Tell us more about when (optional)').fill('Most evenings after 10pm')
  await submit(page)
  await page.getByLabel('Who was involved? (optional)').fill('Two boys about 15 on bikes')
  await submit(page)
  await page.getByLabel('Yes', { exact: true }).check()
  await submit(page)
  await submit(page) // Anything else: optional, left empty.
  if (options.contact) {
    await page.getByLabel('Yes, you can contact me').check()
    await submit(page)
    await page.getByLabel('Your name (optional)').fill(options.contact.name)
    await page.getByLabel('Phone number').fill(options.contact.phone)
  } else {
    await page.getByLabel('No, I want to stay anonymous').check()
  }
  await submit(page)

  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your answers before sending your report')
  expect(await page.locator('.govuk-summary-list').textContent()).toContain(what)
  await page.getByRole('button', { name: 'Send report' }).click()
  await checked(page)
  expect(await page.locator('.govuk-panel__title').textContent()).toContain('Report sent')
  const reference = (await page.getByTestId('reference').textContent())!.trim()
  expect(reference).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/)
  // The answers went with the session: nothing left for the next person at this browser.
  expect((await page.context().cookies()).find((c) => c.name === 'lantern.sid')).toBeUndefined()
  await go(page, `${app.baseUrl}/report/check`)
  expect(new URL(page.url()).pathname).toBe('/report')
  return reference
}

describe('a member of the public', () => {
  it('reads the signs for every audience (no accessibility violation on any public page)', async () => {
    const page = await (await browser.newContext()).newPage()
    await visit(page, `${app.baseUrl}/signs`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('The signs of county lines and exploitation')
    const links = await page.locator('.lantern-audiences a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname))
    expect(links).toEqual(['/signs/parents-and-carers', '/signs/neighbours', '/signs/school-staff', '/signs/taxi-drivers-and-hotel-staff', '/signs/landlords'])
    for (const path of [...links, '/after-you-report', '/when-to-call-999', '/report']) {
      await visit(page, `${app.baseUrl}${path}`)
      expect(await page.getByRole('button', { name: /Exit this page/ }).getAttribute('href')).toBe('/report/exit')
    }
    await visit(page, `${app.baseUrl}/signs/neighbours`)
    expect(await page.locator('main').textContent()).toContain('Is it a delivery, a visitor or drug dealing?')
    await page.close()
  }, SLOW)

  it('reports anonymously without JavaScript and gets a reference', async () => {
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage()
    withoutJs.add(page)
    const reference = await reportConcern(page, 'No-JS probe: people calling at the flat for a minute at a time, all night', { checkErrorsAndBack: true })
    const row = await app.database.db.selectFrom('public_reports').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ anonymous: true, channel: 'online', when_happened: 'ongoing', child_at_risk: 'yes', contact_name: null })
    await page.close()
  }, SLOW)

  it('reports with JavaScript, leaving contact details, and gets a reference', async () => {
    const page = await (await browser.newContext()).newPage()
    const reference = await reportConcern(page, 'JS probe: cars stopping outside for a few seconds', { contact: { name: 'Margaret', phone: '07700 900123' } })
    const row = await app.database.db.selectFrom('public_reports').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ anonymous: false, contact_name: 'Margaret', contact_phone: '07700 900123' })
    await page.close()
  }, SLOW)
})

describe('the public journey to the end', () => {
  it('has "Exit this page" and the advice on browsing history on every public page, each accessible, at 320 px too', async () => {
    const page = await (await browser.newContext()).newPage()
    for (const width of [1024, 320]) {
      await page.setViewportSize({ width, height: 800 })
      for (const path of ['/', '/privacy', '/cookies', '/accessibility', '/performance', '/scrutiny', '/staying-safe-online', '/report/follow-up']) {
        await visit(page, `${app.baseUrl}${path}`)
        expect(await page.getByRole('button', { name: /Exit this page/ }).getAttribute('href'), path).toBe('/report/exit')
        expect(await page.getByRole('link', { name: 'Staying safe online' }).getAttribute('href'), path).toBe('/staying-safe-online')
        // Nothing wider than the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} at ${width}px`).toBeLessThanOrEqual(width)
      }
    }
    await page.close()
  }, SLOW)

  it('offers to follow a scrutiny item by e-mail, with its errors, accessibly', async () => {
    const page = await (await browser.newContext()).newPage()
    const item = await app.database.db
      .selectFrom('scrutiny_items as i')
      .innerJoin('scrutiny_bodies as b', 'b.id', 'i.body_id')
      .select(['i.id', 'b.slug'])
      .where('b.public', '=', true)
      .where('i.restricted', '=', false)
      .where('i.title', '=', 'Publish a county lines strategy with key indicators')
      .executeTakeFirstOrThrow()
    await visit(page, `${app.baseUrl}/scrutiny/${item.slug}/items/${item.id}`)
    await page.getByRole('link', { name: 'Follow this by e-mail' }).click()
    await settled(page)
    await page.getByLabel('Your e-mail address').fill('not an address')
    await page.getByRole('button', { name: 'Follow by e-mail' }).click()
    await settled(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter an e-mail address in the correct format')
    await page.close()
  }, SLOW)

  it('stops the report with "Call 999 now" when it is happening now, then carries on', async () => {
    const page = await (await browser.newContext()).newPage()
    await visit(page, `${app.baseUrl}/report/what-you-saw`)
    await page.getByLabel('What did you see or hear?').fill('Interruption probe: a fight outside the flats')
    await submit(page)
    await page.getByLabel('Address or description of the place').fill('Outside the flats, Dunsbury Way')
    await page.getByLabel('Which council area is it in?').selectOption({ label: 'Havant' })
    await submit(page)
    await page.getByLabel('It is happening now').check()
    await submit(page)
    expect(new URL(page.url()).pathname).toBe('/report/happening-now')
    expect((await page.getByRole('heading', { level: 1 }).textContent())!.trim()).toBe('Call 999 now')
    await page.getByRole('button', { name: 'Continue with the report' }).click()
    await settled(page)
    expect(new URL(page.url()).pathname).toBe('/report/who')
    await page.close()
  }, SLOW)

  it('keeps a receipt, and with it reads a question and adds information, without JavaScript', async () => {
    const client = new TestClient(app.baseUrl)
    const havant = (await app.database.db.selectFrom('areas').select('id').where('code', '=', 'E07000090').executeTakeFirstOrThrow()).id
    const token = await answerJourney(client, answersFor(havant, { what: 'Receipt probe: a van every evening' }))
    await postForm(client, '/report/check', { _csrf: token, homepage: '', followUp: 'yes' })
    const confirmation = await (await client.get('/report/confirmation')).text()
    const receipt = confirmation.match(/data-testid="receipt">([A-Z0-9-]+)</)![1]
    const reference = confirmation.match(/data-testid="reference">([A-Z0-9-]+)</)![1]
    const report = await app.database.db.selectFrom('public_reports').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()
    const officer = new TestClient(app.baseUrl)
    await officer.signIn('manager@lantern.test')
    await officer.post(`/public-reports/${report.id}/question`, { question: 'What colour is the van?' })

    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage()
    withoutJs.add(page)
    await go(page, `${app.baseUrl}/report/follow-up`)
    await page.getByLabel('Your receipt').fill(receipt.toLowerCase())
    await submit(page)
    expect(await page.getByTestId('question').textContent()).toContain('What colour is the van?')
    await page.getByLabel('Add information or answer a question').fill('White, with a ladder on the roof')
    await submit(page, 'Add to my report')
    expect(await page.getByTestId('addition').textContent()).toContain('White, with a ladder on the roof')
    expect(await page.context().cookies()).toEqual([])
    await page.close()
  }, SLOW)
})

describe('a triage officer', () => {
  it('reads a new report, grades it, links it to a location and a person, records the action and closes it', async () => {
    // The report arrives as any online report does (the journey itself is tested above).
    const reporter = new TestClient(app.baseUrl)
    const havant = (await app.database.db.selectFrom('areas').select('id').where('code', '=', 'E07000090').executeTakeFirstOrThrow()).id
    const token = await answerJourney(reporter, answersFor(havant, { what: 'Triage probe: Gary’s flat in Dunsbury Way, visitors all night' }))
    expect((await postForm(reporter, '/report/check', { _csrf: token, homepage: '' })).status).toBe(303)
    const reference = (await (await reporter.get('/report/confirmation')).text()).match(/data-testid="reference">([A-Z0-9-]+)</)![1]
    const page = await (await browser.newContext()).newPage()
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await page.getByRole('link', { name: 'Reports from the public' }).first().click()
    await settled(page)
    await page.getByRole('link', { name: /^New \(/ }).click()
    await settled(page)
    await page.getByRole('link', { name: reference }).click()
    await settled(page)
    expect(await page.getByTestId('what-happened').textContent()).toBe('Triage probe: Gary’s flat in Dunsbury Way, visitors all night')

    await page.getByRole('button', { name: 'Assign to me' }).click()
    await settled(page)
    await page.getByRole('link', { name: 'Grade urgency' }).click()
    await settled(page)
    await page.getByLabel('High: act within 24 hours').check()
    await submit(page, 'Save urgency')

    // Link it to the flat, a location in network intelligence, and to the tenant in the register.
    await page.getByRole('link', { name: 'Link to a record' }).click()
    await settled(page)
    await page.getByLabel('Location', { exact: true }).check()
    await page.getByLabel('Search by name, address or number').fill('Dunsbury')
    await submit(page, 'Search')
    await page.getByLabel(/Why link it/).first().fill('The flat the reporter describes')
    await page.getByRole('button', { name: 'Link to Flat 3, Dunsbury Way, Leigh Park, Havant' }).click()
    await settled(page)
    await page.getByRole('link', { name: 'Link to a record' }).click()
    await settled(page)
    await page.getByLabel('Person', { exact: true }).check()
    await page.getByLabel('Search by name, address or number').fill('Pike')
    await submit(page, 'Search')
    await page.getByRole('button', { name: 'Link to Gary Pike' }).click()
    await settled(page)
    const links = await page.getByTestId('links').textContent()
    expect(links).toContain('Flat 3, Dunsbury Way, Leigh Park, Havant')
    expect(links).toContain('Gary Pike')

    await page.getByRole('button', { name: 'Close report' }).click()
    await settled(page)
    await page.getByLabel('Closing summary').fill('Nothing yet')
    await submit(page, 'Close report')
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Record the action taken before you close this report')
    await page.getByRole('link', { name: 'Back to the report' }).click()
    await settled(page)
    await page.getByRole('link', { name: 'Record action taken' }).click()
    await settled(page)
    await page.getByLabel('Passed to police intelligence').check()
    await page.getByLabel('Details').fill('Intelligence report 4471')
    await submit(page, 'Record action')
    await page.getByRole('button', { name: 'Close report' }).click()
    await settled(page)
    await page.getByLabel('Closing summary').fill('Passed to intelligence; linked to the tenant’s record')
    await submit(page, 'Close report')
    expect(await page.getByTestId('triage-state').textContent()).toContain('Closed')
    expect(await page.getByTestId('history').textContent()).toContain('Passed to police intelligence')
    await signOut(page)
    await page.close()
  }, SLOW)
})

describe('a team manager', () => {
  it('records a new person from a report, comes back with the person linked, and places a legal hold', async () => {
    const reporter = new TestClient(app.baseUrl)
    const havant = (await app.database.db.selectFrom('areas').select('id').where('code', '=', 'E07000090').executeTakeFirstOrThrow()).id
    const token = await answerJourney(reporter, answersFor(havant, { what: 'Round trip probe: a girl called Tia, about 14, at the flat most nights' }))
    expect((await postForm(reporter, '/report/check', { _csrf: token, homepage: '' })).status).toBe(303)
    const reference = (await (await reporter.get('/report/confirmation')).text()).match(/data-testid="reference">([A-Z0-9-]+)</)![1]
    const page = await (await browser.newContext()).newPage()
    await signIn(page, app.baseUrl, 'manager@lantern.test')
    await visit(page, `${app.baseUrl}/public-reports?view=new`)
    await page.getByRole('link', { name: reference }).click()
    await settled(page)
    await page.getByRole('link', { name: 'Link to a record' }).click()
    await settled(page)
    await page.getByLabel('Search by name, address or number').fill('Tia Marlow')
    await submit(page, 'Search')
    await page.getByRole('link', { name: 'record a new person' }).click()
    await settled(page)
    expect(await page.getByTestId('return-to-report').textContent()).toContain('you go back to the report')
    await page.getByLabel('First name').fill('Tia')
    await page.getByLabel('Last name').fill('Marlow')
    await page.getByLabel('Approximate age, if the date of birth is not known').fill('14')
    await page.getByLabel('Home local authority').selectOption({ label: 'Havant' })
    await page.getByLabel('Where they live now').selectOption({ label: 'Havant' })
    await submit(page, 'Save record')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(`Report ${reference}`)
    expect(await page.getByTestId('links').textContent()).toContain('Tia Marlow')
    expect(await page.getByTestId('retention').textContent()).toContain('Kept while the report is open')

    await page.getByRole('link', { name: 'Place a legal hold' }).click()
    await settled(page)
    await page.getByLabel('Place a legal hold on this report').fill('Complaint 2026/31 about the handling of this report')
    await submit(page, 'Place legal hold')
    expect(await page.getByTestId('triage-state').textContent()).toContain('Legal hold')
    expect(await page.getByTestId('history').textContent()).toContain('Legal hold placed')
    await signOut(page)
    // The administrator's retention setting, from the navigation.
    await signIn(page, app.baseUrl, 'admin@lantern.test')
    await page.getByRole('link', { name: 'Report retention' }).first().click()
    await settled(page)
    expect(await page.getByTestId('retention-plan').textContent()).toContain('Would be deleted')
    await signOut(page)
    await page.close()
  }, SLOW)
})

describe('a partnership officer', () => {
  it('edits a public page with a preview, and sees it published with its history', async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, app.baseUrl, 'partnership@lantern.test')
    await page.getByRole('link', { name: 'Public pages' }).first().click()
    await settled(page)
    await page.getByRole('link', { name: 'Edit For landlords and housing officers' }).click()
    await settled(page)
    const body = page.getByLabel('Page content (Markdown)')
    await body.fill(`${await body.inputValue()}\n\n## Training for landlords\n\nAsk the partnership for a free awareness session.`)
    await page.getByLabel('What did you change?').fill('Added the training offer')
    await page.getByRole('button', { name: 'Preview' }).click()
    await settled(page)
    expect(await page.getByTestId('preview').textContent()).toContain('Training for landlords')
    await page.getByRole('button', { name: 'Publish' }).click()
    await settled(page)
    await visit(page, `${app.baseUrl}/signs/landlords`)
    expect(await page.getByRole('heading', { name: 'Training for landlords' }).count()).toBe(1)
    await visit(page, `${app.baseUrl}/public-content`)
    await page.getByRole('link', { name: 'History of For landlords and housing officers' }).click()
    await settled(page)
    expect(await page.getByTestId('versions').textContent()).toContain('Added the training offer')
    await page.getByRole('link', { name: 'Version 2' }).click()
    await settled(page)
    expect(await page.getByTestId('diff').textContent()).toContain('Training for landlords')
    await signOut(page)
    await page.close()
  }, SLOW)
})
