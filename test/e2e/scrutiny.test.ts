import { beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'
import { scrutinyModule } from '../../src/modules/scrutiny/module.ts'

let app: TestApp
let browser: Browser
let page: Page
let panelId: string

async function fillDate(p: Page, id: string, iso: string) {
  const [year, month, day] = iso.split('-')
  await p.fill(`#${id}-day`, String(Number(day)))
  await p.fill(`#${id}-month`, String(Number(month)))
  await p.fill(`#${id}-year`, year)
}

/** Each test starts signed out, in a browser context of its own. */
async function freshPage() {
  await page?.context().close()
  page = await (await browser.newContext()).newPage()
  return page
}

async function submit(p: Page, name: string) {
  await p.getByRole('button', { name, exact: true }).click()
  await settled(p)
}

// Scrutiny on the foundation alone, so another capability's demo data cannot break this story.
useBrowserApp((s) => ({ app, browser } = s), { app: { modules: [scrutinyModule] } })
beforeAll(async () => {
  panelId = (await app.database.db.selectFrom('scrutiny_bodies').select('id').where('code', '=', 'PCP').executeTakeFirstOrThrow()).id
})

describe('a panel’s recommendations, tracked to an answer in public', () => {
  let meetingUrl: string

  it('a panel officer records a meeting and its agenda, one item restricted', async () => {
    await freshPage()
    await signIn(page, app.baseUrl, 'partnership@lantern.test')
    await visit(page, `${app.baseUrl}/scrutiny/manage`)
    await page.getByRole('link', { name: 'Record a meeting of the Hampshire and Isle of Wight Police and Crime Panel' }).click()
    await settled(page)
    await page.getByLabel('Title of the meeting').fill('Police and Crime Panel: special meeting on county lines')
    await fillDate(page, 'meetingDate', '2026-10-02')
    await page.getByLabel('Where (optional)').fill('Havant Public Service Plaza')
    await page.getByLabel('Held', { exact: true }).check()
    await submit(page, 'Save meeting')
    meetingUrl = page.url()
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Police and Crime Panel: special meeting on county lines, 2 October 2026')

    await page.getByLabel('Title', { exact: true }).fill('County lines performance')
    await submit(page, 'Add agenda item')
    await page.getByLabel('Title', { exact: true }).fill('Exempt: staffing of the Commissioner’s office')
    await page.getByLabel('Restricted (exempt): never shown to the public').check()
    await submit(page, 'Add agenda item')
    const agenda = await page.locator('#agenda ~ .lantern-card').allTextContents()
    expect(agenda.map((a) => a.replace(/\s+/g, ' ').trim().slice(0, 60))).toEqual([
      expect.stringContaining('1. County lines performance'),
      expect.stringMatching(/^2\. Exempt: staffing of the Commissioner’s office Restricted/),
    ])
  })

  it('then records two recommendations and an information request, refusing a due date before the meeting', async () => {
    await visit(page, meetingUrl)
    // The first recommendation, with a due date before the meeting: a clear error, nothing saved.
    await page.getByRole('button', { name: 'Add a recommendation' }).click()
    await settled(page)
    await page.getByLabel('Short title').fill('Quarterly county lines indicators to the panel')
    await page.getByLabel('Wording, as the minutes record it').fill('That the Commissioner report key county lines indicators, including weapons offences, to every meeting of the Panel.')
    await page.getByLabel('Agenda item (optional)').selectOption({ label: '1. County lines performance' })
    await page.getByLabel('Addressed to').fill('Police and Crime Commissioner')
    await page.getByLabel('Organisation that will respond (optional)').selectOption({ label: 'Office of the Police and Crime Commissioner' })
    await page.getByLabel('Proposed by (optional)').fill('Cllr Gareth Lindqvist')
    await fillDate(page, 'responseDue', '2026-09-30')
    await submit(page, 'Save and add another')
    expect(await page.title()).toMatch(/^Error: /)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('The date the response is due must be after the meeting, 2 October 2026')
    expect(await page.getByLabel('Short title').inputValue()).toBe('Quarterly county lines indicators to the panel')
    await fillDate(page, 'responseDue', '2026-12-10')
    await submit(page, 'Save and add another')
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Recorded on the tracker')

    // The second recommendation, made in private session.
    await page.getByLabel('Short title').fill('Review staffing of the scrutiny support team')
    await page.getByLabel('Wording, as the minutes record it').fill('That the Commissioner review the staffing matter discussed in private.')
    await page.getByLabel('Agenda item (optional)').selectOption({ label: '2. Exempt: staffing of the Commissioner’s office (restricted)' })
    await page.getByLabel('Addressed to').fill('Police and Crime Commissioner')
    await fillDate(page, 'responseDue', '2026-12-10')
    await submit(page, 'Save and add another')

    // The information request, sent three days after the meeting.
    await page.getByLabel('A request for information or an action').check()
    await page.getByLabel('Request for information', { exact: true }).check()
    await page.getByLabel('Short title').fill('Arrests and charges under the Modern Slavery Act')
    await page.getByLabel('Wording, as the minutes record it').fill('To provide the number of arrests and charges for Modern Slavery Act offences linked to county lines, by quarter.')
    await page.getByLabel('Addressed to').fill('Police and Crime Commissioner')
    await page.getByLabel('Organisation that will respond (optional)').selectOption({ label: 'Office of the Police and Crime Commissioner' })
    await page.getByLabel('Email address for the response and reminders (optional)').fill('opcc.correspondence@lantern.test')
    await fillDate(page, 'sentOn', '2026-10-05')
    await fillDate(page, 'responseDue', '2026-11-30')
    await submit(page, 'Save')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Arrests and charges under the Modern Slavery Act')
    expect(await page.locator('[data-testid="evidence"]').textContent()).toMatch(/Sent to the addressee\s*5 October 2026/)

    await visit(page, meetingUrl)
    const tracker = await page.locator('[data-testid="tracker"]').textContent()
    expect(tracker).toContain('Quarterly county lines indicators to the panel')
    expect(tracker).toContain('Review staffing of the scrutiny support team')
    expect(tracker).toMatch(/Arrests and charges under the Modern Slavery Act[\s\S]*Due in 7 days/)
    await signOut(page)
  })

  it('the commissioner’s office records a response', async () => {
    await freshPage()
    await signIn(page, app.baseUrl, 'opcc@lantern.test')
    await visit(page, `${app.baseUrl}/scrutiny/manage`)
    const row = page.locator('tr', { hasText: 'Quarterly county lines indicators to the panel' })
    await row.getByRole('link').click()
    await settled(page)
    await fillDate(page, 'respondedOn', '2026-11-20')
    await page.getByLabel('Response', { exact: true }).fill('The Commissioner accepts the recommendation: a quarterly indicator report will come to each meeting from February.')
    await page.getByLabel('Accepted', { exact: true }).check()
    await submit(page, 'Record response')
    expect(await page.locator('#responses ~ div').first().textContent()).toContain('The Commissioner accepts the recommendation')
    expect(await page.locator('[data-testid="history"]').textContent()).toMatch(/Accepted[\s\S]*Dana Clarke \(Office of the Police and Crime Commissioner\)/)
    // The office cannot change the panel's own status or RAG rating.
    expect(await page.getByRole('heading', { name: 'Update the status' }).count()).toBe(0)
    await signOut(page)
  })

  it('the overdue one turns red', async () => {
    await freshPage()
    await signIn(page, app.baseUrl, 'partnership@lantern.test')
    await visit(page, `${app.baseUrl}/scrutiny/manage/bodies/${panelId}?q=Modern+Slavery+Act`)
    const before = page.locator('tr', { hasText: 'Arrests and charges under the Modern Slavery Act' })
    expect(await before.textContent()).not.toContain('Overdue')
    // A week passes with no answer.
    app.clock.set(new Date('2026-12-05T09:00:00Z'))
    await visit(page, `${app.baseUrl}/scrutiny/manage/bodies/${panelId}?q=Modern+Slavery+Act`)
    const row = page.locator('tr', { hasText: 'Arrests and charges under the Modern Slavery Act' })
    expect(await row.textContent()).toContain('Overdue by 5 days')
    expect(await row.locator('.lantern-rag').textContent()).toBe('Red')
    await row.getByRole('link').click()
    await settled(page)
    expect(await page.locator('[data-testid="overdue-banner"]').textContent()).toContain('Overdue by 5 days')
    expect(await page.locator('[data-testid="rag"]').textContent()).toBe('Red')
    await signOut(page)
  })

  it('the public tracker and feed show the published items and never the restricted one', async () => {
    const visitor = await (await browser.newContext()).newPage()
    await visit(visitor, `${app.baseUrl}/scrutiny`)
    await visitor.getByRole('link', { name: 'Hampshire and Isle of Wight Police and Crime Panel' }).click()
    await settled(visitor)
    const tracker = await visitor.locator('[data-testid="tracker"]').textContent()
    expect(tracker).toContain('Quarterly county lines indicators to the panel')
    expect(tracker).toMatch(/Arrests and charges under the Modern Slavery Act[\s\S]*Overdue by 5 days/)
    expect(tracker).not.toContain('Review staffing of the scrutiny support team')
    await visitor.locator('tr', { hasText: 'Quarterly county lines indicators to the panel' }).getByRole('link').click()
    await settled(visitor)
    expect(await visitor.locator('main').textContent()).toContain('The Commissioner accepts the recommendation')
    await visitor.getByRole('link', { name: /Police and Crime Panel: special meeting on county lines/ }).click()
    await settled(visitor)
    const meeting = await visitor.locator('main').textContent()
    expect(meeting).toContain('County lines performance')
    expect(meeting).not.toContain('Exempt: staffing')
    expect(meeting).not.toContain('Review staffing')

    for (const path of ['/scrutiny/feed.atom', '/scrutiny/police-and-crime-panel/feed.atom', '/scrutiny/tracker.json', '/scrutiny/tracker.csv']) {
      const body = await (await visitor.request.get(`${app.baseUrl}${path}`)).text()
      expect(body, path).toContain('Quarterly county lines indicators to the panel')
      expect(body, path).not.toContain('Review staffing of the scrutiny support team')
    }
    const feed = await (await visitor.request.get(`${app.baseUrl}/scrutiny/police-and-crime-panel/feed.atom`)).text()
    expect(feed).toContain('<title>Response to PCP 2026/27')
    await visitor.close()
  })
})

describe('awareness workshops: who attended, by organisation', () => {
  it('an events officer records attendance and the report answers who attended by organisation', async () => {
    await freshPage()
    await signIn(page, app.baseUrl, 'events@lantern.test')
    await visit(page, `${app.baseUrl}/scrutiny/manage/events`)
    await page.getByRole('button', { name: 'Add an event' }).click()
    await settled(page)
    await page.getByLabel('Title').fill('County lines awareness workshop for agencies working with homeless people (Winchester)')
    await fillDate(page, 'eventDate', '2026-11-10')
    await page.getByLabel('Who it is for').fill('Agencies and organisations who engage with homeless individuals')
    await submit(page, 'Add event')

    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Havant Borough Council' })
    await page.getByLabel('Service or department (optional)').fill('Housing options')
    await page.getByLabel('Role').fill('Housing officer')
    await page.getByLabel('Number of people').fill('2')
    await submit(page, 'Record attendance')
    await page.getByLabel('Or, if it is not listed, its name').first().fill('Harbour Night Shelter')
    await page.getByLabel('Kind of organisation (if not listed)').first().selectOption({ label: 'Voluntary or community group' })
    await page.getByLabel('Role').fill('Project worker')
    await page.getByLabel('Number of people').fill('3')
    await submit(page, 'Record attendance')
    expect(await page.getByTestId('districts-answer').textContent()).toContain('Yes: 2 people from Havant Borough Council')
    expect(await page.getByTestId('childrens-answer').textContent()).toContain('No: nobody from county council children’s services attended this event')

    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Hampshire County Council' })
    await page.getByLabel('Service or department (optional)').fill('Children’s Services (Willow Team)')
    await page.getByLabel('Role').fill('Social worker')
    await page.getByLabel('Number of people').fill('1')
    await submit(page, 'Record attendance')
    expect(await page.getByTestId('childrens-answer').textContent()).toContain('Yes: 1 person from Hampshire County Council')
    const report = await page.getByTestId('attendance-report').textContent()
    expect(report).toMatch(/County council[\s\S]*Hampshire County Council[\s\S]*Social worker, Children’s Services \(Willow Team\)/)
    expect(report).toMatch(/District or borough council[\s\S]*Havant Borough Council[\s\S]*Housing officer, Housing options \(2\)/)
    expect(report).toMatch(/Voluntary or community group[\s\S]*Harbour Night Shelter/)
    await signOut(page)
  })
})
