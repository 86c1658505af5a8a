import PDFDocument from 'pdfkit'
import SVGtoPDF from 'svg-to-pdfkit'
import { useLanternFonts } from '../../lib/pdf-fonts.ts'
import { reportFigures } from './report-figures.ts'
import type { ReportContent } from './report-content.ts'

const INK = '#0b0c0c'
const MUTED = '#484949'
const RAG: Record<string, string> = { red: '#d4351c', amber: '#b58800', green: '#00703c' }

function date(iso: string | null | undefined): string {
  if (!iso) return ''
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso.slice(0, 10)}T12:00:00Z`))
}

/** The performance report as a PDF (A4): its text, each headline's chart with its numbers, and the maps with their tables. */
export function reportPdf(content: ReportContent, options: { status: string; publishedAt?: Date | null }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: content.title, Subject: `Performance report, ${content.periodLabel}`, Author: 'Lantern' }, lang: 'en-GB', displayTitle: true, tagged: true } as PDFKit.PDFDocumentOptions)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
  useLanternFonts(doc)
  const width = doc.page.width - 100

  const heading = (text: string, size = 16) => {
    if (doc.y > doc.page.height - 150) doc.addPage()
    doc.moveDown(0.6).font('Bold').fontSize(size).fillColor(INK).text(text, { width })
    doc.moveDown(0.3)
  }
  const para = (text: string, opts: { size?: number; color?: string; bold?: boolean } = {}) => {
    doc.font(opts.bold ? 'Bold' : 'Body').fontSize(opts.size ?? 10.5).fillColor(opts.color ?? INK).text(text, { width })
    doc.moveDown(0.35)
  }

  doc.font('Bold').fontSize(22).fillColor(INK).text(content.title, { width })
  doc.moveDown(0.3)
  para(`${content.areaName}. ${content.periodLabel[0].toUpperCase()}${content.periodLabel.slice(1)}, compared with ${content.comparisonLabel}.`, { size: 12 })
  if (content.meeting) para(`For: ${content.meeting}`)
  para(
    options.status === 'published' && options.publishedAt
      ? `Published ${date(options.publishedAt.toISOString())}. Figures as held on ${date(content.builtOn)}.`
      : `Draft, not published. Figures as held on ${date(content.builtOn)}.`,
    { color: MUTED, size: 9.5 },
  )
  if (content.commentary) {
    heading('Summary')
    for (const p of content.commentary.split(/\n\s*\n/)) para(p.trim())
  }

  const figures = reportFigures(content, { width })
  /** Draws an SVG at the left margin, on a new page when it does not fit, and moves below it. */
  const pictureHeight = (svg: string) => {
    const size = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)
    return size ? (Number(size[2]) * width) / Number(size[1]) : width * 0.5
  }
  const picture = (svg: string) => {
    const h = pictureHeight(svg)
    if (doc.y + h > doc.page.height - 50) doc.addPage()
    const top = doc.y
    SVGtoPDF(doc, svg, 50, top, { width, height: h, assumePt: true, fontCallback: (_family, bold) => (bold ? 'Bold' : 'Body') })
    // Drawing the SVG's text moves PDFKit's cursor: put it back below the picture.
    doc.x = 50
    doc.y = top + h + 6
  }

  /** The height a run of text takes at the left margin, with the gap para() leaves under it. */
  const textHeight = (text: string, font: 'Body' | 'Bold', size: number) => doc.font(font).fontSize(size).heightOfString(text, { width }) + doc.currentLineHeight() * 0.35

  heading('Headline indicators')
  for (const [index, h] of content.headlines.entries()) {
    const ragText = h.rag ? `  Against target: ${h.rag === 'red' ? 'Red' : h.rag === 'amber' ? 'Amber' : 'Green'}` : ''
    const figuresLine = `${h.value} (${content.periodLabel}); ${h.yearBefore} a year before; ${h.twoYearsBefore} two years before. Change: ${h.change}. Target: ${h.target}.`
    // A verdict with nothing to explain it ("Against target") is what the target's colour already said.
    const verdictLine = h.explanation ? `${h.verdict}. ${h.explanation}` : ragText ? '' : `${h.verdict}.`
    const chart = figures.charts[index]
    // The name, its figures and its chart go on one page: a chart alone on the next page names nothing.
    const block =
      textHeight(h.name, 'Bold', 11.5) +
      textHeight(`${figuresLine}${ragText}`, 'Body', 10.5) +
      (h.months < h.monthsExpected ? textHeight('Only', 'Body', 9.5) : 0) +
      (h.rate ? textHeight(`${h.rate} per 1,000 residents in ${content.periodLabel}.`, 'Body', 10) : 0) +
      (verdictLine ? textHeight(verdictLine, 'Body', 10) : 0) +
      (chart ? pictureHeight(chart) + 6 : 0)
    const room = doc.page.height - 50 - doc.y
    if (doc.y > doc.page.height - 140 || (block > room && block <= doc.page.height - 100)) doc.addPage()
    doc.font('Bold').fontSize(11.5).fillColor(INK).text(h.name, { width })
    doc.font('Body').fontSize(10.5).text(figuresLine, { width, continued: Boolean(ragText) })
    if (ragText) doc.fillColor(RAG[h.rag as string]).font('Bold').text(ragText).fillColor(INK).font('Body')
    if (h.months < h.monthsExpected) para(`Only ${h.months} of ${h.monthsExpected} periods have data.`, { color: MUTED, size: 9.5 })
    if (h.rate) para(`${h.rate} per 1,000 residents in ${content.periodLabel}.`, { size: 10 })
    if (verdictLine) para(verdictLine, { size: 10 })
    if (chart) {
      picture(chart)
      para(`${h.chart!.map((p) => `${p.label}: ${p.value === null ? 'not shown' : p.value.toLocaleString('en-GB')}`).join('; ')}.`, { size: 8, color: MUTED })
    }
    const control = figures.controlCharts[index]
    if (control) {
      const judgement = `Is the latest value unusual? ${control.text}`
      // The judgement reads the chart: a new page for both rather than the chart alone on the next.
      const judgementHeight = doc.font('Body').fontSize(10).heightOfString(judgement, { width })
      if (doc.y + judgementHeight + 6 + pictureHeight(control.svg) > doc.page.height - 50) doc.addPage()
      para(judgement, { size: 10 })
      picture(control.svg)
      const special = control.rows.filter((r) => r.cause !== 'Common cause')
      para(special.length ? `Part of a special cause signal: ${special.map((r) => `${r.label} (${r.cause.toLowerCase()})`).join('; ')}.` : 'Every value is common cause variation.', { size: 8, color: MUTED })
    }
  }

  if (content.maps?.length) {
    const intro = 'Counts depend on how many people live in an area; rates per 1,000 residents compare areas of different sizes fairly. Populations are the Office for National Statistics’ mid-year estimates. Darker areas have higher rates.'
    // The section's heading and words go with its first map, not alone at the foot of a page.
    const first = figures.maps[0]
    const opening = 40 + textHeight(intro, 'Body', 10) + (first ? pictureHeight(first) : 0) + 40
    if (doc.y + opening > doc.page.height - 50 && opening <= doc.page.height - 100) doc.addPage()
    heading('Across the areas, per 1,000 residents')
    para(intro, { size: 10 })
    for (const [index, m] of content.maps.entries()) {
      const map = figures.maps[index]
      // Keep the heading with its map.
      if (doc.y + (map ? pictureHeight(map) : 0) + 40 > doc.page.height - 50) doc.addPage()
      doc.font('Bold').fontSize(11.5).fillColor(INK).text(`${m.indicator}, ${content.periodLabel}`, { width })
      doc.moveDown(0.3)
      if (map) picture(map)
      for (const a of m.areas) {
        para(`${a.name}: ${a.count === null ? 'no data' : a.count.toLocaleString('en-GB')}; ${a.population === null ? 'residents not known' : `${a.population.toLocaleString('en-GB')} residents`}; ${a.rate === null ? 'no rate' : `${a.rate.toLocaleString('en-GB')} per 1,000`}.`, { size: 9 })
      }
    }
    para(figures.attribution, { size: 8, color: MUTED })
  }

  heading('Emerging trends')
  if (!content.trends.length) para('No indicator moved by more than chance would explain in this period.')
  for (const t of content.trends) {
    if (doc.y > doc.page.height - 110) doc.addPage()
    para(`${t.indicator}, ${t.area} (${t.kind === 'exceedance' ? 'exceedance' : 'change on a year before'})`, { bold: true })
    para(t.text, { size: 10 })
  }
  para(
    'How to read this: an exceedance is a month above the range that the same months of the previous five years (Farrington method, improved) say chance explains 19 times in 20. A change on a year before is tested with an exact Poisson test: "very likely real" means chance would give a change that large less than 1 time in 20.',
    { color: MUTED, size: 9 },
  )

  if (content.strategy) {
    heading(`Strategy: ${content.strategy.title}`)
    for (const o of content.strategy.objectives) {
      if (doc.y > doc.page.height - 140) doc.addPage()
      doc.font('Bold').fontSize(11.5).fillColor(INK).text(`${o.position}. ${o.title}: ${o.statusText}`, { width })
      para(o.summary, { size: 10 })
      for (const i of o.indicators) para(`• ${i.name}, ${i.area}: ${i.latest}; target ${i.target}${i.rag ? ` (${i.rag})` : ''}; ${i.direction.toLowerCase()}.`, { size: 9.5 })
      for (const a of o.actions) para(`• ${a.title}${a.lead ? ` (${a.lead})` : ''}: ${a.status}${a.due ? `, due ${date(a.due)}` : ''}.${a.note ? ` ${a.note}` : ''}`, { size: 9.5 })
    }
  }
  doc.end()
  return done
}
