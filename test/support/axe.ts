import type { Page } from 'playwright-core'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { expect } from 'vitest'
import { AXE_CHECKED_ENV } from './templates.ts'

/** WCAG 2.2 A and AA, as the accessibility statement promises. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * What this run found clean, by digest: whole pages, and the text styles color-contrast judged.
 * test/global-setup.ts names a folder that every test file of the run shares; a file run outside
 * vitest's setup keeps its own.
 */
const CHECKED_DIR = process.env[AXE_CHECKED_ENV]
const checkedHere = new Set<string>()
const wasChecked = (key: string) => checkedHere.has(key) || (CHECKED_DIR !== undefined && existsSync(path.join(CHECKED_DIR, key)))
function markChecked(key: string) {
  checkedHere.add(key)
  if (CHECKED_DIR) writeFileSync(path.join(CHECKED_DIR, key), '')
}
const digest = (...parts: string[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex')

/**
 * What decides axe's verdict on a page: its DOM and the viewport it is laid out in (the style
 * sheets are the same for the whole run). The CSRF token and the CSP nonce change with every
 * response and nothing axe checks depends on them.
 */
async function pageDigest(page: Page): Promise<string> {
  const html = await page.evaluate(() => document.documentElement.outerHTML)
  const stable = html.replace(/(name="_csrf" value=")[^"]*"/g, '$1"').replace(/(nonce=")[^"]*"/g, '$1"')
  return digest(JSON.stringify(page.viewportSize()), stable)
}

/**
 * Every distinct way the page shows text, as color-contrast judges it: the text's colour (and SVG
 * fill), size, weight and shadow, whether it is shown and enabled, and everything behind it up to
 * the first opaque background (colours, images, opacity, blending, and positioning that could lay
 * it over something else). Two elements with the same style get the same verdict, so pages that
 * differ only in their data (another person's record, a longer list) show no style not already
 * judged. Plain JavaScript in a string: a function compiled with the tests (tsx, vitest) may carry
 * the compiler's helper calls (`__name`), which do not exist in the page.
 */
const TEXT_STYLES = `(() => {
  const behind = new Map()
  function backdrop(el) {
    if (!el) return ''
    const known = behind.get(el)
    if (known !== undefined) return known
    const s = getComputedStyle(el)
    const own = [s.backgroundColor, s.backgroundImage, s.opacity, s.mixBlendMode, s.filter, /^(absolute|fixed|sticky)$/.test(s.position) ? s.position : ''].join(' ')
    const opaque = s.backgroundImage === 'none' && s.opacity === '1' && /^rgb\\(|^rgba\\(.*, 1\\)$/.test(s.backgroundColor)
    const key = opaque ? own : own + ' < ' + backdrop(el.parentElement)
    behind.set(el, key)
    return key
  }
  const styles = new Set()
  const controls = new Set(['INPUT', 'SELECT', 'TEXTAREA'])
  for (const el of document.body.querySelectorAll('*')) {
    const hasText = controls.has(el.tagName) || Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '')
    if (!hasText) continue
    const s = getComputedStyle(el)
    const box = el.getBoundingClientRect()
    const shown = el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && box.width > 1 && box.height > 1 && box.right + scrollX > 0 && box.bottom + scrollY > 0
    const enabled = !el.closest(':disabled, [aria-disabled="true"], [inert]')
    const type = el instanceof HTMLInputElement ? el.type : ''
    styles.add([el.tagName, type, shown, enabled, s.color, s.fill, s.fontSize, s.fontWeight, s.textShadow, s.textIndent, s.webkitTextStrokeWidth, backdrop(el)].join('|'))
  }
  return [...styles]
})()`

/**
 * Runs axe on the page as it is now and fails the test on any violation, naming each.
 *
 * Axe is most of a browser test's time, and journeys pass through the same pages again and again:
 * the sign-in page, Home, a form shown a second time. So a page whose DOM was already found clean
 * in this run, by any test file, is not checked again. A new page gets every rule, except that
 * color-contrast (alone about three quarters of a run of axe) runs only when the page shows text
 * in a style (textStyles) no page of this run has shown clean: it is judged once per style, not
 * once per page that differs only in its data. And axe-core is injected once per document and run
 * directly: @axe-core/playwright evaluated its 500 KB source twice per check and configured it per
 * frame, which Lantern, with no frames, does not need. resultTypes stops axe building selectors
 * for every passing node.
 */
export async function expectAccessible(page: Page) {
  const key = await pageDigest(page)
  if (wasChecked(key)) return
  const styles = (await page.evaluate<string[]>(TEXT_STYLES)).map((style) => digest('text style', JSON.stringify(page.viewportSize()), style))
  const contrast = styles.some((style) => !wasChecked(style))
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(
    async ({ tags, contrast }) => {
      const axe = (window as unknown as { axe: typeof import('axe-core') }).axe
      const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, rules: { 'color-contrast': { enabled: contrast } }, resultTypes: ['violations'] })
      return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
    },
    { tags: WCAG_TAGS, contrast },
  )
  expect(violations, `accessibility violations on ${page.url()}: ${violations.join('; ')}`).toEqual([])
  for (const style of styles) markChecked(style)
  markChecked(key)
}
