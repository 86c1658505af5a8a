import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let page: Page

// A fresh browser context for each journey, so one failing cannot leave the next signed in.
useBrowserApp((s) => ({ app, page } = s), { pagePerTest: true })

describe('subject access', () => {
  it('the data protection officer finds Kyle, sees what the export holds and leaves out, and downloads it', async () => {
    await signIn(page, app.baseUrl, 'governance@lantern.test')
    await page.getByRole('link', { name: 'Subject access' }).first().click()
    await settled(page)
    await page.getByRole('button', { name: 'Find' }).click()
    await settled(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter at least 2 letters of their name')
    await page.getByLabel('Their name').fill('Marsh')
    await page.getByRole('button', { name: 'Find' }).click()
    await settled(page)
    await page.getByTestId('subject-access-found').getByRole('link', { name: 'Kyle Marsh' }).click()
    await settled(page)
    expect(await page.getByTestId('withheld').textContent()).toMatch(/Case notes: 2 held by .+ and not included/)
    expect(await page.getByTestId('subject-access-sections').textContent()).toContain('Case notes')
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the PDF' }).click()])
    expect(pdf.suggestedFilename()).toMatch(/^subject-access-[0-9a-f-]+\.pdf$/)
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the JSON file' }).click()])
    const data = JSON.parse(Buffer.concat(await (await json.createReadStream()).toArray()).toString('utf8')) as { subject: { given_name: string } }
    expect(data.subject.given_name).toBe('Kyle')
    await signOut(page)
  })

  it('a practitioner asks to close Ellie’s record, her manager approves, and the record is marked closed and read-only', async () => {
    const ellie = await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Ellie').where('family_name', '=', 'Turner').executeTakeFirstOrThrow()
    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    await visit(page, `${app.baseUrl}/people/${ellie.id}`)
    await page.getByRole('link', { name: 'Closure' }).click()
    await settled(page)
    await page.getByRole('button', { name: 'Ask to close the record' }).click()
    await settled(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter why the record should be closed or reopened')
    await page.getByLabel('Why should the record be closed?').fill('Work ended: Ellie is safe and settled at school.')
    await page.getByRole('button', { name: 'Ask to close the record' }).click()
    await settled(page)
    expect(await page.getByTestId('closure-pending').textContent()).toContain('Work ended')
    await signOut(page)

    await signIn(page, app.baseUrl, 'manager@lantern.test')
    await visit(page, `${app.baseUrl}/people/${ellie.id}/closure`)
    await page.getByRole('button', { name: 'Save decision' }).click()
    await settled(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Select whether you approve or decline the request')
    await page.getByLabel('Approve').check()
    await page.getByRole('button', { name: 'Save decision' }).click()
    await settled(page)
    expect(await page.getByTestId('closed-banner').textContent()).toContain('It can be read but not changed')
    expect(await page.getByTestId('identity-bar').textContent()).toContain('Closed')
    await signOut(page)
  })
})
