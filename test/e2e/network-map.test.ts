import { describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { expectAccessible, settled, signIn, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let browser: Browser

useBrowserApp((s) => ({ app, browser } = s))

/** The map's colours by kind (as its legend gives them), and the colour of an open link. */
const COLOURS = { adult: '#1d70b8', line: '#4c2c92', location: '#505a5f', link: '#6f777b', operation: '#d53880' }

/**
 * Counts the map's pixels near each colour, from a screenshot of the map (what the user sees,
 * whatever the canvases hold), decoded by the page itself so the test needs no image library.
 */
async function mapPixels(page: Page): Promise<Record<keyof typeof COLOURS | 'drawn', number>> {
  const png = (await page.locator('[data-map-canvas]').screenshot()).toString('base64')
  return page.evaluate(
    async ({ png, colours }) => {
      const image = new Image()
      image.src = `data:image/png;base64,${png}`
      await image.decode()
      const canvas = document.createElement('canvas')
      canvas.width = image.width
      canvas.height = image.height
      const context = canvas.getContext('2d')!
      context.drawImage(image, 0, 0)
      const { data } = context.getImageData(0, 0, image.width, image.height)
      const targets = Object.entries(colours).map(([name, hex]) => [name, [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))] as const)
      const counts: Record<string, number> = Object.fromEntries([...targets.map(([name]) => [name, 0]), ['drawn', 0]])
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]]
        if (r < 245 || g < 245 || b < 245) counts.drawn++
        for (const [name, [tr, tg, tb]] of targets) if (Math.abs(r - tr) + Math.abs(g - tg) + Math.abs(b - tb) < 24) counts[name]++
      }
      return counts
    },
    { png, colours: COLOURS },
  ) as Promise<Record<keyof typeof COLOURS | 'drawn', number>>
}

async function expectMapDrawn(page: Page, kinds: (keyof typeof COLOURS)[]) {
  const map = page.locator('[data-map]')
  await expect.poll(() => map.getAttribute('data-map-state'), { timeout: 20_000 }).toBe('drawn')
  expect(await map.isVisible()).toBe(true)
  expect(await page.locator('[data-map-canvas]').getAttribute('aria-label')).toContain('Network map')
  const pixels = await mapPixels(page)
  // Nodes of each kind and the links between them are on the canvas, not only in the table.
  for (const kind of kinds) expect(pixels[kind], `${kind} pixels on the map`).toBeGreaterThan(40)
  expect(pixels.drawn).toBeGreaterThan(4000)
  await expectLabelsApart(page)
  await expectAccessible(page)
}

/**
 * Link labels are written, and none over another: the label room the map placed them in, each
 * label a row of discs along its link, has no two labels' discs meeting.
 */
async function expectLabelsApart(page: Page) {
  const map = page.locator('[data-map]')
  const drawn = Number(await map.getAttribute('data-edge-labels-drawn'))
  expect(drawn, 'link labels written on the map').toBeGreaterThan(2)
  const meeting = await map.evaluate((element) => {
    const labels = (element as HTMLElement & { lanternLabelRoom: { placed(): { x: number; y: number; r: number }[][] } }).lanternLabelRoom.placed()
    let meet = 0
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) if (labels[i].some((a) => labels[j].some((b) => Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r))) meet++
    return { meet, labels: labels.length }
  })
  expect(meeting.labels).toBe(drawn)
  expect(meeting.meet, 'pairs of link labels written over each other').toBe(0)
}

