import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { expectAccessible, settled, signIn, useBrowserApp, visit } from '../support/browser.ts'

let app: TestApp
let browser: Browser

useBrowserApp((s) => ({ app, browser } = s))

describe('the geographic map in Chromium', () => {
  it('draws the areas, places and flows for an analyst, and places a location with a click on the map', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage()
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/network/geography`)
    expect(await page.title()).toContain('Geographic map')
    const map = page.locator('[data-testid="geo-map"] svg')
    expect(await map.isVisible()).toBe(true)
    expect(await map.locator('path.geo-map__area').count()).toBeGreaterThan(10)
    const places = await map.locator('g.geo-map__place').count()
    expect(places).toBeGreaterThan(0)
    expect(places).toBe(await page.locator('[data-testid="geo-places"] tbody tr[id^="place-"]').count())
    expect(await map.locator('g.geo-map__flow').count()).toBeGreaterThan(0)
    // Drawn, not only present: the place marks' black and the flows' purple are on the screen.
    const box = (await map.boundingBox())!
    expect(box.width).toBeGreaterThan(500)
    // The demo's latest police.uk month as hexagons, under the flows' arrowheads.
    expect(await map.locator('path.geo-map__hexagon').count()).toBeGreaterThan(50)
    // Arrowheads of a fixed size in the map's units, not in widths of the (thick) flow line.
    expect(await map.locator('marker').first().getAttribute('markerUnits')).toBe('userSpaceOnUse')
    const dir = process.env.LANTERN_SCREENSHOTS
    if (dir) {
      mkdirSync(dir, { recursive: true })
      await page.locator('figure.geo-map-figure').screenshot({ path: path.join(dir, 'network-geography.png') })
    }

    // Zoomed and panned with the buttons (the keyboard's way), and back to the whole map.
    const viewBox = await map.getAttribute('viewBox')
    await page.getByRole('button', { name: 'Zoom in' }).click()
    await page.getByRole('button', { name: 'Zoom in' }).click()
    expect(await page.getByTestId('geo-map').getAttribute('data-zoom')).toBe('2.25')
    expect(await page.getByRole('status').filter({ hasText: 'Zoomed in' }).textContent()).toContain('Zoomed in 2.3 times')
    const zoomed = (await map.getAttribute('viewBox'))!.split(' ').map(Number)
    await page.getByRole('button', { name: 'Move the map left' }).click()
    const moved = (await map.getAttribute('viewBox'))!.split(' ').map(Number)
    expect(moved[0]).toBeLessThan(zoomed[0])
    expect(moved[2]).toBe(zoomed[2])
    // Dragged with the mouse: the map follows the pointer.
    const centre = (await map.boundingBox())!
    await page.mouse.move(centre.x + centre.width / 2, centre.y + centre.height / 2)
    await page.mouse.down()
    await page.mouse.move(centre.x + centre.width / 2 - 100, centre.y + centre.height / 2, { steps: 5 })
    await page.mouse.up()
    expect(Number((await map.getAttribute('viewBox'))!.split(' ')[0])).toBeGreaterThan(moved[0])
    await expectAccessible(page)
    if (dir) await page.locator('figure.geo-map-figure').screenshot({ path: path.join(dir, 'network-geography-zoomed.png') })
    await page.getByRole('button', { name: 'Show the whole map' }).click()
    expect(await map.getAttribute('viewBox')).toBe(viewBox)

    // The Basingstoke hotel is not on the map yet: place it by clicking on the map.
    await page.getByRole('link', { name: /place it on the map \(Station Lodge Hotel/ }).click()
    await settled(page)
    expect(await page.title()).toContain('Place Station Lodge Hotel, Basingstoke on the map')
    const image = page.locator('input[type="image"]')
    const size = (await image.boundingBox())!
    await image.click({ position: { x: size.width * 0.45, y: size.height * 0.4 } })
    await settled(page)
    expect(page.url()).toContain('/network/geography')
    const row = page.locator('[data-testid="geo-places"] tr', { hasText: 'Station Lodge Hotel' })
    expect(await row.count()).toBe(1)
    expect(await map.locator('g.geo-map__place').count()).toBe(places + 1)

    // The coordinates typed wrong come back with the error summary and the answers kept.
    await page.goto(`${app.baseUrl}${await row.getByRole('link', { name: /Move/ }).getAttribute('href')}`)
    await page.getByLabel('Latitude').fill('91')
    await page.getByRole('button', { name: 'Save the coordinates' }).click()
    await settled(page)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('The latitude must be between')
    expect(await page.getByLabel('Latitude').inputValue()).toBe('91')
  }, 400_000)

  // Without JavaScript it is the same page (the map is server-drawn SVG, which the integration test reads over HTTP); axe needs JavaScript, so this runs with it.
  it('works at 320 pixels wide', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } })
    const page = await context.newPage()
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/network/geography?layers=places&layers=flows`)
    const map = page.locator('[data-testid="geo-map"] svg')
    const box = (await map.boundingBox())!
    expect(box.width).toBeLessThanOrEqual(320)
    expect(await map.locator('path.geo-map__area').count()).toBeGreaterThan(10)
    // Nothing but the scrollable tables is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
  }, 400_000)
})
