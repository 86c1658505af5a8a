import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { expectAccessible, settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

describe('the retention settings page', () => {
  it('an administrator sets how long closed records are kept: a wrong figure is explained with the answers kept, a right one saved and applied', async () => {
    await signIn(page, app.baseUrl, 'admin@lantern.test')
    await visit(page, `${app.baseUrl}/dashboard`)
    await page.getByRole('link', { name: 'Record retention' }).first().click()
    await settled(page)
    expect(await page.title()).toMatch(/^Record retention – /)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Retention of closed records')
    expect(await page.getByTestId('retention-plan').textContent()).toContain('Tonight’s run would anonymise')
    const children = page.getByLabel('Children and young people: years after closure')
    const adults = page.getByLabel('Adults of concern: years after closure')
    expect(await children.inputValue()).toBe('6')

    // Out of range: the error summary first and focused, the page titled "Error:", both answers kept.
    await children.fill('0')
    await adults.fill('8')
    await page.getByRole('button', { name: 'Save retention periods' }).click()
    await settled(page)
    expect(await page.title()).toBe('Error: Record retention – Lantern')
    const summary = page.locator('.govuk-error-summary')
    expect(await summary.textContent()).toContain('Enter the years to keep children’s records as a whole number from 1 to 75')
    expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true)
    expect(await children.inputValue()).toBe('0')
    expect(await adults.inputValue()).toBe('8')

    // Followed from the summary to the field, corrected and saved.
    await summary.getByRole('link', { name: /children’s records/ }).click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('child')
    await children.fill('10')
    await page.getByRole('button', { name: 'Save retention periods' }).click()
    await settled(page)
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Retention periods saved')
    expect(await children.inputValue()).toBe('10')
    expect(await adults.inputValue()).toBe('8')
    const saved = await app.database.db.selectFrom('settings').select(['key', 'value']).where('key', 'like', 'people.retention_years.%').orderBy('key').execute()
    expect(saved.map((s) => [s.key, String(s.value)])).toEqual([
      ['people.retention_years.adult', '8'],
      ['people.retention_years.child', '10'],
    ])

    // Nothing wider than a 320 px screen (WCAG 1.4.10 reflow), and still accessible there.
    await page.setViewportSize({ width: 320, height: 640 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await expectAccessible(page)
    await page.setViewportSize({ width: 1280, height: 800 })
    await signOut(page)
  })

  it('is not offered to, and refuses, anyone but an administrator', async () => {
    await page.context().clearCookies()
    await signIn(page, app.baseUrl, 'manager@lantern.test')
    expect(await page.getByRole('link', { name: 'Record retention' }).count()).toBe(0)
    const res = await visit(page, `${app.baseUrl}/admin/record-retention`)
    expect(res?.status()).toBe(403)
  })
})