describe('the network map draws in Chromium (software WebGL)', () => {
  it('on the whole demo partnership, Operation Harbour, the JAY line and its holder, with the legend beside it', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage()
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/network?scope=all`)
    await expectMapDrawn(page, ['adult', 'line', 'location', 'link'])
    expect(await page.getByTestId('map-legend').textContent()).toMatch(/Child[\s\S]*Deal line[\s\S]*Closed link/)

    await visit(page, `${app.baseUrl}/network`)
    await page.getByLabel('An operation').check()
    await page.getByLabel('Operation', { exact: true }).selectOption({ label: 'Operation Harbour' })
    await page.getByRole('button', { name: 'Show network' }).click()
    await settled(page)
    // The operation is a node of its own, linked to each of its targets, with a table beside it.
    await expectMapDrawn(page, ['adult', 'line', 'location', 'link', 'operation'])
    expect(await page.getByTestId('map-operations').textContent()).toMatch(/Operation Harbour[\s\S]*JAY \(07700 900461\)/)

    for (const focus of ['JAY (07700 900461) (Deal line)', 'Dwayne (Jay) Okoro (Adult)']) {
      await visit(page, `${app.baseUrl}/network`)
      await page.getByLabel('A line, group or person’s network').check()
      await page.getByLabel('Line, group or person', { exact: true }).selectOption({ label: focus })
      await page.getByRole('button', { name: 'Show network' }).click()
      await settled(page)
      await expectMapDrawn(page, ['adult', 'line', 'link'])
    }
    await page.context().close()
  }, 180_000)

  it('says so on the page, and keeps the tables, when the map cannot be drawn', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await page.route('**/network/graph.json*', (route) => route.fulfill({ status: 500, body: 'broken' }))
    await visit(page, `${app.baseUrl}/network?scope=all`)
    const map = page.locator('[data-map]')
    await expect.poll(() => map.getAttribute('data-map-state'), { timeout: 20_000 }).toBe('failed')
    expect(await page.getByTestId('map-failed').textContent()).toContain('The map could not be drawn')
    expect(await page.getByTestId('node-table').locator('tbody tr').count()).toBeGreaterThan(8)
    await expectAccessible(page)
    await context.close()
  }, 90_000)

  it('downloads the drawn map as a PNG', async () => {
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage()
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/network?scope=all`)
    await expect.poll(() => page.locator('[data-map]').getAttribute('data-map-state'), { timeout: 20_000 }).toBe('drawn')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the map as a PNG' }).click()])
    expect(download.suggestedFilename()).toBe('lantern-network.png')
    const bytes = await (await download.createReadStream()).toArray()
    expect(Buffer.concat(bytes).subarray(1, 4).toString()).toBe('PNG')
    await page.context().close()
  }, 90_000)
})

describe('how two entities are connected, in the browser', () => {
  it('an analyst asks how Kyle Marsh is connected to the organised crime group: the error summary first, then the paths with their grades', async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/network`)
    await page.getByRole('link', { name: 'How are two entities connected?' }).click()
    await settled(page)
    await page.getByLabel('From').selectOption({ label: 'Kyle Marsh (Child)' })
    await page.getByRole('button', { name: 'Find the connections' }).click()
    await settled(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Select the second entity')
    expect(await page.getByLabel('From').inputValue()).not.toBe('')
    await page.getByLabel('To').selectOption({ label: 'Stockwell Park OCG (Group)' })
    await page.getByRole('button', { name: 'Find the connections' }).click()
    await settled(page)
    expect(await page.getByTestId('paths-summary').textContent()).toMatch(/Kyle Marsh is 3 links from Stockwell Park OCG/)
    const first = await page.getByTestId('path').first().textContent()
    expect(first).toMatch(/holds the phone of JAY \(07700 900461\)\s*\(graded 2BC/)
    expect(first).toMatch(/is run by Dwayne \(Jay\) Okoro/)
    expect(await page.getByTestId('path').count()).toBeGreaterThan(1)
    await page.context().close()
  }, 90_000)
})

describe('a network’s timeline, in the browser', () => {
  it('an analyst opens the JAY line’s timeline from the explorer, keeps only operation activities, and follows one to the entity', async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/network`)
    await page.getByLabel('A line, group or person’s network').check()
    await page.getByLabel('Line, group or person', { exact: true }).selectOption({ label: 'JAY (07700 900461) (Deal line)' })
    await page.getByRole('button', { name: 'Show network' }).click()
    await settled(page)
    await page.getByTestId('timeline-link').click()
    await settled(page)
    expect(await page.locator('h1').textContent()).toContain('JAY (07700 900461)')
    const rows = page.locator('[data-testid="timeline-month"] tbody tr')
    const kinds = new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind'))))
    expect([...kinds]).toEqual(expect.arrayContaining(['link', 'operation']))
    await expectAccessible(page)

    for (const kind of ['Links first and last seen, closed or marked wrong', 'Children missing and found', 'Reports from the public', 'Changes to the records']) await page.getByLabel(kind).uncheck()
    await page.getByRole('button', { name: 'Show these' }).click()
    await settled(page)
    expect(await page.getByLabel('Operation activities').isChecked()).toBe(true)
    expect(await page.getByLabel('Links first and last seen, closed or marked wrong').isChecked()).toBe(false)
    expect(await rows.count()).toBeGreaterThan(0)
    expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind'))))).toEqual(new Set(['operation']))
    expect(await page.getByTestId('timeline-count').textContent()).toContain(`${await rows.count()} event`)
    // Newest first, across the months.
    const dates = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')!.textContent!.trim()))
    const times = dates.map((d) => Date.parse(d))
    expect(times.every((t) => Number.isFinite(t))).toBe(true)
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    await expectAccessible(page)

    const first = rows.first().getByRole('link')
    const about = (await first.textContent())!.trim()
    await first.click()
    await settled(page)
    expect(await page.locator('h1').textContent()).toContain(about)
    expect(await page.getByTestId('entity-timeline').textContent()).toMatch(/Operation Harbour/)
    await page.context().close()
  }, 120_000)
})
