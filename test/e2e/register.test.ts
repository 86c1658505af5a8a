import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { expectAccessible, settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let page: Page

// A fresh browser context for each journey, so one failing cannot leave the next signed in.
useBrowserApp((s) => ({ app, page } = s), { pagePerTest: true })

const intelligence = 'Seen getting into a car with the line holder outside Havant station; source must be protected'

describe('case notes across agencies', () => {
  it('a police officer adds a police-only note that the council practitioner cannot see', async () => {
    await signIn(page, app.baseUrl, 'officer@lantern.test')
    await visit(page, `${app.baseUrl}/register?q=Kyle+Marsh`)
    await page.getByTestId('people-table').getByRole('link', { name: 'Kyle Marsh' }).click()
    await settled(page)
    await page.getByRole('link', { name: 'Notes' }).click()
    await settled(page)
    await page.getByRole('button', { name: 'Add a note' }).click()
    await settled(page)
    await page.getByLabel('Intelligence', { exact: true }).check()
    await page.getByLabel('2 – Untested').check()
    await page.getByLabel('B – Known indirectly, corroborated').check()
    await page.getByLabel('P – Lawful sharing permitted').check()
    await page.getByLabel('Note', { exact: true }).fill(intelligence)
    await page.getByLabel('Police only').check()
    await page.getByRole('button', { name: 'Save note' }).click()
    await settled(page)
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Only police staff can read it')
    const first = page.getByTestId('note').first()
    expect(await first.textContent()).toContain(intelligence)
    expect(await first.textContent()).toContain('Police only')
    const notesUrl = page.url()
    await signOut(page)

    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    await visit(page, notesUrl)
    expect(await page.getByRole('heading', { name: 'Case notes' }).isVisible()).toBe(true)
    expect(await page.locator('main').textContent()).not.toContain(intelligence)
    expect(await page.getByText('Police only').count()).toBe(0)
    await visit(page, notesUrl.replace('/notes', '/history'))
    expect(await page.locator('main').textContent()).not.toContain('police only')
    await signOut(page)
  })

  it('shows a GOV.UK error when a note is saved empty, keeping the date', async () => {
    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    await visit(page, `${app.baseUrl}/register?q=Kyle+Marsh`)
    await page.getByTestId('people-table').getByRole('link', { name: 'Kyle Marsh' }).click()
    await settled(page)
    await page.getByRole('link', { name: 'Notes' }).click()
    await settled(page)
    await page.getByRole('button', { name: 'Add a note' }).click()
    await settled(page)
    expect(await page.getByText('Who may read this note?').count()).toBe(0)
    await page.getByRole('button', { name: 'Save note' }).click()
    await settled(page)
    expect(await page.title()).toMatch(/^Error: /)
    const summary = await page.locator('.govuk-error-summary').textContent()
    expect(summary).toContain('Select what kind of note this is')
    expect(summary).toContain('Enter the note')
    // The form starts at today on the app's calendar, not the machine's.
    expect(await page.getByLabel('Year').inputValue()).toBe(String(app.clock.now().getUTCFullYear()))
    await signOut(page)
  })
})

describe('the register', () => {
  it('finds a child with the filters, and drops a filter from the selected filters', async () => {
    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    await page.getByRole('link', { name: 'Register', exact: true }).first().click()
    await settled(page)
    const kyle = await app.database.db.selectFrom('people').select(['current_rag']).where('given_name', '=', 'Kyle').where('family_name', '=', 'Marsh').executeTakeFirstOrThrow()
    const level = { red: 'Red', amber: 'Amber', green: 'Green' }[kyle.current_rag ?? 'green'] ?? 'Not rated'
    await page.getByLabel(level, { exact: true }).check()
    await page.getByLabel('Area', { exact: true }).selectOption({ label: 'Havant' })
    await page.getByLabel('Name or identifier').fill('marsh')
    await page.getByTestId('apply-filters').click()
    await settled(page)
    expect(await page.getByTestId('people-table').getByRole('link', { name: 'Kyle Marsh' }).isVisible()).toBe(true)
    expect(await page.locator('.moj-filter__selected').textContent()).toContain('Havant')
    // Remove the name filter: Kyle is still there, among others.
    await page.locator('.moj-filter__tag', { hasText: 'marsh' }).click()
    await settled(page)
    expect(new URL(page.url()).searchParams.get('q')).toBeNull()
    expect(await page.getByTestId('people-table').getByRole('link', { name: 'Kyle Marsh' }).isVisible()).toBe(true)
    await visit(page, `${app.baseUrl}/register/caseload`)
    expect(await page.getByRole('heading', { name: 'My caseload' }).isVisible()).toBe(true)
    await signOut(page)
  })

  it('shows the manager’s team view with the reviews due', async () => {
    await signIn(page, app.baseUrl, 'manager@lantern.test')
    await visit(page, `${app.baseUrl}/register/team`)
    const due = Number(await page.getByTestId('team-due').locator('.lantern-card__count').textContent())
    const overdue = Number(await page.getByTestId('team-overdue').locator('.lantern-card__count').textContent())
    expect(due + overdue).toBeGreaterThan(0)
    const reviews = page.getByTestId('people-table').first()
    expect(await reviews.locator('tbody tr').count()).toBe(due + overdue)
    expect(await reviews.getByText('Due', { exact: true }).count()).toBe(due)
    await visit(page, `${app.baseUrl}/dashboards/risk`)
    expect(await page.getByTestId('suppression-note').count()).toBe(0)
    await signOut(page)
  })

  it('shows a panel member counts by area, small numbers hidden, no names', async () => {
    await signIn(page, app.baseUrl, 'panel@lantern.test')
    await page.getByRole('link', { name: 'Risk by area' }).first().click()
    await settled(page)
    expect(await page.getByTestId('suppression-note').isVisible()).toBe(true)
    expect(await page.locator('main').textContent()).not.toContain('Kyle')
    expect(await page.locator('main a[href^="/people/"]').count()).toBe(0)
    await signOut(page)
  })
})

describe('API tokens', () => {
  it('an officer issues their own token, sees it once, and an administrator (who cannot issue one for anyone) revokes it', async () => {
    await signIn(page, app.baseUrl, 'officer@lantern.test')
    await page.getByRole('link', { name: 'Your API tokens' }).click()
    await settled(page)
    await page.getByLabel('What is it for?').fill('Case system nightly match')
    await page.getByLabel('90 days').check()
    await page.getByRole('button', { name: 'Issue token' }).click()
    await settled(page)
    const token = await page.getByTestId('issued-token').inputValue()
    expect(token).toMatch(/^lantern_pat_/)
    const me = await fetch(`${app.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })
    expect((await me.json()).email).toBe('officer@lantern.test')
    await page.getByRole('link', { name: 'Back to your API tokens' }).click()
    await settled(page)
    expect(await page.locator('main').textContent()).not.toContain(token)
    await signOut(page)

    await signIn(page, app.baseUrl, 'admin@lantern.test')
    await page.getByRole('link', { name: 'API tokens' }).first().click()
    await settled(page)
    expect(await page.getByLabel('Who is it for?').count()).toBe(0)
    expect(await page.locator('main').textContent()).not.toContain(token)
    await page.getByRole('button', { name: 'Revoke the token Case system nightly match of DC Jo Harris' }).click()
    await settled(page)
    expect((await fetch(`${app.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)
    await signOut(page)
  })
})

describe('two people editing one record', () => {
  it('the second to save sees their answers beside the saved version, the differences marked, accessibly, and may save what they typed over it', async () => {
    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    const kyle = await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Kyle').where('family_name', '=', 'Marsh').executeTakeFirstOrThrow()
    await visit(page, `${app.baseUrl}/people/${kyle.id}/edit`)
    // Someone else saves first, while this form is open.
    await app.database.db.updateTable('people').set({ school: 'Saved by someone else', version: (eb) => eb('version', '+', 1) }).where('id', '=', kyle.id).execute()
    await page.getByLabel('School').fill('Typed in this form')
    await page.getByRole('button', { name: /Save/ }).click()
    await settled(page)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Someone else changed this record')
    const school = page.locator('tr[data-field="School"]')
    expect(await school.getAttribute('data-differs')).not.toBeNull()
    expect(await school.textContent()).toMatch(/Typed in this form[\s\S]*Saved by someone else/)
    await expectAccessible(page)
    // The same two choices as every conflict page: see theirs opens the form afresh; keep mine saves over theirs.
    expect(await page.getByRole('link', { name: 'Discard my changes and see theirs' }).getAttribute('href')).toBe(`/people/${kyle.id}/edit`)
    await page.getByRole('button', { name: 'Keep my changes and overwrite theirs' }).click()
    await settled(page)
    expect(page.url()).toBe(`${app.baseUrl}/people/${kyle.id}`)
    expect((await app.database.db.selectFrom('people').select('school').where('id', '=', kyle.id).executeTakeFirstOrThrow()).school).toBe('Typed in this form')
    await signOut(page)
  })
})
