/**
 * Takes the screenshots in docs/screenshots/ from a fresh demo: `node --import tsx scripts/screenshots.ts`,
 * or only those named (`... scripts/screenshots.ts network-map.png`). Each entry signs in as the user
 * who would see the page (none for public pages); `element` shoots that part of the page once it is
 * ready (`ready`: a selector to wait for).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startTestApp } from '../test/support/app.ts'

const shots: { file: string; path: string | ((ids: Record<string, string>) => string); as?: string; fullPage?: boolean; element?: string; ready?: string }[] = [
  { file: 'home.png', path: '/' },
  { file: 'register.png', path: '/register', as: 'manager@lantern.test' },
  { file: 'person.png', path: (ids) => `/people/${ids['kyle marsh']}`, as: 'practitioner@lantern.test' },
  { file: 'risk.png', path: (ids) => `/people/${ids['kyle marsh']}/risk`, as: 'practitioner@lantern.test' },
  { file: 'network.png', path: '/network', as: 'analyst@lantern.test' },
  { file: 'network-map.png', path: (ids) => `/network?scope=entity&entityId=${ids['line:JAY']}&steps=2`, as: 'analyst@lantern.test', element: '[data-map]', ready: '[data-map-state="drawn"]' },
  { file: 'network-map-operation.png', path: (ids) => `/network?scope=operation&operationId=${ids['operation:Operation Harbour']}&steps=1`, as: 'analyst@lantern.test', element: '[data-map]', ready: '[data-map-state="drawn"]' },
  { file: 'network-paths.png', path: (ids) => `/network/paths?from=${ids['entity:Kyle Marsh']}&to=${ids['entity:Stockwell Park OCG']}`, as: 'analyst@lantern.test', fullPage: true },
  { file: 'network-timeline.png', path: (ids) => `/network/timeline?scope=entity&entityId=${ids['line:JAY']}&steps=2&events=operation&events=missing`, as: 'analyst@lantern.test', element: 'main' },
  { file: 'network-geography.png', path: '/network/geography', as: 'analyst@lantern.test', element: '.geo-map-figure' },
  { file: 'network-entities.png', path: '/network/entities?kind=location', as: 'analyst@lantern.test' },
  { file: 'indicators.png', path: '/indicators', as: 'partnership@lantern.test' },
  { file: 'report-a-concern.png', path: '/report' },
  { file: 'public-tracker.png', path: '/scrutiny' },
  { file: 'audit.png', path: '/admin/audit', as: 'admin@lantern.test' },
  { file: 'report-control-chart.png', path: (ids) => `/performance/${ids['report:annual']}`, element: '[data-testid="report-control-chart"] >> nth=3' },
]

/**
 * The report's PDF pages that show a picture, as images (needs pdftoppm and pdftotext, Debian
 * poppler-utils). Each is the first page whose text holds its marker, so a longer or shorter report
 * still gives the right page. REPORT_PDF_PAGES=dir also keeps every page, at 60 dpi, to look at.
 */
const PDF_SHOTS = [
  { file: 'report-pdf-chart.png', marker: 'Recorded' },
  { file: 'report-pdf-control-chart.png', marker: 'Process limits' },
  { file: 'report-pdf-map.png', marker: 'Per 1,000 residents' },
]

async function pdfPageShots(baseUrl: string, reportId: string, files: string[]) {
  const pdf = Buffer.from(await (await fetch(`${baseUrl}/performance/${reportId}.pdf`)).arrayBuffer())
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-pdf-'))
  try {
    const file = path.join(dir, 'report.pdf')
    writeFileSync(file, pdf)
    const pages = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f')
    for (const shot of PDF_SHOTS.filter((s) => files.includes(s.file))) {
      const page = pages.findIndex((text) => text.includes(shot.marker)) + 1
      if (!page) {
        console.log(`skipped ${shot.file}: no page of the PDF says "${shot.marker.trim()}"`)
        continue
      }
      execFileSync('pdftoppm', ['-png', '-r', '80', '-f', String(page), '-l', String(page), '-singlefile', file, path.join(dir, 'page')])
      execFileSync('cp', [path.join(dir, 'page.png'), `docs/screenshots/${shot.file}`])
      console.log(`docs/screenshots/${shot.file} (page ${page} of ${pages.filter((t) => t.trim()).length})`)
    }
    if (process.env.REPORT_PDF_PAGES) {
      mkdirSync(process.env.REPORT_PDF_PAGES, { recursive: true })
      writeFileSync(path.join(process.env.REPORT_PDF_PAGES, 'report.pdf'), pdf)
      execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(process.env.REPORT_PDF_PAGES, 'page')])
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const app = await startTestApp({ kind: { name: 'pglite', create: (await import('../test/support/databases.ts')).testDatabaseKinds()[0].create } })
const ids = Object.fromEntries(
  (await app.database.db.selectFrom('people').select(['id', 'given_name', 'family_name']).execute()).map((p) => [`${p.given_name} ${p.family_name}`.toLowerCase(), p.id]),
)
for (const line of await app.database.db.selectFrom('network_entities').select(['id', 'line_name']).where('line_name', 'is not', null).execute()) ids[`line:${line.line_name}`] = line.id
for (const e of await app.database.db.selectFrom('network_entities as e').leftJoin('people as p', 'p.id', 'e.person_id').select(['e.id', 'e.label', 'p.given_name', 'p.family_name']).execute()) {
  ids[`entity:${e.given_name ? `${e.given_name} ${e.family_name}` : e.label}`] = e.id
}
for (const o of await app.database.db.selectFrom('operations').select(['id', 'name']).execute()) ids[`operation:${o.name}`] = o.id
ids['report:annual'] = (await (await fetch(`${app.baseUrl}/performance`)).text()).match(/href="\/performance\/([0-9a-f-]{36})">Annual performance report/)![1]
const only = process.argv.slice(2)
const chosen = shots.filter((s) => !only.length || only.includes(s.file))
// The PDF page alone needs no browser.
const browser = chosen.length ? await (await import('../test/support/browser.ts')).launchBrowser() : null
mkdirSync('docs/screenshots', { recursive: true })
try {
  for (const shot of chosen) {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    if (shot.as) {
      await page.goto(`${app.baseUrl}/sign-in`)
      await page.getByLabel('Email address').fill(shot.as)
      await page.getByLabel('Password', { exact: true }).fill('lantern-demo-2026')
      await page.getByRole('button', { name: 'Sign in', exact: true }).click()
      await page.waitForLoadState('load')
    }
    const path = typeof shot.path === 'function' ? shot.path(ids) : shot.path
    const res = await page.goto(`${app.baseUrl}${path}`)
    if (!res || res.status() >= 400) {
      console.log(`skipped ${shot.file}: ${path} answered ${res?.status()}`)
    } else {
      if (shot.ready) await page.waitForSelector(shot.ready, { timeout: 30_000 })
      if (shot.element) await page.locator(shot.element).screenshot({ path: `docs/screenshots/${shot.file}` })
      else await page.screenshot({ path: `docs/screenshots/${shot.file}`, fullPage: shot.fullPage ?? false })
      console.log(`docs/screenshots/${shot.file}`)
    }
    await context.close()
  }
  const pdfFiles = PDF_SHOTS.map((s) => s.file).filter((f) => !only.length || only.includes(f))
  if (pdfFiles.length) await pdfPageShots(app.baseUrl, ids['report:annual'], pdfFiles)
} finally {
  await browser?.close()
  await app.close()
}
