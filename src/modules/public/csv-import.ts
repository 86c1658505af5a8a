import { parse } from 'csv-parse/sync'
import type { ChildAtRisk } from './tables.ts'
import { controlCharacterProblem, findControlCharacter } from '../../kernel/control-characters.ts'

/** The columns of an import file. Only received_on and what_happened are required. */
export const IMPORT_COLUMNS = [
  'received_on',
  'external_reference',
  'what_happened',
  'where',
  'area',
  'when',
  'who',
  'child_at_risk',
  'anything_else',
  'contact_name',
  'contact_phone',
  'contact_email',
] as const

const REQUIRED = ['received_on', 'what_happened'] as const
export const MAX_IMPORT_ROWS = 5000

export interface ImportedReport {
  line: number
  received_on: string
  external_reference: string | null
  what_happened: string
  where_happened: string | null
  area_id: string | null
  when_detail: string | null
  who_involved: string | null
  child_at_risk: ChildAtRisk | null
  anything_else: string | null
  contact_name: string | null
  contact_phone: string | null
  contact_email: string | null
}

export interface ImportProblem {
  line: number
  message: string
}

export type ImportParse = { ok: true; rows: ImportedReport[] } | { ok: false; problems: ImportProblem[] }

const LIMITS: Record<string, number> = {
  external_reference: 100,
  what_happened: 5000,
  where: 1000,
  when: 1000,
  who: 3000,
  anything_else: 5000,
  contact_name: 200,
  contact_phone: 40,
  contact_email: 320,
}

const LABELS: Record<string, string> = {
  received_on: 'received_on (the date the report was received)',
  what_happened: 'what_happened',
}

function isoDate(value: string, today: string): string | { problem: string } {
  let y: number, m: number, d: number
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value)
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])]
  else if (uk) [d, m, y] = [Number(uk[1]), Number(uk[2]), Number(uk[3])]
  else return { problem: `received_on ‘${value}’ must be a date like 2026-11-23 or 23/11/2026` }
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return { problem: `received_on ‘${value}’ is not a real date` }
  const out = date.toISOString().slice(0, 10)
  if (out > today) return { problem: `received_on ${out} is in the future` }
  if (y < 2000) return { problem: `received_on ${out} is before 2000` }
  return out
}

const CHILD: Record<string, ChildAtRisk> = { yes: 'yes', y: 'yes', no: 'no', n: 'no', 'not sure': 'not_sure', not_sure: 'not_sure', unknown: 'not_sure', "don't know": 'not_sure' }

/**
 * Reads a CSV of reports that arrived by another route and checks every row. Either every row is
 * good and all are returned, or the problems are returned, each with the line it is on (the header
 * is line 1; a quoted value over several lines counts them all), and nothing is to be imported.
 */
