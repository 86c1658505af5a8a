import { describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { TEST_TODAY, type TestApp } from '../support/app.ts'
import { settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'
import { DEMO_FORCE } from '../../src/modules/indicators/demo.ts'
import { monthFileFromCounts } from '../support/police-uk-fixture.ts'
import { addMonths } from '../../src/modules/indicators/periods.ts'
import { londonMonth } from '../../src/kernel/london.ts'

let app: TestApp
let browser: Browser
let page: Page

useBrowserApp((s) => ({ app, browser, page } = s))

describe('indicators, emerging trends and the performance report', () => {
  it('an analyst imports a month of police.uk data and sees the rise it brings flagged, with its explanation', async () => {
    // A month for the demo force built from the latest month Lantern holds, with 20 more weapons offences in Havant.
    const latest = addMonths(londonMonth(TEST_TODAY), -2)
    const csv = await monthFileFromCounts(app.database.db, {
      force: DEMO_FORCE,
      fromMonth: latest,
      asMonth: addMonths(latest, 1),
      extra: [{ area: 'Havant', category: 'Possession of weapons', count: 20 }],
    })
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lantern-e2e-')), '2026-10-hampshire-and-isle-of-wight-street.csv')
    writeFileSync(file, csv)

    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/indicators`)
    await page.getByRole('link', { name: 'Import police.uk data' }).click()
    await settled(page)
    await page.getByLabel('police.uk street-level CSV files').setInputFiles(file)
    await page.getByRole('button', { name: 'Check files' }).click()
    await settled(page)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check the import')
    expect(await page.getByTestId('import-preview').textContent()).toContain('Hampshire and Isle of Wight Constabulary')
    await page.getByRole('button', { name: 'Import these files' }).click()
    await settled(page)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('police.uk import')
    expect(await page.locator('main').textContent()).toMatch(/Hampshire and Isle of Wight Constabulary, \d{4}-\d{2}: [\d,]+ rows/)
    expect(await page.getByTestId('import-counts').textContent()).toContain('Possession of weapons')

    await page.getByRole('button', { name: 'See the indicators' }).click()
    await settled(page)
    await page.getByLabel('Area').selectOption({ label: 'Havant (district)' })
    await page.getByRole('button', { name: 'Show area' }).click()
    await settled(page)
    const alert = page.locator('.lantern-alert', { hasText: 'Possession of weapons offences, Havant' }).filter({ hasText: 'This is an exceedance' })
    expect(await alert.textContent()).toMatch(/October 2026: \d+ recorded\. .*This is an exceedance/)
    await alert.getByRole('link').click()
    await settled(page)
    expect(await page.getByTestId('trend-explanation').first().textContent()).toContain('more than chance would explain')
    // The chart and the same numbers in a table.
    expect(await page.locator('svg.lantern-chart path.lantern-chart__alarm').count()).toBeGreaterThan(0)
    const row = page.locator('tr', { hasText: 'October 2026' })
    expect(await row.locator('td').last().textContent()).toBe('Yes')
    await signOut(page)
  })

  it('a partnership officer publishes the quarterly report, and a panel member reads it on the public site', async () => {
    page = await (await browser.newContext()).newPage()
    await signIn(page, app.baseUrl, 'partnership@lantern.test')
    await visit(page, `${app.baseUrl}/performance-reports`)
    await page.getByRole('link', { name: 'Quarterly performance report' }).click()
    await settled(page)
    await page.getByRole('button', { name: 'Publish' }).click()
    await settled(page)
    expect(await page.locator('.govuk-caption-l').textContent()).toMatch(/^Published /)
    await visit(page, `${app.baseUrl}/strategy`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Community Safety Strategy')
    await signOut(page)

    // The panel member, not signed in, from the public front page.
    await visit(page, `${app.baseUrl}/`)
    await page.getByRole('link', { name: 'Performance reports' }).click()
    await settled(page)
    await page.getByRole('link', { name: 'Quarterly performance report' }).click()
    await settled(page)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Quarterly performance report')
    expect(await page.getByTestId('headlines').textContent()).toContain('Drug trafficking offences')
    expect(await page.getByTestId('report-trends').textContent()).toContain('Drug offences, Havant')
    const method = page.locator('details', { hasText: 'How we tell a real change from chance' })
    await method.locator('summary').click()
    expect(await method.locator('.govuk-details__text').textContent()).toContain('Farrington method')
    const download = page.waitForEvent('download')
    await page.getByRole('link', { name: 'Download this report as a PDF' }).click()
    expect((await download).suggestedFilename()).toMatch(/^performance-report-.*\.pdf$/)
  })

  it('every other indicators, strategy and report page passes axe, error states included', async () => {
    page = await (await browser.newContext()).newPage()
    await signIn(page, app.baseUrl, 'partnership@lantern.test')
    for (const url of ['/indicators/catalogue', '/indicators/drug-trafficking-offences?by=year', '/strategy/objectives/new', '/strategy/edit']) {
      await visit(page, `${app.baseUrl}${url}`)
    }
    // Error states: an empty indicator form, a bad value, an empty report.
    await visit(page, `${app.baseUrl}/indicators/new`)
    await page.getByRole('button', { name: 'Add indicator' }).click()
    await settled(page)
    expect(await page.title()).toMatch(/^Error: /)
    await visit(page, `${app.baseUrl}/indicators/101-calls-answered-60s`)
    await page.getByLabel('Period').fill('2026-13')
    await page.getByLabel('Value', { exact: true }).fill('120')
    await page.getByRole('button', { name: 'Save value' }).click()
    await settled(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter the period as a month like 2026-09')
    await visit(page, `${app.baseUrl}/performance-reports/new`)
    await page.getByLabel('Title').fill('')
    await page.getByRole('button', { name: 'Save draft' }).click()
    await settled(page)
    await visit(page, `${app.baseUrl}/strategy`)
    await page.getByRole('link', { name: /Actions and details/ }).first().click()
    await settled(page)
    await page.getByRole('link', { name: /Agree the closure order pathway/ }).click()
    await settled(page)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Update an action')
  })
})
