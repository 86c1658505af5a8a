import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { fillDate, settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'
import { addDays } from '../../src/kernel/elapsed.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

describe('a child’s multi-agency plan', () => {
  it('a social worker records a strategy discussion with two actions, and her manager sees the overdue one on Home', async () => {
    const ellie = (await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Ellie').where('family_name', '=', 'Turner').executeTakeFirstOrThrow()).id
    const today = app.clock.today()
    page.setDefaultTimeout(20_000)
    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    await visit(page, `${app.baseUrl}/people/${ellie}`)
    await page.getByRole('link', { name: 'Plan', exact: true }).click()
    await settled(page)
    expect(await page.title()).toBe('Plan – Ellie Turner – Lantern')
    await page.getByRole('button', { name: 'Record a meeting' }).click()
    await settled(page)

    // Saved with nothing filled in: the error summary, and nothing lost.
    await page.getByLabel('Strategy discussion').check()
    await page.getByRole('button', { name: 'Save meeting' }).click()
    await settled(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter who chaired the meeting')
    expect(await page.getByLabel('Strategy discussion').isChecked()).toBe(true)

    await fillDate(page, 'held', addDays(today, -10))
    await page.getByLabel('Who chaired it?').fill('Priya Natarajan')
    await page.getByLabel('Attendee 1: name').fill('Sam Okafor')
    await page.getByLabel('Attendee 1: role (optional)').fill('Social worker')
    await page.getByLabel('Attendee 1: agency').selectOption({ label: 'Hampshire County Council' })
    await page.getByLabel('Attendee 2: name').fill('Hannah Evans')
    await page.getByLabel('Attendee 2: agency').selectOption({ label: 'Hampshire and Isle of Wight Healthcare NHS Foundation Trust' })
    await page.getByTestId('attendee-2').getByLabel('Sent apologies').check()
    await page.getByLabel('Decisions').fill('Ellie to be offered a trusted adult at school. Police to check the older boys seen with her.')
    await page.getByRole('button', { name: 'Save meeting' }).click()
    await settled(page)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Strategy discussion')
    expect(await page.getByTestId('meeting-attendees').textContent()).toContain('Hannah Evans (apologies)')

    const action = async (description: string, due: string) => {
      await page.getByRole('button', { name: 'Add an action' }).click()
      await settled(page)
      await page.getByLabel('What is to be done?').fill(description)
      await page.getByLabel('Person', { exact: true }).selectOption({ label: 'Sam Okafor (County council)' })
      await fillDate(page, 'due', due)
      await page.getByRole('button', { name: 'Save action' }).click()
      await settled(page)
    }
    await action('Arrange a trusted adult at Brune Park School', addDays(today, -2))
    await action('Meet Ellie and her father to agree a safety plan', addDays(today, 7))
    expect(await page.getByTestId('meeting-actions').textContent()).toMatch(/Overdue[\s\S]*Arrange a trusted adult/)
    const meeting = page.url().replace(/#.*/, '')

    await page.getByRole('link', { name: 'Ellie Turner' }).click()
    await settled(page)
    expect(await page.getByTestId('plan-overdue').textContent()).toContain('1 action is overdue')

    await page.setViewportSize({ width: 320, height: 720 })
    for (const path of [`/people/${ellie}/plan`, `/people/${ellie}/plan/meetings/new`, meeting]) {
      await visit(page, path.startsWith('http') ? path : `${app.baseUrl}${path}`)
      expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: 320 })
    }
    await page.setViewportSize({ width: 1280, height: 800 })

    await signOut(page)
    await signIn(page, app.baseUrl, 'manager@lantern.test')
    const list = page.getByTestId('worklist-plan-actions')
    expect(await list.textContent()).toContain('Plan action overdue: Arrange a trusted adult at Brune Park School')
    expect(await list.textContent()).toContain('Owner: Sam Okafor')
    await list.getByRole('link', { name: /Ellie Turner/ }).first().click()
    await settled(page)
    expect(page.url()).toContain('/plans/meetings/')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Strategy discussion')
  }, 300_000)
})
