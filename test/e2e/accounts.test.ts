import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import * as OTPAuth from 'otpauth'
import type { TestApp } from '../support/app.ts'
import { settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

const code = (secret: string, offsetSteps = 0) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSteps * 30_000 })

/** Nothing wider than a 320 px screen (WCAG 1.4.10 reflow). */
async function fitsNarrowScreen(page: Page) {
  await page.setViewportSize({ width: 320, height: 640 })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
  await page.setViewportSize({ width: 1280, height: 800 })
}

describe('Your account', () => {
  it('sets up two-factor authentication with a QR code, shows the recovery codes once, then asks for a code at sign-in', async () => {
    await signIn(page, app.baseUrl, 'manager@lantern.test')
    await page.getByRole('link', { name: 'Your account' }).click()
    await settled(page)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account')
    await visit(page, `${app.baseUrl}/account/two-factor/set-up`)
    await fitsNarrowScreen(page)
    expect(await page.getByRole('img', { name: /QR code/ }).isVisible()).toBe(true)
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim()
    await page.getByLabel('Code from your app').fill(code(secret))
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click()
    await settled(page)
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10)
    await page.getByRole('button', { name: 'Continue' }).click()
    await settled(page)
    expect(await page.getByTestId('recovery-codes-left').textContent()).toContain('10 unused recovery codes')

    await signOut(page)
    await signIn(page, app.baseUrl, 'manager@lantern.test')
    expect(new URL(page.url()).pathname).toBe('/sign-in/code')
    await fitsNarrowScreen(page)
    await page.getByLabel('Code').fill(code(secret, 1))
    await page.getByRole('button', { name: 'Continue' }).click()
    await settled(page)
    expect(new URL(page.url()).pathname).toBe('/dashboard')
  })

  it('lists your sessions and changes your password', async () => {
    await visit(page, `${app.baseUrl}/account/sessions`)
    await fitsNarrowScreen(page)
    expect(await page.getByTestId('session').first().textContent()).toContain('(this session)')
    expect(await page.getByTestId('session').first().textContent()).toContain('Chrome')
    await visit(page, `${app.baseUrl}/account/password`)
    await page.getByLabel('Current password').fill('lantern-demo-2026')
    await page.getByLabel('New password', { exact: true }).fill('aaaaaaaaaaaa')
    await page.getByLabel('New password again').fill('aaaaaaaaaaaa')
    await page.getByRole('button', { name: 'Change password' }).click()
    await settled(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('repeated')
    await signOut(page)
  })
})
