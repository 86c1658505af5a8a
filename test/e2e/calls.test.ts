import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { expectAccessible, settled, signIn, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let browser: Browser

useBrowserApp((s) => ({ app, browser } = s))

const folder = mkdtempSync(path.join(tmpdir(), 'lantern-calls-e2e-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** A call data file of `rows` calls between drama numbers (07700 900xxx), a minute apart from the app's today. */
function callFile(name: string, rows: number, bad?: { line: number; text: string }): string {
  const start = app.clock.now().getTime() - 30 * 86_400_000
  const lines = ['caller,callee,start,duration,cell_site']
  for (let i = 0; i < rows; i++) {
    const at = new Date(start + i * 60_000).toISOString().replace(/\.\d+Z$/, 'Z')
    lines.push(`07700 900${String(100 + (i % 90)).padStart(3, '0')},07700 900${String(300 + ((i * 7) % 90)).padStart(3, '0')},${at},${30 + (i % 200)},MAST-${i % 12}`)
  }
  if (bad) lines[bad.line - 1] = bad.text
  const file = path.join(folder, name)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

/** Every value the upload's progress bar takes, recorded in the page as it changes. */
async function watchProgress(page: Page) {
  await page.evaluate(() => {
    const seen: number[] = []
    ;(window as unknown as { progressSeen: number[] }).progressSeen = seen
    new MutationObserver((records) => {
      for (const r of records) {
        const bar = r.type === 'attributes' ? r.target : (r.target as Element).querySelector?.('progress')
        if (bar instanceof HTMLProgressElement && bar.hasAttribute('value')) seen.push(bar.value)
      }
    }).observe(document.getElementById('main-content')!, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] })
  })
}

describe('phone data in Chromium', () => {
  it('an analyst reads the closed JAY line’s calls, its contacts and volume over time, and accepts the number that carries it on', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage()
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await page.getByRole('link', { name: 'Phone data' }).first().click()
    await settled(page)
    const pending = page.getByTestId('pending-successors')
    expect(await pending.locator('tbody tr').count()).toBe(1)
    const successor = (await pending.locator('tbody tr td').nth(2).textContent())!.trim()
    await pending.getByRole('link', { name: /JAY/ }).click()
    await settled(page)
    expect(await page.locator('h1').textContent()).toContain('Calls: JAY (07700 900461)')
    const summary = (await page.getByTestId('calls-summary').textContent())!
    expect(summary).toContain('+447700900461')
    expect(summary).toMatch(/Closed on/)
    // Contacts, with the calls each way.
    expect(await page.getByTestId('contacts').locator('tbody tr').count()).toBeGreaterThan(20)
    // Volume over time drawn, not only present: bars of a day's calls and the hour-of-week grid.
    for (const chart of ['daily-chart', 'hour-chart']) {
      const svg = page.getByTestId(chart).locator('svg')
      expect(await svg.getAttribute('role')).toBe('img')
      const box = (await svg.boundingBox())!
      expect(box.width, `${chart} width`).toBeGreaterThan(400)
      expect(box.height, `${chart} height`).toBeGreaterThan(100)
      expect(await svg.locator('rect').count(), `${chart} marks`).toBeGreaterThan(30)
    }
    // The tables of the same figures open under each picture.
    await page.getByText('Calls a day as a table').click()
    expect(await page.getByRole('table').filter({ hasText: 'Day' }).first().locator('tbody tr').count()).toBeGreaterThan(30)
    const months = await page.getByTestId('top-contacts-monthly').locator('tbody th').allTextContents()
    expect(months.length).toBeGreaterThan(1)
    for (const m of months) expect(m).toMatch(/^[A-Z][a-z]+ \d{4}$/)
    const card = page.getByTestId(`successor-${successor}`)
    expect(await card.textContent()).toMatch(/Waiting for review/)
    await expectAccessible(page)
    const dir = process.env.LANTERN_SCREENSHOTS
    if (dir) {
      mkdirSync(dir, { recursive: true })
      await page.getByText('Calls a day as a table').click()
      // From the top of the content to the attribution form, in the page's own coordinates (it has scrolled).
      const clip = await page.evaluate(() => {
        const main = document.querySelector('main')!.getBoundingClientRect()
        const end = Array.from(document.querySelectorAll('h2')).find((h) => h.textContent === 'Numbers attributed')!.getBoundingClientRect()
        return { x: main.left + window.scrollX, y: main.top + window.scrollY, width: main.width, height: end.top - main.top }
      })
      await page.screenshot({ path: path.join(dir, 'network-calls.png'), fullPage: true, clip })
    }

    await card.getByLabel('Reason (optional)').fill('Same customers from the same flat')
    await card.getByRole('button', { name: `Accept: link ${successor} to this line` }).click()
    await settled(page)
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Number linked to the line')
    expect(await page.getByTestId('calls-summary').textContent()).toContain(successor)
    expect(await page.getByTestId('attributions').textContent()).toContain('Same customers from the same flat')
    await page.context().close()
  }, 240_000)

  it('shows how much of a large file has been sent, then the import’s result; a bad file comes back with every problem and the answers kept', async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/network/calls`)
    // A slow link, so the upload takes long enough to be watched.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 10_000_000, uploadThroughput: 400_000 })
    const big = callFile('harbour-phones.csv', 20_000)
    await watchProgress(page)
    await page.getByLabel(/Call data \(CSV/).setInputFiles(big)
    await page.getByRole('button', { name: 'Import call data' }).click()
    await expect.poll(() => page.getByTestId('upload-progress').isVisible(), { timeout: 10_000 }).toBe(true)
    expect(await page.getByTestId('upload-progress').textContent()).toContain('harbour-phones.csv')
    await expectAccessible(page)
    const banner = page.locator('.govuk-notification-banner')
    await expect.poll(() => banner.count(), { timeout: 120_000 }).toBe(1)
    expect(await banner.textContent()).toContain('Imported 20,000 calls from harbour-phones.csv')
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen)
    // Part-way figures, rising, before the whole file was sent.
    expect(seen.some((v) => v > 0 && v < 100), `progress seen: ${seen.join(', ')}`).toBe(true)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(await page.getByTestId('call-imports').textContent()).toContain('harbour-phones.csv')
    // The page the server answered with, in place, and the user taken to its banner.
    expect(await page.title()).toMatch(/^Phone data/)
    expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-notification-banner'))).toBe(true)
    await expectAccessible(page)

    // A file with a bad row: nothing imported, the problem with its line, the handling code kept.
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    const bad = callFile('harbour-bad.csv', 50, { line: 4, text: '07700 900101,07700 900301,2026-02-30 10:00,60,' })
    await page.getByLabel('C: sharing only under conditions').check()
    await page.getByLabel('Handling conditions').fill('Police only')
    await page.getByLabel(/Call data \(CSV/).setInputFiles(bad)
    await page.getByRole('button', { name: 'Import call data' }).click()
    const summary = page.locator('.govuk-error-summary')
    await expect.poll(() => summary.count(), { timeout: 60_000 }).toBe(1)
    expect(await summary.textContent()).toMatch(/harbour-bad\.csv.*line 4/)
    expect(await page.title()).toMatch(/^Error: /)
    expect(await page.getByLabel('C: sharing only under conditions').isChecked()).toBe(true)
    expect(await page.getByLabel('Handling conditions').inputValue()).toBe('Police only')
    expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true)
    await expectAccessible(page)
    expect(await page.getByTestId('call-imports').locator('tbody tr', { hasText: 'harbour-bad.csv' }).count()).toBe(0)
    await page.context().close()
  }, 300_000)
})
