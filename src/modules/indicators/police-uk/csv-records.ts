import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { hasControlCharacter } from '../../../kernel/control-characters.ts'

/** A CSV record with the line it starts on (1-based). */
export interface CsvRecord {
  record: string[]
  line: number
  /**
   * Whether the text it was read from holds a control character somewhere (perhaps not in this
   * record): a caller looks at its fields only then. One scan a chunk, not one a field, on files
   * of millions of rows that never hold one.
   */
  suspect: boolean
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

/** Splits one record's text (quotes balanced) into fields, RFC 4180: "" inside quotes is a quote. */
function splitQuoted(text: string, line: number): string[] {
  const fields: string[] = []
  let field = ''
  let i = 0
  let quoted = false
  while (i < text.length) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        if (i < text.length && text[i] !== ',') throw new CsvSyntaxError('a quoted field is followed by text before the next comma', line)
        continue
      }
      field += c
      i++
      continue
    }
    if (c === ',') {
      fields.push(field)
      field = ''
    } else if (c === '"' && field === '') {
      quoted = true
    } else {
      field += c
    }
    i++
  }
  fields.push(field)
  return fields
}

function quotes(s: string): number {
  let n = 0
  for (let i = s.indexOf('"'); i !== -1; i = s.indexOf('"', i + 1)) n++
  return n
}

/**
 * Streams CSV records with their line numbers, a chunk's worth at a time (one await per chunk of
 * the file, not one per record: on police.uk's files the per-record await cost more than the
 * splitting). Lines without a quote (nearly all of police.uk's) are split directly; quoted
 * fields, with commas or line breaks inside, are read by the rules of RFC 4180. CRLF and LF line
 * endings, a byte order mark and blank lines are all accepted. Several times faster than a
 * general parser on police.uk's files, which decides the import's time.
 */
export async function* csvRecordBatches(stream: Readable, onChunk?: (bytes: number) => void): AsyncGenerator<CsvRecord[]> {
  // Decoded here rather than by setEncoding, so a character split between two chunks survives in
  // object-mode streams (Readable.from) as well.
  const decoder = new StringDecoder('utf8')
  let buffer = ''
  let lineNo = 0
  let first = true
  /** A record whose quotes are not yet balanced: its text so far and its first line. */
  let open: { text: string; line: number; suspect: boolean } | null = null
  let suspect = false
  let batch: CsvRecord[] = []

  function take(line: string): void {
    lineNo++
    if (line.endsWith('\r')) line = line.slice(0, -1)
    if (open) {
      open.text += `\n${line}`
      open.suspect ||= suspect
      if (quotes(open.text) % 2 === 0) {
        const done = open
        open = null
        batch.push({ record: splitQuoted(done.text, done.line), line: done.line, suspect: done.suspect })
      }
      return
    }
    if (line === '') return
    if (!line.includes('"')) batch.push({ record: line.split(','), line: lineNo, suspect })
    else if (quotes(line) % 2 === 0) batch.push({ record: splitQuoted(line, lineNo), line: lineNo, suspect })
    else open = { text: line, line: lineNo, suspect }
  }

  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    onChunk?.(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length)
    buffer += typeof chunk === 'string' ? chunk : decoder.write(chunk)
    if (first) {
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1)
      first = false
    }
    // The whole buffer, so a line begun in the last chunk is looked at again with its end.
    suspect = hasControlCharacter(buffer)
    let start = 0
    try {
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n', start)) {
        take(buffer.slice(start, nl))
        start = nl + 1
      }
    } catch (err) {
      // The records before a malformed one are still checked, as they were read one by one.
      if (batch.length) yield batch
      throw err
    }
    buffer = buffer.slice(start)
    if (batch.length) {
      yield batch
      batch = []
    }
  }
  buffer += decoder.end()
  suspect = hasControlCharacter(buffer)
  if (buffer !== '') take(buffer)
  if (batch.length) yield batch
  if (open) throw new CsvSyntaxError('a quoted field is not closed before the end of the file', (open as { line: number }).line)
}

/** The same records one at a time. */
export async function* csvRecords(stream: Readable, onChunk?: (bytes: number) => void): AsyncGenerator<CsvRecord> {
  for await (const batch of csvRecordBatches(stream, onChunk)) yield* batch
}
