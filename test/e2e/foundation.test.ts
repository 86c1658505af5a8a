import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { expectAccessible, settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'
import { DEMO_USERS } from '../../src/demo/foundation.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

describe('the front door and the statements', () => {
  it('shows the public home page, accessibility statement, cookies and privacy pages without signing in', async () => {
    await visit(page, `${app.baseUrl}/`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Keeping children safe')
    for (const [path, heading] of [
      ['/accessibility', 'Accessibility statement for Lantern'],
      ['/cookies', 'Cookies'],
      ['/privacy', 'Privacy notice'],
    ]) {
      await visit(page, `${app.baseUrl}${path}`)
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(heading)
    }
  })

  it('checks every page with axe: a page found clean is not checked twice, but a changed page is, and a violation fails every time', async () => {
    await visit(page, `${app.baseUrl}/accessibility`)
    await expectAccessible(page)
    // The same page with an image nobody described: a new DOM, so axe looks again, and finds it.
    await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<img src="/favicon.ico">'))
    await expect(expectAccessible(page)).rejects.toThrow(/image-alt/)
    await expect(expectAccessible(page)).rejects.toThrow(/image-alt/)
  })

  it('judges colour contrast once per text style, yet finds faint text, and text on a new background, on a page otherwise judged', async () => {
    await visit(page, `${app.baseUrl}/cookies`)
    // Only styles the page already shows: a new DOM for the other rules, nothing new for color-contrast.
    await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<p class="govuk-body">One more sentence in the same style.</p>'))
    await expectAccessible(page)
    // Styled through the DOM: the content security policy drops style attributes written in HTML.
    await page.evaluate(() => {
      const faint = Object.assign(document.createElement('p'), { className: 'govuk-body', textContent: 'Faint text' })
      faint.style.color = '#b1b4b6'
      document.querySelector('main')!.append(faint)
    })
    await expect(expectAccessible(page)).rejects.toThrow(/color-contrast/)
    await visit(page, `${app.baseUrl}/cookies`)
    await page.evaluate(() => {
      const grey = document.createElement('div')
      grey.style.background = '#505a5f'
      grey.append(Object.assign(document.createElement('p'), { className: 'govuk-body', textContent: 'Body text on grey' }))
      document.querySelector('main')!.append(grey)
    })
    await expect(expectAccessible(page)).rejects.toThrow(/color-contrast/)
  })

  it('sends staff pages to sign in, and back to the page asked for afterwards', async () => {
    await page.goto(`${app.baseUrl}/admin/roles`)
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    await page.getByLabel('Email address').fill('admin@lantern.test')
    await page.getByLabel('Password', { exact: true }).fill('lantern-demo-2026')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await settled(page)
    expect(new URL(page.url()).pathname).toBe('/admin/roles')
    await signOut(page)
  })

  it('shows the error summary with the answers kept when sign-in fails', async () => {
    await visit(page, `${app.baseUrl}/sign-in`)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await settled(page)
    expect(await page.title()).toMatch(/^Error: /)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter your email address')
    await page.getByLabel('Email address').fill('practitioner@lantern.test')
    await page.getByLabel('Password', { exact: true }).fill('wrong password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await settled(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('The email address or password is not correct')
    expect(await page.getByLabel('Email address').inputValue()).toBe('practitioner@lantern.test')
  })
})

describe('each demo role signs in and sees only what it may', () => {
  const roles = DEMO_USERS.filter((u) => ['practitioner', 'officer', 'manager', 'analyst', 'partnership', 'panel', 'admin'].includes(u.key))
  it.each(roles)('$key ($email)', async (user) => {
    await signIn(page, app.baseUrl, user.email)
    expect(new URL(page.url()).pathname).toBe('/dashboard')
    expect(await page.getByTestId('user-name').textContent()).toBe(user.name)
    const nav = await page.locator('.govuk-service-navigation__list').textContent().catch(() => '')
    if (user.role === 'administrator') {
      expect(nav).toContain('Administration')
    } else {
      expect(nav ?? '').not.toContain('Administration')
      const res = await page.goto(`${app.baseUrl}/admin/users`)
      expect(res?.status()).toBe(403)
      await settled(page)
    }
    await signOut(page)
    expect(new URL(page.url()).pathname).toBe('/sign-in')
  })
})

describe('an administrator manages the partnership', () => {
  it('adds an agency, a team and a user, assigns a role, then deactivates the user', async () => {
    await signIn(page, app.baseUrl, 'admin@lantern.test')
    await visit(page, `${app.baseUrl}/admin/agencies`)
    await page.getByLabel('Name', { exact: true }).fill('Hampshire Youth Offending Team')
    await page.getByLabel('Short name').fill('YOT')
    await page.getByLabel('Kind of agency').selectOption({ label: 'Youth justice' })
    await page.getByRole('button', { name: 'Add agency' }).click()
    await settled(page)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Hampshire Youth Offending Team')
    await page.getByLabel('Team name').fill('Prevention')
    await page.getByRole('button', { name: 'Add team' }).click()
    await settled(page)
    expect(await page.locator('main').textContent()).toContain('Prevention')

    await visit(page, `${app.baseUrl}/admin/users/new`)
    await page.getByRole('button', { name: 'Add user' }).click()
    await settled(page)
    expect(await page.title()).toMatch(/^Error: /)
    await page.getByLabel('Full name').fill('Robin Ashe')
    await page.getByLabel('Work email address').fill('robin.ashe@lantern.test')
    await page.getByLabel('Agency').selectOption({ label: 'Hampshire Youth Offending Team' })
    await page.getByLabel('Team (optional)').selectOption({ label: 'Prevention (YOT)' })
    await page.getByLabel('Role').selectOption({ label: 'Practitioner' })
    await page.getByLabel('Temporary password (optional)').fill('kestrel-temporary-password')
    await page.getByRole('button', { name: 'Add user' }).click()
    await settled(page)
    expect(await page.locator('main').textContent()).toContain('Robin Ashe')

    await page.getByRole('link', { name: 'Robin Ashe' }).click()
    await settled(page)
    await page.getByLabel('Role').selectOption({ label: 'Team manager' })
    await page.getByRole('button', { name: 'Save changes' }).click()
    await settled(page)
    expect(await page.locator('tr', { hasText: 'Robin Ashe' }).textContent()).toContain('Team manager')

    await page.getByRole('link', { name: 'Robin Ashe' }).click()
    await page.getByRole('button', { name: 'Deactivate user' }).click()
    await settled(page)
    expect(await page.locator('tr', { hasText: 'Robin Ashe' }).textContent()).toContain('Deactivated')

    await visit(page, `${app.baseUrl}/admin/audit?recordType=user`)
    expect(await page.locator('table').textContent()).toContain('deactivate')
    await visit(page, `${app.baseUrl}/admin/roles`)
    await visit(page, `${app.baseUrl}/admin/break-glass`)
    await signOut(page)
  })
})
