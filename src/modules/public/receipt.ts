import { createHash, randomInt } from 'node:crypto'

/**
 * The receipt a reporter may keep to come back to a report without an account: 32 characters from
 * the reference alphabet (about 158 random bits), shown once, in groups of four so it can be
 * copied out by hand. Lantern keeps only its SHA-256 hash: with that much randomness a plain hash
 * cannot be reversed or guessed, and a lookup by hash needs no per-row salt.
 */
// No 0/O, 1/I/L: it may be written down and typed back in.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
const LENGTH = 32

export function newReceipt(): string {
  let s = ''
  for (let i = 0; i < LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)]
  return s.match(/.{4}/g)!.join('-')
}

/** What a reporter typed, as the receipt it stands for: spaces, dashes and case do not matter; O is read as 0 is not in it. */
export function normaliseReceipt(input: string): string | null {
  const plain = input.toUpperCase().replace(/[\s-]/g, '')
  if (plain.length !== LENGTH || [...plain].some((c) => !ALPHABET.includes(c))) return null
  return plain.match(/.{4}/g)!.join('-')
}

export function hashReceipt(receipt: string): string {
  return createHash('sha256').update(receipt).digest('hex')
}
