import { XMLParser, XMLValidator } from 'fast-xml-parser'
import sanitizeHtml from 'sanitize-html'
import { isIsoDate } from './domain.ts'
import { controlCharacterMessage, findControlCharacter } from '../../kernel/control-characters.ts'

/**
 * Reads the answer of ModernGov's `GetMeeting` web service (`/mgWebService.asmx/GetMeeting?lMeetingId=N`,
 * the committee system most English councils run): one `<meeting>` with its id, date
 * (dd/mm/yyyy), time, status, location, committee, and `<agendaitems>`, each `<agendaitem>` with
 * a title, a number, a restricted (exempt) flag, the minutes as escaped HTML, and
 * `<linkeddocuments>` (title, url, attachment id). Installations differ in small ways (a
 * `<getmeeting>` wrapper or none, a SOAP envelope, element case), so the reader looks for the
 * meeting wherever it is and matches names without regard to case. Pure: no database, no network.
 */

export interface ModernGovDocument {
  externalId: string | null
  title: string
  url: string | null
  restricted: boolean
}

export interface ModernGovAgendaItem {
  externalId: string | null
  number: string
  title: string
  restricted: boolean
  minutes: string
  documents: ModernGovDocument[]
}

export interface ModernGovMeeting {
  externalId: string
  committeeId: string | null
  committeeTitle: string | null
  date: string
  time: string | null
  status: string | null
  location: string
  minutesPublished: boolean
  items: ModernGovAgendaItem[]
}

/** A document that is not a ModernGov meeting, or is malformed: the message says what and where. */
export class ModernGovFormatError extends Error {}

/** The largest document accepted (a busy full council meeting is a few hundred kilobytes). */
export const MAX_MODERNGOV_BYTES = 5 * 1024 * 1024

type Node = Record<string, unknown>

function text(value: unknown): string {
  if (value == null) return ''
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'object' && '#text' in (value as Node)) return text((value as Node)['#text'])
  return ''
}

function first(node: Node, ...names: string[]): unknown {
  for (const name of names) if (node[name] !== undefined) return node[name]
  return undefined
}

function flag(value: unknown): boolean {
  return /^(true|1|yes|y)$/i.test(text(value))
}

function list(value: unknown): Node[] {
  if (value == null || value === '') return []
  return (Array.isArray(value) ? value : [value]).filter((v): v is Node => typeof v === 'object' && v !== null)
}

/** ModernGov writes dates as dd/mm/yyyy, sometimes with a time after; ISO dates are accepted too. */
export function parseModernGovDate(value: string): string | null {
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(value)
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(value)
  const candidate = uk ? `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}` : iso ? `${iso[1]}-${iso[2]}-${iso[3]}` : null
  return candidate && isIsoDate(candidate) ? candidate : null
}

/** Minutes come as HTML (escaped inside the XML): kept as plain paragraphs of text. */
export function htmlToText(html: string): string {
  const withBreaks = html.replace(/<\s*br\s*\/?>/gi, '\n').replace(/<\/\s*(p|div|li|h[1-6]|tr)\s*>/gi, '\n\n')
  const plain = sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} })
  return plain
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, '’')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** Finds the first `meeting` element that carries a meeting id or date, however deep. */
function findMeeting(node: unknown, depth = 0): Node | null {
  if (depth > 8 || node == null || typeof node !== 'object') return null
  for (const [key, value] of Object.entries(node as Node)) {
    if (key === 'meeting') {
      for (const candidate of list(value)) if (first(candidate, 'meetingid', 'meetingdate') !== undefined) return candidate
    }
  }
  for (const value of Object.values(node as Node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      const found = findMeeting(child, depth + 1)
      if (found) return found
    }
  }
  return null
}

