import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'
import { jobRunner } from '../../src/composition.ts'
import { modules } from '../../src/modules/index.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

const userId = async (email: string) => (await app.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id

/** What the server's job runner does every minute, run now: the scan is queued and run as a job. */
async function runScan() {
  const runner = jobRunner(app.deps, modules)
  await runner.enqueue('notifications.scan')
  await runner.drain()
}

describe('alerts reach the people who must act', () => {
  it('a social worker is told her child was reported missing, opens it, and marks everything read', async () => {
    const sam = await userId('practitioner@lantern.test')
    const officer = await userId('officer@lantern.test')
    await runScan() // the demo story's own events first
    const child = await app.database.db
      .selectFrom('people')
      .select(['id', 'given_name', 'family_name', 'preferred_name'])
      .where('allocated_worker_id', '=', sam)
      .where('kind', '=', 'child')
      .orderBy('family_name')
      .executeTakeFirstOrThrow()
    const episode = await app.database.db
      .insertInto('missing_episodes')
      .values({ person_id: child.id, reported_missing_at: new Date(app.clock.now().getTime() - 2 * 3600_000), concerns: JSON.stringify([]), created_by: officer, updated_by: officer })
      .returning('id')
      .executeTakeFirstOrThrow()
    await runScan()

    await signIn(page, app.baseUrl, 'practitioner@lantern.test')
    const count = Number(await page.getByTestId('unread-count').textContent())
    expect(count).toBeGreaterThan(0)
    await page.getByTestId('notifications-link').click()
    await settled(page)
    expect(new URL(page.url()).pathname).toBe('/notifications')
    const alert = page.getByRole('link', { name: new RegExp(`${child.given_name}.* ${child.family_name} has been reported missing`) })
    expect(await alert.count()).toBe(1)
    await alert.click()
    await settled(page)
    expect(new URL(page.url()).pathname).toBe(`/people/${child.id}/missing/${episode.id}`)
    // Opening it read it: one fewer unread.
    expect(Number((await page.getByTestId('unread-count').textContent()) ?? 0)).toBe(count - 1)

    await visit(page, `${app.baseUrl}/notifications?show=unread`)
    if (count > 1) {
      await page.getByRole('button', { name: 'Mark all as read' }).click()
      await settled(page)
    }
    expect(await page.getByTestId('unread-count').count()).toBe(0)
    await visit(page, `${app.baseUrl}/notifications?show=unread`)
    expect(await page.getByTestId('no-notifications').textContent()).toBe('Nothing unread.')
    await visit(page, `${app.baseUrl}/notifications`)
    expect(await page.locator('[data-testid="notification"][data-read="no"]').count()).toBe(0)
  })

  it('she chooses a daily e-mail and is told plainly that no mail server is set up', async () => {
    await visit(page, `${app.baseUrl}/account/notifications`)
    expect(await page.getByTestId('no-mail-server').count()).toBe(1)
    await page.getByRole('button', { name: 'Save' }).click()
    await settled(page)
    // Nothing chosen yet is "off", so Save keeps it; now choose the summary.
    await page.getByLabel('A daily summary').check()
    await page.getByRole('button', { name: 'Save' }).click()
    await settled(page)
    expect(await page.getByText('Your notification settings are saved').count()).toBe(1)
    expect(await page.getByLabel('A daily summary').isChecked()).toBe(true)
    await signOut(page)
  })

  it('an analyst watches a line and hears of its next link', async () => {
    const line = await app.database.db.selectFrom('network_entities').select(['id', 'label']).where('kind', '=', 'line').orderBy('label').executeTakeFirstOrThrow()
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/network/entities/${line.id}`)
    await page.getByRole('button', { name: `Watch ${line.label}` }).click()
    await settled(page)
    expect(await page.getByTestId('watching').count()).toBe(1)

    const analyst = await app.database.db.selectFrom('users').select(['id', 'agency_id']).where('email', '=', 'analyst@lantern.test').executeTakeFirstOrThrow()
    const other = await app.database.db.insertInto('network_entities').values({ kind: 'line', label: 'NEWLINE', line_name: 'NEWLINE', owner_agency_id: analyst.agency_id }).returning('id').executeTakeFirstOrThrow()
    const officer = await userId('officer@lantern.test')
    await app.database.db
      .insertInto('network_links')
      .values({ source_id: line.id, target_id: other.id, type: 'associates_with', source_agency_id: analyst.agency_id, basis: 'Seen together', grade_source: 2, grade_assessment: 'B', grade_handling: 'P', created_by: officer })
      .execute()
    await runScan()
    await visit(page, `${app.baseUrl}/notifications`)
    expect(await page.getByRole('link', { name: `New link to ${line.label}, which you watch` }).count()).toBe(1)
    await signOut(page)
  })

  it('an administrator sees the jobs that ran and retries a failed one', async () => {
    const failed = await app.database.db
      .insertInto('jobs')
      .values({ name: 'notifications.email', status: 'failed', attempts: 5, max_attempts: 5, run_after: new Date(), last_error: 'connect ECONNREFUSED 127.0.0.1:25', finished_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await signIn(page, app.baseUrl, 'admin@lantern.test')
    await visit(page, `${app.baseUrl}/admin`)
    await page.getByRole('link', { name: 'Background jobs' }).click()
    await settled(page)
    expect(await page.getByTestId('jobs-done').textContent()).toContain('notifications.scan')
    expect(await page.getByTestId('jobs-failed').textContent()).toContain('connect ECONNREFUSED')
    await page.getByTestId('jobs-failed').getByRole('button', { name: /^Retry/ }).click()
    await settled(page)
    expect(await page.getByText('The job is queued again and will run shortly').count()).toBe(1)
    expect(await page.getByTestId('jobs-queued').textContent()).toContain('notifications.email')
    expect((await app.database.db.selectFrom('jobs').select('status').where('id', '=', failed.id).executeTakeFirstOrThrow()).status).toBe('queued')
  })
})
