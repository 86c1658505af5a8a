import { chromium, type Browser, type Page } from 'playwright-core'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { startTestApp, type TestApp, type TestAppOptions } from './app.ts'
import { londonParts } from '../../src/kernel/london.ts'
import { AXE_CHECKED_ENV } from './templates.ts'

/** Debian's Chromium, never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * WebGL in software (SwiftShader through ANGLE), asked for by name so that the network map draws
 * headless on a machine without a GPU, and a browser test can check its pixels.
 */
const SOFTWARE_WEBGL = ['--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader']

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium)`)
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      ...SOFTWARE_WEBGL,
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/** What a browser test file works with: Lantern, one Chromium, and a page in a context of its own. */
export interface BrowserSession {
  app: TestApp
  browser: Browser
  page: Page
}

/**
 * Starts Lantern (startTestApp with `options.app`) and one Chromium before a browser test file's
 * tests, closes both after them, and hands them to `use`. The page serves the whole file; with
 * `pagePerTest` each test gets a new one in a fresh context (handed to `use` again), so no test
 * starts signed in as the one before left it.
 */
export function useBrowserApp(use: (session: BrowserSession) => void, options: { app?: TestAppOptions; pagePerTest?: boolean } = {}) {
  let session: BrowserSession | undefined
  let app: TestApp | undefined
  let browser: Browser | undefined
  const newPage = async (b: Browser) => (await b.newContext()).newPage()
  beforeAll(async () => {
    app = await startTestApp(options.app)
    browser = await launchBrowser()
    session = { app, browser, page: await newPage(browser) }
    use(session)
  })
  if (options.pagePerTest) {
    beforeEach(async () => {
      const current = session!
      await current.page.context().close()
      session = { ...current, page: await newPage(current.browser) }
      use(session)
    })
  }
  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })
}

/** WCAG 2.2 A and AA, as the accessibility statement promises. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * Pages found clean in this run, by the digest of what axe looks at. test/global-setup.ts names a
 * folder that every test file of the run shares; a file run outside vitest's setup keeps its own.
 */
const CHECKED_DIR = process.env[AXE_CHECKED_ENV]
const checkedHere = new Set<string>()
const wasChecked = (key: string) => checkedHere.has(key) || (CHECKED_DIR !== undefined && existsSync(path.join(CHECKED_DIR, key)))
function markChecked(key: string) {
  checkedHere.add(key)
  if (CHECKED_DIR) writeFileSync(path.join(CHECKED_DIR, key), '')
}

/**
 * What decides axe's verdict on a page: its DOM and the viewport it is laid out in (the style
 * sheets are the same for the whole run). The CSRF token and the CSP nonce change with every
 * response and nothing axe checks depends on them.
 */
async function pageDigest(page: Page): Promise<string> {
  const html = await page.evaluate(() => document.documentElement.outerHTML)
  const stable = html.replace(/(name="_csrf" value=")[^"]*"/g, '$1"').replace(/(nonce=")[^"]*"/g, '$1"')
  return createHash('sha256').update(JSON.stringify(page.viewportSize())).update(stable).digest('hex')
}

/**
 * Runs axe on the page as it is now and fails the test on any violation, naming each.
 *
 * Axe is most of a browser test's time (color-contrast alone is about three quarters of a run),
 * and journeys pass through the same pages again and again: the sign-in page, Home, a form shown a
 * second time. So a page whose DOM was already found clean in this run, by any test file, is not
 * checked again. And axe-core is injected once per document and run directly: @axe-core/playwright
 * evaluated its 500 KB source twice per check and configured it per frame, which Lantern, with no
 * frames, does not need. resultTypes stops axe building selectors for every passing node.
 */
export async function expectAccessible(page: Page) {
  const key = await pageDigest(page)
  if (wasChecked(key)) return
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
  }, WCAG_TAGS)
  expect(violations, `accessibility violations on ${page.url()}: ${violations.join('; ')}`).toEqual([])
  markChecked(key)
}

/** Every page a browser test visits is checked with axe: navigate with this, not page.goto. */
export async function visit(page: Page, url: string) {
  const response = await page.goto(url)
  await expectAccessible(page)
  return response
}

/** After a click or a submit that loads a page, check that page too. */
export async function settled(page: Page) {
  await page.waitForLoadState('load')
  await expectAccessible(page)
}

export async function signIn(page: Page, baseUrl: string, email: string, password = 'lantern-demo-2026') {
  await visit(page, `${baseUrl}/sign-in`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await settled(page)
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForLoadState('load')
}

/** Fills a GOV.UK date input (and its time field) `name` with the moment `hoursAgo` before the app's now, in UK time. */
export async function fillWhen(page: Page, app: TestApp, name: string, hoursAgo: number) {
  const { date, time } = londonParts(new Date(app.clock.now().getTime() - hoursAgo * 3600_000))
  await fillDate(page, name, date)
  await page.locator(`#${name}-time`).fill(time)
}

/** Fills a GOV.UK date input `name` (day, month and year) with an ISO date. */
export async function fillDate(page: Page, name: string, iso: string) {
  const [y, m, d] = iso.split('-')
  await page.locator(`#${name}-day`).fill(String(Number(d)))
  await page.locator(`#${name}-month`).fill(String(Number(m)))
  await page.locator(`#${name}-year`).fill(y)
}
