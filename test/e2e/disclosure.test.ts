import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { settled, signIn, signOut, useBrowserApp } from '../support/browser.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

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
})
