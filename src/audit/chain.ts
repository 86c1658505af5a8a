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
 * first). Returns the first break, or the last link checked.
 */
export function checkLinks(previous: { seq: number; hash: string }, links: Link[]): { broken: Break } | { last: { seq: number; hash: string } } {
  let last = previous
  for (const link of links) {
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
