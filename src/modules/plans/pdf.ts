import PDFDocument from 'pdfkit'
import { useLanternFonts } from '../../lib/pdf-fonts.ts'
import { formatDate, formatDateTime } from '../../web/nunjucks.ts'
import { ACTION_STATE_TEXT } from './rules.ts'
import type { PlansService } from './service.ts'

const INK = '#0b0c0c'
const MUTED = '#484949'
const FLAG = '#942514'

type MeetingRecord = Awaited<ReturnType<PlansService['meeting']>>

/**
 * A meeting record for the file (A4): who was discussed, who attended for which agency and who sent
 * apologies, what was decided, and each action with its owner, due date and status on the day it
 * was printed. Tagged, in Noto Sans, like Lantern's other PDFs, and marked as personal data.
 */
export function meetingPdf(data: MeetingRecord): Promise<Buffer> {
  const m = data.meeting
  const title = `${m.kindText}, ${formatDate(m.held_on)}`
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title, Subject: 'Multi-agency meeting record', Author: 'Lantern' }, lang: 'en-GB', displayTitle: true, tagged: true } as PDFKit.PDFDocumentOptions)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
  useLanternFonts(doc)
  const width = doc.page.width - 100
  const heading = (value: string) => {
    if (doc.y > doc.page.height - 140) doc.addPage()
    doc.moveDown(0.6).font('Bold').fontSize(14).fillColor(INK).text(value, { width })
    doc.moveDown(0.3)
  }
  const para = (value: string, opts: { color?: string; bold?: boolean; size?: number } = {}) => {
    if (doc.y > doc.page.height - 80) doc.addPage()
    doc.font(opts.bold ? 'Bold' : 'Body').fontSize(opts.size ?? 10).fillColor(opts.color ?? INK).text(value, { width })
    doc.moveDown(0.25)
  }

  doc.font('Bold').fontSize(20).fillColor(INK).text(title, { width })
  para('OFFICIAL-SENSITIVE: personal data about children. Keep it on the file; do not forward it.', { bold: true, color: FLAG })
  para(`Chaired by ${m.chair}${m.chair_agency_name ? `, ${m.chair_agency_name}` : ''}. Recorded by ${m.created_by_name ?? 'unknown'} (${m.recorded_by_agency_name ?? 'unknown agency'}) on ${formatDateTime(m.created_at)}.`, { color: MUTED })
  para(`Printed by ${data.exportedBy.name} on ${formatDateTime(data.exportedBy.at)}.`, { color: MUTED })

  heading('People discussed')
  for (const s of data.subjects) para(`${s.name} (${s.kind === 'child' ? 'child or young person' : 'adult'})`)

  heading('Attendees by agency')
  if (!data.attendeesByAgency.length) para('No attendees recorded.', { color: MUTED })
  for (const group of data.attendeesByAgency) {
    para(group.agency, { bold: true })
    for (const a of group.attended) para(`${a.name}${a.role ? `, ${a.role}` : ''}`)
    for (const a of group.apologies) para(`${a.name}${a.role ? `, ${a.role}` : ''} (apologies)`, { color: MUTED })
  }

  heading('Decisions')
  para(m.decisions)

  heading(`Actions (${data.actions.length})`)
  if (!data.actions.length) para('No actions recorded.', { color: MUTED })
  for (const [i, a] of data.actions.entries()) {
    para(`${i + 1}. ${a.description}`, { bold: true })
    const owner = a.owner_user_name ? `${a.owner_user_name}${a.owner_user_agency ? ` (${a.owner_user_agency})` : ''}` : (a.owner_agency_name ?? 'Unknown')
    const target = [a.targetName, a.target_entity_label].filter(Boolean).join('; ')
    para(`Owner: ${owner}. Due ${formatDate(a.due_on)}. ${ACTION_STATE_TEXT[a.state]}${a.status === 'cancelled' ? `: ${a.cancel_reason}` : ''}${a.closed_at ? ` (${formatDateTime(a.closed_at)})` : ''}.${target ? ` Aimed at: ${target}.` : ''}`, { color: a.state === 'overdue' ? FLAG : INK })
  }
  // A corrected record says so, as the page does: what was changed, when, by whom and why.
  if (data.changes.length) {
    heading(`Corrections (${data.changes.length})`)
    for (const c of data.changes) para(`${formatDateTime(c.changed_at)}, ${c.changed_by_name ?? 'unknown'}: ${c.fieldsText} changed. Reason: ${c.reason}`)
  }
  doc.end()
  return done
}
