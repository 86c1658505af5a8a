import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { fillDate, settled, signIn, visit } from '../support/browser.ts'
import { addDays } from '../../src/kernel/elapsed.ts'
import { useBrowserApp } from '../support/browser.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s), { pagePerTest: true })

const personId = async (given: string, family: string) =>
  (await app.database.db.selectFrom('people').select('id').where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id

describe('work that comes to the worker, on Home', () => {
  it('the social worker sees reviews due and an overdue return home interview, and goes straight to the interview form', async () => {
    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    expect(await page.getByRole('heading', { name: 'Your work' }).isVisible()).toBe(true)
    const reviews = page.getByTestId('worklist-reviews')
    expect(await reviews.getByRole('link').count()).toBeGreaterThan(0)
    const rhi = page.getByTestId('worklist-return-home-interviews')
    expect(await rhi.textContent()).toContain('Return home interview overdue')
    await rhi.getByRole('link', { name: /Jayden Price/ }).click()
    await settled(page)
    expect(await page.getByRole('heading', { name: /return home interview/i }).first().isVisible()).toBe(true)
    expect(await page.title()).toContain('Jayden Price')
  })

  it('the manager sees the Reds waiting for confirmation, long waits flagged, and opens one', async () => {
    const awaiting = await app.database.db.selectFrom('risk_assessments').select(['submitted_at']).where('status', '=', 'awaiting_confirmation').execute()
    await signIn(page, app.baseUrl, 'manager@lantern.test')
    const reds = page.getByTestId('worklist-reds-awaiting')
    expect(await reds.getByRole('link').count()).toBe(awaiting.length)
    const long = awaiting.filter((a) => app.clock.now().getTime() - a.submitted_at!.getTime() > 3 * 86_400_000).length
    expect(await reds.getByText('Long wait').count()).toBe(long)
    await reds.getByRole('link').first().click()
    await settled(page)
    expect(page.url()).toMatch(/\/risk\/screenings\//)
  })

  it('the police officer sees a child missing now, and the record says so in its identity bar', async () => {
    const kyle = await personId('Kyle', 'Marsh')
    await app.database.db
      .insertInto('missing_episodes')
      .values({ person_id: kyle, reported_missing_at: new Date(app.clock.now().getTime() - 5 * 3600_000), concerns: JSON.stringify([]), updated_at: app.clock.now() })
      .execute()
    await signIn(page, app.baseUrl, 'officer@lantern.test')
    const missing = page.getByTestId('worklist-missing-now')
    expect(await missing.textContent()).toContain('Missing 5 hours')
    await missing.getByRole('link', { name: /Kyle Marsh/ }).click()
    await settled(page)
    expect(await page.getByTestId('missing-now').textContent()).toContain('Missing now')
  })

  it('the register, the caseload and a person’s page fit a 320 pixel wide screen without scrolling sideways', async () => {
    await page.setViewportSize({ width: 320, height: 720 })
    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    const kyle = await personId('Kyle', 'Marsh')
    for (const path of ['/dashboard', '/register', '/register/caseload', `/people/${kyle}`, `/people/${kyle}/risk`, `/people/${kyle}/missing`]) {
      await visit(page, `${app.baseUrl}${path}`)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      expect({ path, width }).toEqual({ path, width: 320 })
    }
  })

  it('the social worker records the decision on an NRM referral waiting past 45 days, and it leaves the list', async () => {
    const kyle = await personId('Kyle', 'Marsh')
    const council = (await app.database.db.selectFrom('people').select('owner_agency_id').where('id', '=', kyle).executeTakeFirstOrThrow()).owner_agency_id
    const referredOn = addDays(app.clock.today(), -61)
    const referral = await app.database.db
      .insertInto('nrm_referrals')
      .values({ person_id: kyle, referred_on: referredOn, first_responder_agency_id: council, exploitation_types: JSON.stringify(['criminal']), updated_at: app.clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    const awaited = page.getByTestId('worklist-nrm-awaited')
    const item = awaited.locator('li', { hasText: 'Referred 61 days ago' })
    expect(await item.count()).toBe(1)
    await item.getByRole('link', { name: /Kyle Marsh/ }).click()
    await settled(page)
    await page.getByTestId('nrm-referrals').locator(`a[href$="/referrals/nrm/${referral.id}"]`).click()
    await settled(page)
    await page.getByRole('group', { name: 'Reasonable grounds decision' }).getByLabel('Negative').check()
    await fillDate(page, 'rg', app.clock.today())
    await page.getByRole('button', { name: 'Save referral' }).click()
    await settled(page)
    await visit(page, `${app.baseUrl}/dashboard`)
    expect(await page.getByTestId('worklist-nrm-awaited').locator('li', { hasText: 'Referred 61 days ago' }).count()).toBe(0)
  })
})
