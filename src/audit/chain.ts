import { createHash } from 'node:crypto'

/** The previous hash of the first link: migration 0008 starts the chain here. */
export const GENESIS_HASH = '0'.repeat(64)

/** A link's hash, as the database's insert trigger computes it: SHA-256 (hex) of the previous hash and the row's canonical content. */
export function linkHash(previousHash: string, content: string): string {
  return createHash('sha256').update(previousHash + content, 'utf8').digest('hex')
}

export interface Link {
  id: number
  chain_seq: number
  hash: string
  content: string
}

export type Break = { id: number; chainSeq: number; problem: string }

/**
 * Checks a run of links that follows `previous` (place and hash; place 0 and the genesis before the
 * first). Returns the first break, or the last link checked. `archived` holds the places and hashes
 * of links in detached months that fall among the attached ones (a transaction begun before midnight
 * at a month's end can take its place after one begun just after): the chain steps over them.
 */
export function checkLinks(
  previous: { seq: number; hash: string },
  links: Link[],
  archived: ReadonlyMap<number, string> = new Map(),
): { broken: Break } | { last: { seq: number; hash: string } } {
  let last = previous
  for (const link of links) {
    while (link.chain_seq > last.seq + 1 && archived.has(last.seq + 1)) last = { seq: last.seq + 1, hash: archived.get(last.seq + 1)! }
    if (link.chain_seq !== last.seq + 1) {
      return { broken: { id: link.id, chainSeq: link.chain_seq, problem: `comes at place ${link.chain_seq}, but place ${last.seq + 1} is missing: rows were deleted before it` } }
    }
    if (linkHash(last.hash, link.content) !== link.hash) {
      return { broken: { id: link.id, chainSeq: link.chain_seq, problem: 'its content or hash was changed after it was written (its hash does not match)' } }
    }
    last = { seq: link.chain_seq, hash: link.hash }
  }
  return { last }
}

/** One line of an exported month (src/audit/archive.ts): a link with the hash of the link before it, wherever that is. */
export interface ArchivedLink {
  seq: number
  previous_hash: string
  hash: string
  content: string
}

/**
 * Checks an exported month on its own: each link's hash is made from the previous hash it names and
 * its content, and where two places follow each other the second names the first's hash. Returns
 * the first bad line (1-based, after the header line) or the links' first and last places.
 */
export async function checkArchivedLinks(
  links: Iterable<ArchivedLink> | AsyncIterable<ArchivedLink>,
): Promise<{ broken: { line: number; seq: number; problem: string } } | { rows: number; first?: number; last?: { seq: number; hash: string } }> {
  let rows = 0
  let first: number | undefined
  let last: { seq: number; hash: string } | undefined
  for await (const link of links) {
    rows++
    const line = rows + 1
    if (last && link.seq <= last.seq) return { broken: { line, seq: link.seq, problem: 'the places are out of order' } }
    if (last && link.seq === last.seq + 1 && link.previous_hash !== last.hash) return { broken: { line, seq: link.seq, problem: 'it does not name the hash of the link before it' } }
    if (linkHash(link.previous_hash, link.content) !== link.hash) return { broken: { line, seq: link.seq, problem: 'its content or hash was changed (its hash does not match)' } }
    first ??= link.seq
    last = { seq: link.seq, hash: link.hash }
  }
  return { rows, first, last }
}