export function parseGetMeeting(input: string | Buffer): ModernGovMeeting {
  const xml = (typeof input === 'string' ? input : input.toString('utf8')).replace(/^\uFEFF/, '')
  if (Buffer.byteLength(xml) > MAX_MODERNGOV_BYTES) throw new ModernGovFormatError('The file is larger than 5 MB: it cannot be a single meeting')
  if (!xml.trim()) throw new ModernGovFormatError('The file is empty')
  // XML 1.0 allows no control characters but tab, CR and LF; the validator lets them through.
  const control = findControlCharacter(xml)
  if (control) throw new ModernGovFormatError(`The file is not well-formed XML: ${controlCharacterMessage(control)}`)
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new ModernGovFormatError('The file declares a document type or entities, which a ModernGov meeting never does')
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    throw new ModernGovFormatError(`The file is not well-formed XML: ${valid.err.msg.replace(/\.$/, '')} (line ${valid.err.line}, column ${valid.err.col})`)
  }
  const parser = new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: true,
    transformTagName: (name) => name.toLowerCase(),
    isArray: (name) => ['agendaitem', 'linkeddoc', 'meeting'].includes(name),
  })
  let tree: unknown
  try {
    tree = parser.parse(xml)
  } catch (err) {
    throw new ModernGovFormatError(`The file could not be read as XML: ${(err as Error).message}`)
  }
  const meeting = findMeeting(tree)
  if (!meeting) throw new ModernGovFormatError('The file is XML but not a ModernGov GetMeeting document: it has no <meeting> with a <meetingid>')

  const externalId = text(meeting.meetingid)
  if (!externalId) throw new ModernGovFormatError('The meeting has no <meetingid>')
  const rawDate = text(meeting.meetingdate)
  if (!rawDate) throw new ModernGovFormatError(`Meeting ${externalId} has no <meetingdate>`)
  const date = parseModernGovDate(rawDate)
  if (!date) throw new ModernGovFormatError(`Meeting ${externalId} has a <meetingdate> that is not a real date: “${rawDate}” (expected dd/mm/yyyy)`)
  const time = text(meeting.meetingtime) || null
  if (time && !/^\d{1,2}[:.]\d{2}/.test(time)) throw new ModernGovFormatError(`Meeting ${externalId} has a <meetingtime> that is not a time: “${time}”`)

  const items: ModernGovAgendaItem[] = []
  const agendaItems = list(first(meeting, 'agendaitems') as Node | undefined).flatMap((container) => list(container.agendaitem))
  agendaItems.forEach((item, index) => {
    const title = text(first(item, 'agendaitemtitle', 'title'))
    if (!title) throw new ModernGovFormatError(`Agenda item ${index + 1} of meeting ${externalId} has no <agendaitemtitle>`)
    // The agenda's own number; failing that, the minute number with its sub-number ("76.1").
    const minuteNumber = text(item.minutesitemnumber)
    const sub = text(item.minutesitemsubnumber)
    const number = text(item.agendaitemnumber) || (sub && minuteNumber ? `${minuteNumber}.${sub}` : minuteNumber)
    const documents = list(first(item, 'linkeddocuments') as Node | undefined)
      .flatMap((container) => list(container.linkeddoc))
      .map((doc, d) => {
        const docTitle = text(doc.title)
        if (!docTitle) throw new ModernGovFormatError(`Document ${d + 1} of agenda item “${title}” has no <title>`)
        const url = text(doc.url) || null
        if (url && !/^https?:\/\//i.test(url)) throw new ModernGovFormatError(`Document “${docTitle}” has a <url> that is not a web address`)
        return { externalId: text(doc.attachmentid) || null, title: docTitle, url, restricted: flag(doc.isrestricted) }
      })
    items.push({
      externalId: text(first(item, 'agendaitemid', 'itemid')) || null,
      number,
      title,
      restricted: flag(first(item, 'isrestricted', 'agendaitemrestricted', 'restricted')),
      minutes: htmlToText(text(first(item, 'minutesnonemptyhtmlbody', 'minuteshtmlbody', 'minutes'))),
      documents,
    })
  })

  return {
    externalId,
    committeeId: text(meeting.committeeid) || null,
    committeeTitle: text(meeting.committeetitle) || null,
    date,
    time: time ? time.replace('.', ':').slice(0, 5) : null,
    status: text(meeting.meetingstatus) || null,
    location: text(meeting.meetinglocation),
    minutesPublished: flag(first(meeting, 'isminutepublished', 'minutepublished')),
    items,
  }
}
