import PDFDocument from 'pdfkit'
import { formatLongDate, kindLabel, statusLabel } from './domain.ts'
import type { Decorated } from './decorate.ts'

/**
 * The tracker leaves Lantern as CSV (staff and open data), JSON (open data), Atom (a feed readers
 * and other sites can follow) and PDF (the printed pack for the agenda). One set of columns is
 * used for both CSV files, so what the public downloads is what officers see, less the
 * restricted items.
 */

export const CSV_COLUMNS = [
  'reference',
  'body',
  'kind',
  'title',
  'wording',
  'meeting_date',
  'meeting',
  'addressee',
  'proposed_by',
  'seconded_by',
  'sent_on',
  'response_due',
  'status',
  'status_reason',
  'status_changed_at',
  'rag_set_by_body',
  'rag_shown',
  'overdue',
  'days_overdue',
  'answered_on',
  'days_late',
  'responses',
  'latest_response_on',
  'latest_response_by',
  'latest_response',
  'url',
]

const RAG_TEXT: Record<string, string> = { green: 'Green', amber: 'Amber', red: 'Red' }

export function csvRow(r: Decorated, url: string, options: { restrictedColumn?: boolean } = {}): unknown[] {
  const row = [
    r.reference,
    r.body_name,
    r.kindText,
    r.title,
    r.text,
    r.meeting_date,
    r.meeting_title,
    r.addressee,
    r.proposed_by ?? '',
    r.seconded_by ?? '',
    r.sent_on ?? '',
    r.due ?? '',
    r.statusText,
    r.status_reason ?? '',
    r.status_changed_at,
    r.rag ? RAG_TEXT[r.rag] : '',
    r.shownRag ? RAG_TEXT[r.shownRag] : '',
    r.overdue ? 'yes' : 'no',
    r.daysOverdue || '',
    r.answered ?? '',
    r.daysLate || '',
    r.response_count,
    r.latest_response_on ?? '',
    r.latest_response_by ?? '',
    r.latest_response_text ?? '',
    url,
  ]
  if (options.restrictedColumn) row.push(r.restricted ? 'yes' : 'no')
  return row
}

export function escapeXml(value: unknown): string {
  // Characters XML 1.0 cannot carry at all are dropped.
  return [...String(value ?? '')]
    .filter((c) => c >= ' ' || c === '\t' || c === '\n' || c === '\r')
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

export interface FeedEntry {
  id: string
  title: string
  link: string
  updated: Date
  summary: string
  category: string
}

/** An Atom 1.0 feed (RFC 4287). */
export function atomFeed(feed: { id: string; title: string; subtitle: string; self: string; alternate: string; updated: Date; author: string; entries: FeedEntry[] }): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">',
    `  <id>${escapeXml(feed.id)}</id>`,
    `  <title>${escapeXml(feed.title)}</title>`,
    `  <subtitle>${escapeXml(feed.subtitle)}</subtitle>`,
    `  <updated>${feed.updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(feed.alternate)}"/>`,
    `  <author><name>${escapeXml(feed.author)}</name></author>`,
    `  <rights>Contains public sector information licensed under the Open Government Licence v3.0.</rights>`,
  ]
  for (const e of feed.entries) {
    lines.push(
      '  <entry>',
      `    <id>${escapeXml(e.id)}</id>`,
      `    <title>${escapeXml(e.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(e.link)}"/>`,
      `    <updated>${e.updated.toISOString()}</updated>`,
      `    <category term="${escapeXml(e.category)}"/>`,
      `    <summary type="text">${escapeXml(e.summary)}</summary>`,
      '  </entry>',
    )
  }
  lines.push('</feed>', '')
  return lines.join('\n')
}

function truncate(text: string, max: number) {
  const clean = text.replace(/\s+/g, ' ').trim()
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean
}

/**
 * The printed pack for the agenda: every item of the tracker with its status, RAG, due date and
 * latest response, overdue items flagged in words as well as colour. Returns the PDF bytes.
 */
