import { Transform, type Readable } from 'node:stream'
import { parse } from 'csv-parse'
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { controlCharacterInFields } from '../../kernel/control-characters.ts'
import { fromLondon } from '../../kernel/london.ts'

/**
 * The call data CSV (docs/network.md, "Phone data"): a header row naming the columns `caller`,
 * `callee`, `start` and `duration`, and optionally `cell_site`, in any order; one call a row.
 * Numbers as dialled in the UK or in international form, kept in E.164 (+447700900461); `start` as
 * `YYYY-MM-DD HH:MM[:SS]` (London time) or ISO 8601 with `Z` or an offset; `duration` in whole
 * seconds; `cell_site` the caller's handset's cell, any text.
 */
export const CALL_COLUMNS = ['caller', 'callee', 'start', 'duration'] as const
export const OPTIONAL_COLUMNS = ['cell_site'] as const

export interface CallRow {
  caller: string
  callee: string
  startedAt: Date
  durationSeconds: number
  cellSite: string | null
}

export interface CallProblem {
  file: string
  line: number
  message: string
}

export const problemText = (p: CallProblem) => `${p.file}, line ${p.line}: ${p.message}`

/** A day longer than any call; a longer duration is a mistake in the file (milliseconds, or a total). */
const LONGEST_CALL_SECONDS = 86_400

/** A number as dialled, in E.164, or null when it cannot be a telephone number. */
export function toE164(raw: string): string | null {
  const text = raw.trim()
  if (!text || !/^[+()\d\s.-]+$/.test(text)) return null
  const parsed = parsePhoneNumberFromString(text, 'GB')
  return parsed?.isPossible() ? parsed.number : null
}

const START = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$/

/** A call's start: with a zone as given, without one as London's wall clock. Null when it is not a real moment. */
export function parseStart(raw: string): Date | null {
  const m = START.exec(raw.trim())
  if (!m) return null
  const [, y, mo, d, h, mi, s = '00', zone] = m
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number)
  const calendar = new Date(Date.UTC(year, month - 1, day))
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null
  if (zone) {
    const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`)
    return Number.isNaN(at.getTime()) ? null : at
  }
  return new Date(fromLondon(`${y}-${mo}-${d}`, `${h}:${mi}`).getTime() + second * 1000)
}

/** Counts the bytes read, for a progress bar over a file whose size is known. */
function counting(onBytes: (bytes: number) => void): Transform {
  let bytes = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      onBytes(bytes)
      done(null, chunk)
    },
  })
}

export interface ReadOptions {
  file: string
  onBytes?: (bytes: number) => void
  /** Stop reading after this many problems: the first screenful is what a person can fix. */
  maxProblems?: number
}

/**
 * Streams the calls of one CSV file, row by row, reporting each bad row as a problem with its file
 * and line and carrying on, so one upload shows every mistake (up to `maxProblems`). The caller
 * keeps nothing when there was any problem.
 */
export async function* readCalls(source: Readable, options: ReadOptions, problems: CallProblem[]): AsyncGenerator<CallRow> {
  const maxProblems = options.maxProblems ?? 20
  const problem = (line: number, message: string) => problems.push({ file: options.file, line, message })
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true })
  const input = options.onBytes ? source.pipe(counting(options.onBytes)) : source
  source.on('error', (err) => parser.destroy(err))
  input.pipe(parser)
  let columns: Map<string, number> | null = null
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines
      const control = controlCharacterInFields(record, (index) => `field ${index + 1}`)
      if (control) {
        problem(line, control)
      } else if (!columns) {
        const names = record.map((c) => c.toLowerCase().replace(/[\s-]+/g, '_'))
        const missing = CALL_COLUMNS.filter((c) => !names.includes(c))
        if (missing.length) {
          problem(line, `the first row must name the columns ${CALL_COLUMNS.join(', ')} (and optionally cell_site); ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`)
          return
        }
        columns = new Map(names.map((n, i) => [n, i]))
      } else {
        const row = callRow(record, columns, (message) => problem(line, message))
        if (row) yield row
      }
      if (problems.length >= maxProblems) return
    }
    if (!columns && !problems.length) problem(1, 'the file is empty: it needs a header row and at least one call')
  } catch (err) {
    const e = err as Error & { code?: string; lines?: number }
    if (!e.code?.startsWith('CSV_')) throw err
    problem(e.lines ?? 0, `the file is not valid CSV here (${e.message.replace(/^Invalid (Record|Opening Quote|Closing Quote)[^:]*:\s*/i, '').split(' at line')[0]})`)
  } finally {
    parser.destroy()
  }
}

function callRow(record: string[], columns: Map<string, number>, problem: (message: string) => void): CallRow | null {
  const field = (name: string) => record[columns.get(name) ?? -1] ?? ''
  const before = { n: 0 }
  const fail = (message: string) => {
    before.n++
    problem(message)
  }
  const caller = toE164(field('caller'))
  if (!caller) fail(`caller "${field('caller')}" is not a telephone number`)
  const callee = toE164(field('callee'))
  if (!callee) fail(`callee "${field('callee')}" is not a telephone number`)
  const startedAt = parseStart(field('start'))
  if (!startedAt) fail(`start "${field('start')}" is not a date and time like 2026-10-01 14:03:00`)
  const durationText = field('duration')
  const durationSeconds = /^\d{1,6}$/.test(durationText) ? Number(durationText) : NaN
  if (!(durationSeconds <= LONGEST_CALL_SECONDS)) fail(`duration "${durationText}" is not a whole number of seconds up to ${LONGEST_CALL_SECONDS.toLocaleString('en-GB')}`)
  const cell = field('cell_site')
  if (cell.length > 100) fail('cell_site must be 100 characters or fewer')
  if (before.n) return null
  return { caller: caller!, callee: callee!, startedAt: startedAt!, durationSeconds, cellSite: cell || null }
}
