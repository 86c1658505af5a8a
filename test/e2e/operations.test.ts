import { describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { expectAccessible, settled, signIn, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let browser: Browser

useBrowserApp((s) => ({ app, browser } = s))

describe('joint operations carried to their end', () => {
  it('an officer edits an operation, corrects and withdraws an activity with a reason, and concludes it; at 320 px too', async () => {
    const page = await (await browser.newContext({ viewport: { width: 320, height: 800 } })).newPage()
    await signIn(page, app.baseUrl, 'officer@lantern.test')
    await visit(page, `${app.baseUrl}/operations/new`)
    await page.getByLabel('Name').fill('Operation Tideway')
    await page.getByLabel('Active').check()
    await page.getByLabel('Started on').fill('2026-06-01')
    await page.getByRole('button', { name: 'Record operation' }).click()
    await settled(page)
    await page.getByLabel('Add a target').selectOption({ label: 'Reece Holloway (Adult)' })
    await page.getByRole('button', { name: 'Add target' }).click()
    await settled(page)

    await page.getByRole('button', { name: 'Edit the operation' }).click()
    await settled(page)
    await expectAccessible(page)
    expect(await page.title()).toContain('Edit the operation – Operation Tideway')
    await page.getByLabel('Summary (optional)').fill('Against the Tideway line in Havant.')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await settled(page)
    expect(await page.textContent('main')).toContain('Against the Tideway line in Havant.')

    await page.getByRole('button', { name: 'Record an activity' }).click()
    await settled(page)
    await page.getByLabel('Arrest').check()
    await page.getByLabel('Date', { exact: true }).fill('2026-06-10')
    await page.getByLabel('Who or what it concerned').selectOption({ label: 'Reece Holloway (Adult)' })
    await page.getByRole('button', { name: 'Record activity' }).click()
    await settled(page)
    expect(await page.getByTestId('outcome-counts').textContent()).toMatch(/Arrests\s*1/)

    await page.getByRole('link', { name: /Correct the arrest/ }).click()
    await settled(page)
    await expectAccessible(page)
    await page.getByLabel('Date', { exact: true }).fill('2026-06-11')
    await page.getByRole('button', { name: 'Save the correction' }).click()
    await settled(page)
    // No reason: the GOV.UK error summary, with the answers kept.
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Enter why the activity is corrected')
    expect(await page.getByLabel('Date', { exact: true }).inputValue()).toBe('2026-06-11')
    await expectAccessible(page)
    await page.getByLabel('Why is it corrected?').fill('The custody record says the 11th.')
    await page.getByRole('button', { name: 'Save the correction' }).click()
    await settled(page)

    await page.getByRole('link', { name: /Withdraw the arrest/ }).click()
    await settled(page)
    await expectAccessible(page)
    await page.getByLabel('Why is it withdrawn?').fill('Arrested by another force’s operation.')
    await page.getByRole('button', { name: 'Withdraw' }).click()
    await settled(page)
    const arrest = page.getByTestId('activities').locator('tr', { hasText: 'Arrest' })
    expect(await arrest.locator('s').count()).toBeGreaterThan(0)
    expect(await arrest.textContent()).toContain('Arrested by another force’s operation.')
    expect(await page.getByTestId('outcome-counts').textContent()).toMatch(/Arrests\s*0/)
    expect(await page.getByTestId('history').textContent()).toContain('The custody record says the 11th.')
    await expectAccessible(page)

    await page.getByRole('button', { name: 'Conclude the operation' }).click()
    await settled(page)
    await expectAccessible(page)
    await page.getByLabel('Ended on').fill('2026-06-30')
    await page.getByLabel('What the operation achieved').fill('Line disrupted; Reece charged by the other force.')
    await page.getByRole('button', { name: 'Conclude the operation' }).click()
    await settled(page)
    expect(await page.textContent('main')).toContain('Line disrupted; Reece charged by the other force.')
    expect(await page.getByRole('button', { name: 'Record an activity' }).count()).toBe(0)
    await expectAccessible(page)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await page.context().close()
  }, 120_000)
})
