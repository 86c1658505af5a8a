import { describe, expect, it } from 'vitest'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { expectAccessible, settled, signIn, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

/** Nothing wider than a 320 px screen (WCAG 1.4.10 reflow). */
async function fits320() {
  await page.setViewportSize({ width: 320, height: 640 })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
  await page.setViewportSize({ width: 1280, height: 800 })
}

describe('people by what they share, in the browser', () => {
  it('an analyst asks who shares an address with whom: picture and tables, accessible, at 320 px too', async () => {
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/network/two-mode`)
    expect(await page.title()).toMatch(/^People by phones shared/)
    await page.getByLabel('Addresses').check()
    await page.getByRole('button', { name: 'Show' }).click()
    await settled(page)
    await expectAccessible(page)
    expect(await page.getByTestId('two-mode-summary').textContent()).toBe('6 people are linked to 3 addresses; 4 pairs of people share one')
    const picture = page.getByRole('img', { name: 'People by the addresses they are linked to' })
    expect(await picture.isVisible()).toBe(true)
    expect((await picture.boundingBox())!.height).toBeGreaterThan(100)
    const row = page.getByTestId('two-mode-pairs').locator('tr', { hasText: 'Kyle Marsh and Reece Holloway' })
    expect(await row.textContent()).toContain('41 Arundel Street, Fratton, Portsmouth')
    const dir = process.env.LANTERN_SCREENSHOTS
    if (dir) {
      mkdirSync(dir, { recursive: true })
      await page.setViewportSize({ width: 1100, height: 900 })
      await page.locator('main').screenshot({ path: path.join(dir, 'network-two-mode.png') })
    }
    await fits320()
    // From a pair to a person's page.
    await row.getByRole('link', { name: 'Reece Holloway' }).click()
    await settled(page)
    expect(await page.locator('h1').textContent()).toContain('Reece Holloway')
  }, 180_000)

  // The page is shared with the test above, so the analyst is still signed in.
  it('a choice that is not on the list comes back with the error summary', async () => {
    await visit(page, `${app.baseUrl}/network/two-mode?by=boat`)
    await expectAccessible(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Select what the people share')
    expect(await page.title()).toMatch(/^Error: /)
  }, 60_000)
})
