import { describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { expectAccessible, settled, signIn, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let browser: Browser

useBrowserApp((s) => ({ app, browser } = s))

describe('joint operations carried to their end', () => {
  it('an officer edits Operation Harbour, corrects and withdraws an activity with a reason, and concludes it; at 320 px too', async () => {
    const page = await (await browser.newContext({ viewport: { width: 320, height: 800 } })).newPage()
    await signIn(page, app.baseUrl, 'officer@lantern.test')
    await visit(page, `${app.baseUrl}/operations`)
    await page.getByRole('link', { name: 'Operation Harbour' }).click()
    await settled(page)
    expect(await page.getByTestId('outcome-counts').textContent()).toMatch(/Arrests\s*1/)

    await page.getByRole('button', { name: 'Edit the operation' }).click()
    await settled(page)
    expect(await page.title()).toContain('Edit the operation – Operation Harbour')
    await page.getByLabel('Summary (optional)').fill('Against the JAY line in Havant and Portsmouth.')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await settled(page)
    expect(await page.textContent('main')).toContain('Against the JAY line in Havant and Portsmouth.')

    await page.getByRole('link', { name: /Correct the arrest/ }).click()
    await settled(page)
    await page.getByLabel('Details (optional)').fill('Dwayne Okoro arrested in the kitchen.')
    await page.getByRole('button', { name: 'Save the correction' }).click()
    await settled(page)
    // No reason: the GOV.UK error summary, with the answers kept.
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Enter why the activity is corrected')
    expect(await page.getByLabel('Details (optional)').inputValue()).toBe('Dwayne Okoro arrested in the kitchen.')
    await expectAccessible(page)
    await page.getByLabel('Why is it corrected?').fill('The search record says the kitchen.')
    await page.getByRole('button', { name: 'Save the correction' }).click()
    await settled(page)

    await page.getByRole('link', { name: /Withdraw the arrest/ }).click()
    await settled(page)
    await page.getByLabel('Why is it withdrawn?').fill('Arrested by another force’s operation.')
    await page.getByRole('button', { name: 'Withdraw' }).click()
    await settled(page)
    const arrest = page.getByTestId('activities').locator('tr', { hasText: 'Arrested by another force’s operation.' })
    expect(await arrest.locator('s').count()).toBeGreaterThan(0)
    expect(await arrest.textContent()).toContain('Arrested by another force’s operation.')
    expect(await page.getByTestId('outcome-counts').textContent()).toMatch(/Arrests\s*0/)
    expect(await page.getByTestId('history').textContent()).toContain('The search record says the kitchen.')
    await expectAccessible(page)

    await page.getByRole('button', { name: 'Conclude the operation' }).click()
    await settled(page)
    await page.getByLabel('Ended on').fill(app.clock.today())
    await page.getByLabel('What the operation achieved').fill('JAY line closed; Okoro and Holloway charged; Kyle and Mason safeguarded.')
    await page.getByRole('button', { name: 'Conclude the operation' }).click()
    await settled(page)
    expect(await page.textContent('main')).toContain('JAY line closed; Okoro and Holloway charged; Kyle and Mason safeguarded.')
    expect(await page.getByRole('button', { name: 'Record an activity' }).count()).toBe(0)
    await expectAccessible(page)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await page.context().close()
  }, 300_000)
})
