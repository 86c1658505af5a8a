/** An ILIKE pattern matching text that contains `text` as typed: its %, _ and \ match only themselves. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`
}

/** `text` as a LIKE pattern that matches only itself: its %, _ and \ escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}
