// talisman ships CommonJS without type declarations; these cover the three functions Lantern uses.
declare module 'talisman/metrics/jaro-winkler.js' {
  const jaroWinkler: (a: string, b: string) => number
  export default jaroWinkler
}

declare module 'talisman/metrics/damerau-levenshtein.js' {
  interface DamerauLevenshtein {
    (a: string, b: string): number
    /** The distance, or Infinity as soon as it exceeds `max` (cheaper for small thresholds). */
    limited(max: number, a: string, b: string): number
  }
  const damerauLevenshtein: DamerauLevenshtein
  export default damerauLevenshtein
}

declare module 'talisman/phonetics/double-metaphone.js' {
  const doubleMetaphone: (word: string) => [string, string]
  export default doubleMetaphone
}
