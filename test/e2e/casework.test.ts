import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { fillWhen, settled, signIn, useBrowserApp, visit } from '../support/browser.ts'
import { DEFAULT_TOOL_V1 } from '../../src/modules/risk/default-tool.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

const when = (name: string, hoursAgo: number) => fillWhen(page, app, name, hoursAgo)

const click = async (name: string, role: 'button' | 'link' = 'button') => {
  await page.getByRole(role, { name, exact: true }).click()
  await settled(page)
}

/**
 * A social worker's casework: a serious episode puts a review due now on Home, the review starts
 * from last time's answers to check, and an episode recorded in error is voided with a reason.
 */
describe('a serious episode, a review carried forward, and voiding an episode recorded in error', () => {
  let personUrl = ''

  it('a serious episode puts a review due now on Home; the review starts from last time, each answer to check', async () => {
    const db = app.database.db
    const worker = await db.selectFrom('users').select(['id', 'agency_id', 'team_id']).where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()
    const havant = await db.selectFrom('areas').select('id').where('name', '=', 'Havant').executeTakeFirstOrThrow()
    const ratedAt = new Date(app.clock.now().getTime() - 20 * 86_400_000)
    const child = await db
      .insertInto('people')
      .values({ kind: 'child', given_name: 'Casey', family_name: 'Carried', owner_agency_id: worker.agency_id, owner_team_id: worker.team_id, allocated_worker_id: worker.id, date_of_birth: '2011-02-03', home_area_id: havant.id, current_area_id: havant.id, current_rag: 'amber', current_rag_at: ratedAt, next_review_due: '2027-06-01' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const answers = Object.fromEntries(DEFAULT_TOOL_V1.groups.flatMap((g) => g.indicators.map((i) => [i.key, { status: ['missing_repeated', 'older_associates'].includes(i.key) ? 'current' : 'not_present', note: i.key === 'older_associates' ? 'Seen with a 19-year-old from Croydon' : null }])))
    await db
      .insertInto('risk_assessments')
      .values({ person_id: child.id, tool_version: 1, status: 'final', answers: JSON.stringify(answers), computed_score: 9, computed_level: 'green', final_level: 'amber', override_reason: 'Escalating', submitted_by: worker.id, submitted_at: ratedAt, started_by: worker.id, review_due: '2027-06-01' })
      .execute()
    personUrl = `/people/${child.id}`

    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    await visit(page, `${app.baseUrl}${personUrl}/missing/new`)
    await when('missing', 30)
    await when('found', 5)
    await page.getByLabel('Area where they were found').selectOption({ label: 'Portsmouth' })
    await page.getByLabel('Police', { exact: true }).check()
    await page.getByLabel('Found with drugs').check()
    await click('Save episode')
    expect(await page.getByTestId('serious-episode').textContent()).toContain('found out of area, found with signs of harm or exploitation, missing for more than 24 hours')

    await visit(page, `${app.baseUrl}/dashboard`)
    const reviews = page.getByTestId('worklist-reviews')
    expect(await reviews.textContent()).toContain('Review due now: serious missing episode')
    await reviews.getByRole('link', { name: /Casey Carried/ }).click()
    await settled(page)
    expect(await page.getByTestId('review-prompted').textContent()).toContain('A review is due now')

    await click('Start a review')
    expect(await page.getByText(/from last time to check/).count()).toBe(DEFAULT_TOOL_V1.groups.length)
    await click('Relationships', 'link')
    expect(await page.getByTestId('carried-older_associates').textContent()).toBe('From last time, check it')
    expect(await page.locator('#note-older_associates').inputValue()).toBe('Seen with a 19-year-old from Croydon')
    expect(await page.locator('input[name="status-older_associates"][value="current"]').isChecked()).toBe(true)
    // Checked: no longer true. The rest of the page is confirmed as it stands.
    await page.locator('input[name="status-older_associates"][value="recent"]').check()
    await click('Save and continue')
    await visit(page, `${app.baseUrl}${new URL(page.url()).pathname.replace(/\/sections\/.*$/, '')}`)
    const rows = await page.locator('.govuk-task-list__item').allTextContents()
    expect(rows.find((r) => r.includes('Relationships'))).toContain('Completed')
    expect(rows.find((r) => r.includes('Missing and location'))).toContain('from last time to check')
    for (const group of DEFAULT_TOOL_V1.groups.filter((g) => g.key !== 'relationships')) {
      await click(group.title, 'link')
      await click('Save and continue')
      await visit(page, `${app.baseUrl}${new URL(page.url()).pathname.replace(/\/(sections\/.*|summary)$/, '')}`)
    }
    await click('Check the level and finish', 'link')
    const level = (await page.getByTestId('computed').textContent())!.match(/Red|Amber|Green/)![0]
    await page.getByLabel(`${level} (computed)`).check()
    await click('Finish review')
    expect(await page.getByTestId('review-prompted').count()).toBe(0)
    await visit(page, `${app.baseUrl}/dashboard`)
    expect((await page.getByTestId('worklist-reviews').textContent()) ?? '').not.toContain('Casey Carried')
  })

  it('an episode recorded in error is voided with a reason: struck through, with who and when', async () => {
    await visit(page, `${app.baseUrl}${personUrl}/missing/new`)
    await when('missing', 3)
    await click('Save episode')
    await page.getByRole('link', { name: /^Void this episode/ }).click()
    await settled(page)
    await click('Void the missing episode')
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter why this record was made in error')
    await page.getByLabel('Why was it recorded in error?').fill('Recorded on Casey instead of his brother')
    await click('Void the missing episode')
    expect(await page.getByTestId('voided-notice').textContent()).toContain('voided as recorded in error by Sam Okafor')
    await visit(page, `${app.baseUrl}${personUrl}/missing`)
    const row = page.getByTestId('voided-episode')
    expect(await row.textContent()).toContain('Recorded on Casey instead of his brother')
    expect(await row.locator('.lantern-voided-struck').first().evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('line-through')
    expect(await page.getByTestId('missing-now').count()).toBe(0)
  })
})
