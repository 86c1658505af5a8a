import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { TestApp } from '../support/app.ts'
import { signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

/** Screenshots for docs/screenshots when LANTERN_SCREENSHOTS names a folder; none otherwise. */
async function shoot(name: string, element?: string) {
  const dir = process.env.LANTERN_SCREENSHOTS
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  const target = element ? page.locator(element).first() : page
  await target.screenshot({ path: path.join(dir, `${name}.png`), ...(element ? {} : { fullPage: false }) })
}

describe('the public performance report’s charts and map', () => {
  it('are accessible, fit a 320 px screen, and have their numbers beside them', async () => {
    await page.setViewportSize({ width: 1100, height: 900 })
    await visit(page, `${app.baseUrl}/performance`)
    await page.getByRole('link', { name: /Annual performance report/ }).click()
    await page.waitForLoadState('load')
    await visit(page, page.url())
    expect(await page.locator('svg.lantern-chart[role="img"]').count()).toBeGreaterThanOrEqual(3)
    expect(await page.locator('svg.lantern-map[role="img"]').count()).toBeGreaterThanOrEqual(1)
    expect(await page.getByTestId('report-map-table').first().textContent()).toContain('Havant')
    await shoot('report-chart', '[data-testid="report-chart"]')
    const pdf = await page.request.get(`${page.url()}.pdf`)
    expect(pdf.headers()['content-type']).toBe('application/pdf')
    if (process.env.LANTERN_SCREENSHOTS) writeFileSync(path.join(process.env.LANTERN_SCREENSHOTS, 'report.pdf'), await pdf.body())
    await shoot('report-map', '[data-testid="report-map"]')

    await page.setViewportSize({ width: 320, height: 800 })
    await page.reload()
    // Nothing wider than the screen: the pictures scale down with it.
    const overflow = await page.evaluate(() => Array.from(document.querySelectorAll('svg.lantern-chart, svg.lantern-map')).map((s) => s.getBoundingClientRect().right).filter((r) => r > window.innerWidth + 1).length)
    expect(overflow).toBe(0)
    await shoot('report-map-320', '[data-testid="report-map"]')
  })

  it('the dashboard compares the financial years by default and the populations page passes axe', async () => {
    await page.setViewportSize({ width: 1100, height: 900 })
    await signIn(page, app.baseUrl, 'admin@lantern.test')
    await visit(page, `${app.baseUrl}/indicators/populations`)
    await shoot('populations')
    await signOut(page)
    await signIn(page, app.baseUrl, 'panel@lantern.test')
    await visit(page, `${app.baseUrl}/indicators/possession-of-weapons`)
    expect(await page.getByTestId('year-on-year').textContent()).toContain('From financial year 2024/25 to financial year 2025/26')
    await page.getByText('Choose the periods to compare').click()
    await page.getByLabel('Period: first month').fill('2026-04')
    await page.getByLabel('Period: last month').fill('2026-09')
    await page.getByLabel('Compared with: first month').fill('2025-04')
    await page.getByLabel('Compared with: last month').fill('2025-09')
    await page.getByRole('button', { name: 'Compare these periods' }).click()
    await page.waitForLoadState('load')
    await visit(page, page.url())
    expect(await page.getByTestId('year-on-year').textContent()).toContain('From April 2025 to September 2025 to April 2026 to September 2026')
  })

  it('the dashboard gives rates and the indicator page the areas by rate, accessibly', async () => {
    await page.setViewportSize({ width: 1100, height: 900 })
    if (await page.getByRole('button', { name: 'Sign out' }).count()) await signOut(page)
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/indicators`)
    expect(await page.getByRole('columnheader', { name: 'Per 1,000 residents' }).count()).toBe(1)
    await shoot('dashboard-rates', 'table.lantern-indicator-table')
    await visit(page, `${app.baseUrl}/indicators/possession-of-weapons`)
    expect(await page.getByTestId('area-rates').textContent()).toContain('Havant')
    await shoot('indicator-area-rates', '[data-testid="area-rates"]')
  })

  it('the indicator page draws the control chart with its numbers, accessible and within a 320 px screen', async () => {
    await page.setViewportSize({ width: 1100, height: 900 })
    if (!(await page.getByRole('button', { name: 'Sign out' }).count())) await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/indicators/101-calls-answered-60s`)
    expect(await page.locator('svg.lantern-control-chart[role="img"]').count()).toBe(1)
    await page.locator('summary', { hasText: 'The numbers in the control chart' }).click()
    await shoot('indicator-control-chart', '[data-testid="control-chart"]')
    await visit(page, `${app.baseUrl}/strategy`)
    await page.setViewportSize({ width: 320, height: 800 })
    await visit(page, `${app.baseUrl}/indicators/101-calls-answered-60s`)
    const overflow = await page.evaluate(() => Array.from(document.querySelectorAll('svg.lantern-chart')).map((s) => s.getBoundingClientRect().right).filter((r) => r > window.innerWidth + 1).length)
    expect(overflow).toBe(0)
  })
})
