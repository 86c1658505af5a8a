import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

/** The choices of the public form's council area question. */
async function publicChoices() {
  await visit(page, `${app.baseUrl}/report/where`)
  return page.getByLabel('Which council area is it in?').locator('option').allTextContents()
}

describe('the areas page', () => {
  it('an administrator takes a council out of the partnership, fixing a mistake, and the public form follows', async () => {
    expect(await publicChoices()).toContain('Gosport')

    await signIn(page, app.baseUrl, 'admin@lantern.test')
    await visit(page, `${app.baseUrl}/admin`)
    await page.getByRole('link', { name: 'Areas', exact: true }).click()
    await settled(page)
    await page.getByTestId('areas').getByRole('link', { name: /^Gosport/ }).click()
    await settled(page)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Gosport')

    // A population that is not a number: the error summary first, the answers kept.
    await page.getByRole('group', { name: 'Is it in the partnership?' }).getByLabel('No').check()
    await page.getByLabel('Population (optional)').fill('about 80k')
    await page.getByRole('button', { name: 'Save area' }).click()
    await settled(page)
    const summary = page.locator('.govuk-error-summary')
    expect(await summary.textContent()).toContain('Enter the population as a whole number, like 125,000')
    expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true)
    expect(await page.getByRole('group', { name: 'Is it in the partnership?' }).getByLabel('No').isChecked()).toBe(true)
    await summary.getByRole('link', { name: 'Enter the population as a whole number, like 125,000' }).click()
    await page.getByLabel('Population (optional)').fill('82,600')
    await page.getByRole('button', { name: 'Save area' }).click()
    await settled(page)

    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Area Gosport updated')
    const row = page.getByTestId('areas').locator('tr', { hasText: 'Gosport' })
    expect((await row.textContent())?.replace(/\s+/g, ' ')).toContain('Gosport: change E07000088 District or borough (in a county) Hampshire No 82,600')
    await signOut(page)

    expect(await publicChoices()).not.toContain('Gosport')
  })
})
