import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { fillWhen, settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'
import { DEFAULT_TOOL_V1 } from '../../src/modules/risk/default-tool.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

const when = (name: string, hoursAgo: number) => fillWhen(page, app, name, hoursAgo)

const click = async (name: string, role: 'button' | 'link' = 'button') => {
  await page.getByRole(role, { name, exact: true }).click()
  await settled(page)
}

describe('screening a child, a missing episode, and a manager confirming Red', () => {
  let personUrl = ''

  it('a practitioner records a child and screens them Amber, seeing why', async () => {
    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    await visit(page, `${app.baseUrl}/people/new`)
    await page.getByLabel('First name').fill('Riley')
    await page.getByLabel('Last name').fill('Journey')
    await page.locator('#dob-day').fill('9')
    await page.locator('#dob-month').fill('4')
    await page.locator('#dob-year').fill(String(Number(app.clock.today().slice(0, 4)) - 15))
    await page.getByLabel('Male', { exact: true }).check()
    await page.getByLabel('Home local authority').selectOption({ label: 'Havant' })
    await page.getByLabel('Where they live now').selectOption({ label: 'Havant' })
    await click('Save record')
    // The duplicate check may ask "Is this one of these?" if the demo holds someone alike.
    if (new URL(page.url()).pathname === '/people/new') await click('No, none of these — save the new record')
    personUrl = new URL(page.url()).pathname
    expect(personUrl).toMatch(/^\/people\/[0-9a-f-]{36}$/)

    await visit(page, `${app.baseUrl}${personUrl}/risk`)
    expect(await page.getByText('Riley has not been screened yet.').count()).toBe(1)
    await click('Start a screening')
    expect(await page.getByRole('heading', { level: 2, name: 'Screening of exploitation risk' }).count()).toBe(1)

    expect(await page.getByText('Not yet started').count()).toBe(6)
    await click('Missing and location', 'link')
    await page.getByLabel('Note (optional)').first().fill('Missing twice this month from home.')
    for (const [n, group] of DEFAULT_TOOL_V1.groups.entries()) {
      expect(await page.getByRole('heading', { level: 2, name: group.title }).count()).toBe(1)
      for (const ind of group.indicators) {
        const status = ['missing_repeated', 'older_associates'].includes(ind.key) ? 'current' : ind.key === 'exclusion' ? 'recent' : 'not_present'
        await page.locator(`input[name="status-${ind.key}"][value="${status}"]`).check()
      }
      await click('Save and continue')
      if (n < DEFAULT_TOOL_V1.groups.length - 1) expect(new URL(page.url()).pathname).toContain(`/sections/${DEFAULT_TOOL_V1.groups[n + 1].key}`)
    }

    expect(await page.getByRole('heading', { level: 2, name: 'Check the level and finish' }).count()).toBe(1)
    const computed = await page.getByTestId('computed').textContent()
    expect(computed).toContain('Amber')
    expect(await page.getByTestId('reasons').textContent()).toContain('A score of 14 from 3 indicators present falls in the Amber (12 to 29) band.')
    const scored = await page.getByTestId('contributions').textContent()
    expect(scored).toContain('Repeated missing episodes (two or more)')
    expect(scored).toContain('Older or controlling associates')
    expect(await page.getByLabel('Amber (computed)').isChecked()).toBe(true)
    await click('Finish screening')

    expect(new URL(page.url()).pathname).toBe(`${personUrl}/risk`)
    expect(await page.getByTestId('current-rating').textContent()).toContain('Amber')
    expect(await page.getByTestId('movement').textContent()).toBe('This is the first rating.')
    expect(await page.getByTestId('review-state').textContent()).toBe('Due in 56 days')
    expect(await page.getByTestId('risk-history').textContent()).toContain('Screening')
  })

  it('records a missing episode found out of area, and the return home interview', async () => {
    await visit(page, `${app.baseUrl}${personUrl}/missing`)
    await click('Record a missing episode')
    await when('missing', 40)
    await when('found', 30)
    await page.getByLabel('Area where they were found').selectOption({ label: 'Portsmouth' })
    await page.getByLabel('Where exactly (optional)').fill('Fratton station')
    await page.getByLabel('Police', { exact: true }).check()
    await page.getByLabel('Found with drugs').check()
    await click('Save episode')
    expect(await page.locator('.govuk-summary-list').first().textContent()).toContain('Out of area')
    expect(await page.getByTestId('rhi-status').textContent()).toContain('Interview due')

    await click('Record the return home interview')
    await when('held', 20)
    await page.getByLabel('Who held it').fill('Sam Okafor, social worker')
    await page.getByLabel('What the child said, and what happens next (optional)').fill('Said he was taken to Portsmouth by an older boy.')
    await click('Save interview')
    expect(await page.getByTestId('rhi-status').textContent()).toContain('Interview held')

    await visit(page, `${app.baseUrl}${personUrl}/missing`)
    expect(await page.getByTestId('missing-episodes').textContent()).toContain('Portsmouth')
    // The review of the Amber rating is due, on the person page itself.
    await visit(page, `${app.baseUrl}${personUrl}`)
    const bar = await page.getByTestId('identity-bar').textContent()
    expect(bar).toContain('Review due')
    expect(bar).toContain('Amber')
    await signOut(page)
  })

  it('a manager confirms a Red rating waiting for them', async () => {
    await signIn(page, app.baseUrl, 'manager@lantern.test')
    await visit(page, `${app.baseUrl}/risk/awaiting-confirmation`)
    const first = page.getByTestId('awaiting').locator('tbody a').first()
    const name = (await first.textContent())!.trim()
    await first.click()
    await settled(page)
    expect(await page.getByTestId('awaiting-confirmation').textContent()).toContain('Red – awaiting manager confirmation')
    await page.getByLabel('Yes, confirm Red').check()
    await click('Save decision')
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Red rating confirmed')
    expect(await page.getByTestId('awaiting-confirmation').count()).toBe(0)
    expect(await page.getByTestId('current-rating').textContent()).toContain('Red')
    expect(await page.getByTestId('review-state').count()).toBe(1)
    await visit(page, `${app.baseUrl}/risk/awaiting-confirmation`)
    expect(await page.getByText(name, { exact: true }).count()).toBe(0)
  })

  it('shows the demo story to the police: Jayden’s overdue interview and Mason’s risk coming down', async () => {
    await signOut(page)
    await signIn(page, app.baseUrl, 'officer@lantern.test')
    const { id: jayden } = await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Jayden').where('family_name', '=', 'Price').executeTakeFirstOrThrow()
    await visit(page, `${app.baseUrl}/people/${jayden}/missing`)
    expect(await page.getByTestId('rhi-overdue').textContent()).toContain('The return home interview is overdue')
    await visit(page, `${app.baseUrl}/people/${jayden}/referrals`)
    expect(await page.getByTestId('cawns').textContent()).toContain('Okoro')
    // An NRM decision dated before the referral is refused with a message at the field.
    await click('Record an NRM referral')
    await page.locator('#referred-day').fill('10')
    await page.locator('#referred-month').fill('11')
    await page.locator('#referred-year').fill('2026')
    await page.getByLabel('First responder organisation').selectOption({ label: 'Hampshire and Isle of Wight Constabulary' })
    await page.locator('input[name="rgDecision"][value="positive"]').check()
    await page.locator('#rg-day').fill('9')
    await page.locator('#rg-month').fill('11')
    await page.locator('#rg-year').fill('2026')
    await click('Save referral')
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('The reasonable grounds decision date must be the same as or after the referral date')
    const { id: mason } = await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Mason').where('family_name', '=', 'Clarke').executeTakeFirstOrThrow()
    await visit(page, `${app.baseUrl}/people/${mason}/risk`)
    expect(await page.getByTestId('movement').textContent()).toBe('Risk has come down since the last review: from Amber to Green.')
    expect(await page.getByTestId('risk-chart').locator('circle').count()).toBe(3)
  })

  it('an administrator sees the screening tool and is told why a change is refused', async () => {
    await signOut(page)
    await signIn(page, app.baseUrl, 'admin@lantern.test')
    await visit(page, `${app.baseUrl}/admin/screening-tool`)
    expect(await page.getByTestId('tool-versions').textContent()).toContain('Version 1 as shipped with Lantern')
    await click('Change weights, bands and reviews')
    await page.getByLabel('Amber from').fill('10')
    await page.getByLabel('What did you change, and why?').fill('Lower the Amber threshold')
    await click('Save as version 2')
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Bands overlap: Green (0 to 11) and Amber (10 to 29)')
    await visit(page, `${app.baseUrl}/admin/screening-tool/definition`)
    expect(await page.getByLabel('Definition').inputValue()).toContain('"vulnerable_not_green"')
  })
})
