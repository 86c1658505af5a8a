import { chromium, type Browser, type Page } from 'playwright-core'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { startTestApp, type TestApp, type TestAppOptions } from './app.ts'
import { londonParts } from '../../src/kernel/london.ts'
import { expectAccessible } from './axe.ts'

export { expectAccessible }

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