export function trackerPdf(pack: { bodyName: string; heading: string; generatedOn: string; rows: Decorated[]; includesRestricted: boolean }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margins: { top: 50, bottom: 60, left: 50, right: 50 }, bufferPages: true, info: { Title: `${pack.heading}: ${pack.bodyName}`, Author: 'Lantern' }, lang: 'en-GB', displayTitle: true, tagged: true } as PDFKit.PDFDocumentOptions)
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    const width = doc.page.width - 100

    doc.font('Helvetica-Bold').fontSize(18).text(pack.heading, { width })
    doc.font('Helvetica').fontSize(13).text(pack.bodyName, { width })
    doc.moveDown(0.3).fontSize(10).fillColor('#505a5f').text(`Produced on ${formatLongDate(pack.generatedOn)}. ${pack.rows.length} item${pack.rows.length === 1 ? '' : 's'}.`, { width })
    if (pack.includesRestricted) doc.fillColor('#d4351c').font('Helvetica-Bold').text('Contains restricted items: not for publication.', { width })
    const overdue = pack.rows.filter((r) => r.overdue).length
    doc.fillColor('#0b0c0c').font('Helvetica').moveDown(0.5)
    doc.text(`Overdue: ${overdue}. Open: ${pack.rows.filter((r) => r.status !== 'closed').length}.`, { width })
    doc.moveDown()

    for (const r of pack.rows) {
      if (doc.y > doc.page.height - 170) doc.addPage()
      doc.moveTo(50, doc.y).lineTo(50 + width, doc.y).strokeColor('#b1b4b6').stroke().moveDown(0.4)
      doc.font('Helvetica-Bold').fontSize(11).fillColor('#0b0c0c').text(`${r.reference}: ${r.title}`, { width })
      if (r.restricted) doc.font('Helvetica-Bold').fontSize(9).fillColor('#d4351c').text('RESTRICTED', { width })
      doc.font('Helvetica').fontSize(9).fillColor('#0b0c0c')
      doc.text(`${kindLabel(r.kind, r.request_type)} made on ${formatLongDate(r.meeting_date)}, addressed to ${r.addressee}.`, { width })
      const due = r.due ? `Response due ${formatLongDate(r.due)}.` : 'No response date set.'
      const rag = r.shownRag ? `RAG: ${RAG_TEXT[r.shownRag]}.` : 'RAG: not rated.'
      doc.text(`Status: ${statusLabel(r.status)}${r.status_reason ? ` (${r.status_reason})` : ''}. ${rag} ${due}`, { width })
      if (r.overdue) doc.font('Helvetica-Bold').fillColor('#d4351c').text(`OVERDUE by ${r.daysOverdue} day${r.daysOverdue === 1 ? '' : 's'}.`, { width })
      else if (r.answeredLate) doc.font('Helvetica-Bold').fillColor('#0b0c0c').text(`Answered ${r.daysLate} day${r.daysLate === 1 ? '' : 's'} late, on ${formatLongDate(r.answered!)}.`, { width })
      doc.font('Helvetica').fillColor('#0b0c0c').moveDown(0.2).text(truncate(r.text, 700), { width })
      if (r.latest_response_text) {
        doc.moveDown(0.2).font('Helvetica-Oblique').text(`Latest response (${formatLongDate(r.latest_response_on!)}, ${r.latest_response_by}): ${truncate(r.latest_response_text, 600)}`, { width })
      }
      doc.font('Helvetica').moveDown(0.8)
    }
    if (!pack.rows.length) doc.text('There are no items to report.', { width })

    const range = doc.bufferedPageRange()
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i)
      // Writing below the bottom margin would start a new page: lift the margin for the footer.
      doc.page.margins.bottom = 0
      doc.font('Helvetica').fontSize(8).fillColor('#505a5f').text(`${pack.bodyName}: ${pack.heading}. Page ${i + 1} of ${range.count}`, 50, doc.page.height - 40, { width, align: 'center', lineBreak: false })
    }
    doc.end()
  })
}
