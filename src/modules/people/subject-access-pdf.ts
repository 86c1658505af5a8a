import PDFDocument from 'pdfkit'
import { useLanternFonts } from '../../lib/pdf-fonts.ts'
import { REDACTION_FLAGS, type FlaggedItem, type SubjectAccessExport } from './subject-access.ts'

const INK = '#0b0c0c'
const MUTED = '#484949'
const FLAG = '#942514'

/** Fields the PDF leaves to the JSON file: keys, and the raw screening answers (their reasons are printed). */
const LEFT_TO_JSON = new Set(['id', 'flags', 'answers', 'explanation'])
const leftToJson = (key: string) => LEFT_TO_JSON.has(key) || key.endsWith('_id')

/** A value that is a stored code (`returned_themselves`, `nhs_number`), not words someone wrote. */
const CODE = /^[a-z]+(_[a-z]+)*$/
const ACRONYMS: Record<string, string> = { nhs: 'NHS', upn: 'UPN', nrm: 'NRM', cawn: 'CAWN', mace: 'MACE', rag: 'RAG', send: 'SEND' }

/** "returned_themselves" as "Returned themselves", "nhs_number" as "NHS number". */
function codeWords(code: string): string {
  const words = code.split('_').map((w) => ACRONYMS[w] ?? w)
  return words.join(' ').replace(/^[a-z]/, (c) => c.toUpperCase())
}

const londonDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' })
const londonDateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })

/** Field names that read badly turned into words. */
const LABELS: Record<string, string> = {
  send: 'SEND (special educational needs or disability)',
  current_rag: 'Risk level (RAG)',
  current_rag_at: 'Risk level set',
  owner_agency_name: 'Record held by',
  owner_team_name: 'Team',
  allocated_worker_name: 'Allocated worker',
  home_area_name: 'Home local authority',
  current_area_name: 'Lives in',
  rg_decision: 'Reasonable grounds decision',
  rg_decision_on: 'Reasonable grounds decision on',
  cg_decision: 'Conclusive grounds decision',
  cg_decision_on: 'Conclusive grounds decision on',
  rhi_offered_at: 'Return home interview offered',
  rhi_held_at: 'Return home interview held',
  rhi_declined: 'Return home interview declined',
  rhi_notes: 'Return home interview notes',
  rhi_agency: 'Return home interview by',
  other_label: 'Linked to',
  other_kind: 'Linked to (kind)',
}

function label(key: string): string {
  if (LABELS[key]) return LABELS[key]
  const words = key.replaceAll('_', ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
  return words[0].toUpperCase() + words.slice(1)
}

function text(value: unknown): string {
  if (value === true) return 'Yes'
  if (value === false) return 'No'
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return londonDateTime.format(new Date(value))
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return londonDate.format(new Date(`${value}T12:00:00Z`))
  if (typeof value === 'string' && CODE.test(value)) return codeWords(value)
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v ? Object.values(v as object).filter(Boolean).map(text).join(', ') : text(v))).join('; ')
  return String(value)
}

/** What a printed item says: its fields with a value, and for an assessment the reasons for its level. */
function lines(entry: FlaggedItem): [string, string][] {
  const out: [string, string][] = Object.entries(entry)
    .filter(([k, v]) => !leftToJson(k) && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => [label(k), text(v)])
  const reasons = (entry.explanation as { reasons?: string[] } | null | undefined)?.reasons
  if (reasons?.length) out.push(['Why this level', reasons.join(' ')])
  return out
}

/**
 * The subject access export as a PDF (A4) for the information governance officer to review and
 * redact: the record, each section in turn with every item's flags beside it, what other agencies
 * hold that is not included, and who has looked. Tagged, in Noto Sans, like Lantern's other PDFs.
 */
export function subjectAccessPdf(data: SubjectAccessExport): Promise<Buffer> {
  const name = `${data.subject.given_name} ${data.subject.family_name}`
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Subject access export: ${name}`, Subject: 'Subject access export, not redacted', Author: 'Lantern' }, lang: 'en-GB', displayTitle: true, tagged: true } as PDFKit.PDFDocumentOptions)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
  useLanternFonts(doc)
  const width = doc.page.width - 100

  const heading = (value: string, size = 15) => {
    if (doc.y > doc.page.height - 140) doc.addPage()
    doc.moveDown(0.6).font('Bold').fontSize(size).fillColor(INK).text(value, { width })
    doc.moveDown(0.3)
  }
  const para = (value: string, opts: { size?: number; color?: string; bold?: boolean } = {}) => {
    doc.font(opts.bold ? 'Bold' : 'Body').fontSize(opts.size ?? 10).fillColor(opts.color ?? INK).text(value, { width })
    doc.moveDown(0.25)
  }
  const fields = (pairs: [string, string][]) => {
    for (const [k, v] of pairs) {
      if (doc.y > doc.page.height - 80) doc.addPage()
      doc.font('Bold').fontSize(9.5).fillColor(INK).text(`${k}: `, { width, continued: true }).font('Body').text(v)
    }
  }

  doc.font('Bold').fontSize(22).fillColor(INK).text('Subject access export', { width })
  para(name, { size: 14, bold: true })
  para(`Prepared by ${data.preparedBy.name}, ${data.preparedBy.role}, ${data.preparedBy.agency}, on ${text(data.generatedAt)}.`, { color: MUTED })
  para('Not redacted. Review every flagged item before anything is given to the person or their representative.', { bold: true, color: FLAG })

  heading('What this export leaves out')
  if (data.withheld.length === 0) para('Nothing: everything Lantern holds about this person is included.')
  for (const w of data.withheld) {
    para(`${w.title}: ${w.count} held by ${w.heldBy.length ? w.heldBy.join(', ') : 'other agencies'} and not included, because your agency may not see ${w.count === 1 ? 'it' : 'them'}. Ask ${w.heldBy.length === 1 ? 'them' : 'the agencies that hold them'} to consider ${w.count === 1 ? 'its' : 'their'} disclosure.`)
  }
  for (const n of data.notes) para(n, { color: MUTED })

  heading('What the flags mean')
  for (const [flag, meaning] of Object.entries(REDACTION_FLAGS)) para(`${label(flag)}: ${meaning}`, { size: 9.5 })

  heading('The record')
  fields(lines({ ...data.subject, flags: [] }))

  for (const [section, items] of Object.entries(data.sections)) {
    heading(`${data.titles[section] ?? section} (${items.length})`)
    if (items.length === 0) para('None held.', { color: MUTED })
    for (const [index, entry] of items.entries()) {
      if (doc.y > doc.page.height - 120) doc.addPage()
      doc.moveDown(0.3)
      para(`${index + 1}.`, { bold: true, size: 9.5 })
      if (entry.flags.length) para(`Check before disclosure: ${entry.flags.map((f) => label(f)).join('; ')}`, { bold: true, color: FLAG, size: 9.5 })
      fields(lines(entry))
    }
  }
  doc.end()
  return done
}
