import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

describe('tokens and the audit trail', () => {
  it('a manager issues and revokes their own API token, then sees who has looked at a child’s record', async () => {
    await signIn(page, app.baseUrl, 'manager@lantern.test')
    await page.getByRole('link', { name: 'Your API tokens' }).click()
    await settled(page)
    await page.getByRole('button', { name: 'Issue token' }).click()
    await settled(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter what the token is for')
    await page.getByLabel('What is it for?').fill('Team performance script')
    await page.getByLabel('30 days').check()
    await page.getByRole('button', { name: 'Issue token' }).click()
    await settled(page)
    expect(await page.getByTestId('issued-token').inputValue()).toMatch(/^lantern_pat_/)
    await page.getByRole('link', { name: 'Back to your API tokens' }).click()
    await settled(page)
    await page.getByRole('button', { name: 'Revoke the token Team performance script' }).click()
    await settled(page)
    expect(await page.locator('tr', { hasText: 'Team performance script' }).textContent()).toContain('Revoked')

    const kyle = await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Kyle').where('family_name', '=', 'Marsh').executeTakeFirstOrThrow()
    await visit(page, `${app.baseUrl}/people/${kyle.id}`)
    await page.getByRole('link', { name: 'Who has looked' }).click()
    await settled(page)
    expect(await page.getByTestId('viewers-table').textContent()).toContain('Priya Natarajan')
    await signOut(page)
  })

  it('the information governance officer reads the audit trail with its details', async () => {
    await signIn(page, app.baseUrl, 'governance@lantern.test')
    await visit(page, `${app.baseUrl}/admin/audit?action=view`)
    expect(await page.locator('thead').textContent()).toContain('Details')
    await signOut(page)
  })
})