export function parseImport(
  text: string,
  options: { areas: { id: string; name: string; code: string }[]; today: string; anonymousOnly?: boolean },
): ImportParse {
  const control = findControlCharacter(text)
  if (control) return { ok: false, problems: [{ line: control.line, message: controlCharacterProblem(control) }] }
  let records: { record: string[]; info: { lines: number; empty_lines: number } }[]
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as typeof records
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1
    return { ok: false, problems: [{ line, message: `The file is not a valid CSV file: ${(err as Error).message.replace(/^Invalid Record Length: /, '')}` }] }
  }
  if (records.length === 0) return { ok: false, problems: [{ line: 1, message: 'The file is empty: it needs a header row and at least one report' }] }

  const header = records[0].record.map((h) => h.toLowerCase().replace(/\s+/g, '_'))
  const problems: ImportProblem[] = []
  const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h))
  if (unknown.length) problems.push({ line: 1, message: `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `‘${u}’`).join(', ')}: the columns are ${IMPORT_COLUMNS.join(', ')}` })
  for (const r of REQUIRED) if (!header.includes(r)) problems.push({ line: 1, message: `The header has no ${LABELS[r]} column` })
  const duplicated = header.filter((h, i) => header.indexOf(h) !== i)
  if (duplicated.length) problems.push({ line: 1, message: `Column ‘${duplicated[0]}’ appears more than once` })
  if (problems.length) return { ok: false, problems }
  if (records.length === 1) return { ok: false, problems: [{ line: 1, message: 'The file has a header but no reports' }] }
  if (records.length - 1 > MAX_IMPORT_ROWS) return { ok: false, problems: [{ line: 1, message: `The file has ${records.length - 1} reports: import at most ${MAX_IMPORT_ROWS} at a time` }] }

  const areaByKey = new Map<string, string>()
  for (const a of options.areas) {
    areaByKey.set(a.name.toLowerCase(), a.id)
    areaByKey.set(a.code.toLowerCase(), a.id)
  }

  const rows: ImportedReport[] = []
  const seenRefs = new Map<string, number>()
  let previousEnd = records[0].info.lines
  let previousEmpty = records[0].info.empty_lines
  for (const { record, info } of records.slice(1)) {
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty)
    previousEnd = info.lines
    previousEmpty = info.empty_lines
    const rowProblems: string[] = []
    if (record.length !== header.length) {
      problems.push({ line, message: `Line ${line} has ${record.length} value${record.length === 1 ? '' : 's'} but the header has ${header.length} columns` })
      continue
    }
    const get = (column: string) => {
      const i = header.indexOf(column)
      const v = i >= 0 ? record[i] : ''
      return v === '' ? null : v
    }
    for (const [column, max] of Object.entries(LIMITS)) {
      const v = get(column)
      if (v && v.length > max) rowProblems.push(`${column} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    }
    const receivedRaw = get('received_on')
    let received = ''
    if (!receivedRaw) rowProblems.push('received_on is empty: enter the date the report was received')
    else {
      const parsed = isoDate(receivedRaw, options.today)
      if (typeof parsed === 'string') received = parsed
      else rowProblems.push(parsed.problem)
    }
    const what = get('what_happened')
    if (!what) rowProblems.push('what_happened is empty: enter what the report says')
    let areaId: string | null = null
    const area = get('area')
    if (area) {
      areaId = areaByKey.get(area.toLowerCase()) ?? null
      if (!areaId) rowProblems.push(`area ‘${area}’ is not an area Lantern knows: use a name like ‘Havant’ or an ONS code like ‘E07000090’, or leave it empty`)
    }
    let child: ChildAtRisk | null = null
    const childRaw = get('child_at_risk')
    if (childRaw) {
      child = CHILD[childRaw.toLowerCase()] ?? null
      if (!child) rowProblems.push(`child_at_risk ‘${childRaw}’ must be yes, no or not sure`)
    }
    const email = get('contact_email')
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) rowProblems.push(`contact_email ‘${email}’ is not an email address`)
    const hasContact = Boolean(get('contact_name') || get('contact_phone') || email)
    if (hasContact && options.anonymousOnly) rowProblems.push('has contact details, but reports from this route are anonymous: leave the contact columns empty')
    const ref = get('external_reference')
    if (ref) {
      const first = seenRefs.get(ref)
      if (first) rowProblems.push(`external_reference ‘${ref}’ is also on line ${first}`)
      else seenRefs.set(ref, line)
    }
    if (rowProblems.length) {
      problems.push({ line, message: `Line ${line}: ${rowProblems.join('; ')}` })
      continue
    }
    rows.push({
      line,
      received_on: received,
      external_reference: ref,
      what_happened: what!,
      where_happened: get('where'),
      area_id: areaId,
      when_detail: get('when'),
      who_involved: get('who'),
      child_at_risk: child,
      anything_else: get('anything_else'),
      contact_name: get('contact_name'),
      contact_phone: get('contact_phone'),
      contact_email: email,
    })
  }
  return problems.length ? { ok: false, problems } : { ok: true, rows }
}

/** An example file, offered for download on the import page. */
export function importTemplate(): string {
  return `${IMPORT_COLUMNS.join(',')}\n2026-11-20,CS-000123,"Lots of young people, not local, coming and going from a flat above the shops",Market Parade,Havant,Evenings,Two boys about 15 on bikes,yes,,,,\n`
}
