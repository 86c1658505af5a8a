// Light on purpose (no database, no parser): the `lantern` command loads it at start-up.
import { createHash } from 'node:crypto'
import { createReadStream, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Readable } from 'node:stream'

/** One file to import: a name for messages and a way to read it as a stream. */
export interface ImportSource {
  name: string
  /** Size in bytes, for the progress bar. */
  size?: number
  /** The same for the same file (its real path, or a hash of its content): a file given twice is refused. */
  identity?: string
  open(): Readable
}

export interface ImportProblem {
  file: string
  line: number
  message: string
}

/** A file on disk as an import source (the CLI's, and the server's when the CLI forwards to it). */
export function fileImportSource(file: string): ImportSource {
  // Read a mebibyte at a time: at the default 64 KiB, reading cost the import more CPU than the database's COPY of the file.
  return { name: path.basename(file), size: statSync(file).size, identity: realpathSync(file), open: () => createReadStream(file, { highWaterMark: 1 << 20 }) }
}

/** A problem as shown to people: the file, the line when there is one, and what is wrong. */
export function problemText(p: ImportProblem): string {
  return p.line ? `${p.file} line ${p.line}: ${p.message}` : `${p.file}: ${p.message}`
}

/** What makes two uploaded files the same file: their content. */
export function contentIdentity(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

/**
 * Files given more than once in one import (the same file twice, or a folder and a file inside
 * it), by the sources' identity: each would otherwise be read twice and its rows counted twice.
 */
export function duplicateSources(sources: ImportSource[]): ImportProblem[] {
  const first = new Map<string, string>()
  const problems: ImportProblem[] = []
  for (const s of sources) {
    if (!s.identity) continue
    const earlier = first.get(s.identity)
    if (earlier === undefined) first.set(s.identity, s.name)
    else problems.push({ file: s.name, line: 0, message: `is the same file as ${earlier === s.name ? 'another file of that name' : earlier}: give each file once (a folder and a file inside it count twice)` })
  }
  return problems
}
