import { parse } from 'csv-parse/sync'
import { LinkageInputError } from './errors.ts'
import { controlCharacterMessage, findControlCharacter } from '../../kernel/control-characters.ts'
import { tableFromRows, type Table } from './dataset.ts'

/**
 * Parse CSV text into a table of strings (nothing is cast, so postcodes and dates of birth keep
 * their leading zeros). Spaces around fields are dropped, which also reads FEBRL's ", " separator.
 */
export function parseCsvTable(text: string, label = 'CSV'): Table {
  const control = findControlCharacter(text)
  if (control) throw new LinkageInputError(`${label}: ${controlCharacterMessage(control)}`)
  let rows: string[][]
  try {
    rows = parse(text, { bom: true, trim: true, skip_empty_lines: true })
  } catch (err) {
    throw new LinkageInputError(`${label}: ${(err as Error).message}`)
  }
  if (rows.length === 0) throw new LinkageInputError(`${label}: empty file`)
  const [header, ...body] = rows
  const seen = new Set<string>()
  for (const name of header) {
    if (!name) throw new LinkageInputError(`${label}: a column has no name`)
    if (seen.has(name)) throw new LinkageInputError(`${label}: column "${name}" appears twice`)
    seen.add(name)
  }
  return tableFromRows(header, body)
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value
}

/** One CSV line (with its newline) from plain values. */
export function csvLine(values: readonly (string | number)[]): string {
  return values.map((v) => (typeof v === 'number' ? String(v) : quote(v))).join(',') + '\n'
}
