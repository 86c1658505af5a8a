import jaroWinkler from 'talisman/metrics/jaro-winkler.js'
import damerauLevenshtein from 'talisman/metrics/damerau-levenshtein.js'
import doubleMetaphone from 'talisman/phonetics/double-metaphone.js'

/** String measures come from talisman (a maintained library); this file only adapts them. */
export function jaroWinklerSimilarity(a: string, b: string): number {
  return jaroWinkler(a, b)
}

/** Damerau-Levenshtein (optimal string alignment) distance, or Infinity once it exceeds `max`. */
export function editDistanceAtMost(a: string, b: string, max: number): number {
  return damerauLevenshtein.limited(max, a, b)
}

/** Primary and alternate Double Metaphone codes; empty codes (a name of digits) never match. */
export function doubleMetaphoneCodes(value: string): readonly [string, string] {
  return doubleMetaphone(value)
}

export function phoneticMatch(a: readonly [string, string], b: readonly [string, string]): boolean {
  return (a[0] !== '' && (a[0] === b[0] || a[0] === b[1])) || (a[1] !== '' && (a[1] === b[0] || a[1] === b[1]))
}

export interface DateParts {
  readonly year: string
  readonly month: string
  readonly day: string
}

/** Parts of a normalised date (YYYYMMDD); anything else has none. */
export function dateParts(value: string): DateParts | null {
  if (!/^\d{8}$/.test(value)) return null
  return { year: value.slice(0, 4), month: value.slice(4, 6), day: value.slice(6, 8) }
}

export interface PostcodeParts {
  /** "SW" of SW1A 1AA */
  readonly area: string
  /** "SW1A" */
  readonly district: string
  /** "SW1A 1" */
  readonly sector: string
}

const UK_POSTCODE = /^([A-Z]{1,2})(\d[A-Z\d]?)(\d)[A-Z]{2}$/

/** Parts of a normalised UK postcode (upper case, no space); other shapes have none. */
export function postcodeParts(value: string): PostcodeParts | null {
  const m = UK_POSTCODE.exec(value)
  if (!m) return null
  const district = m[1] + m[2]
  return { area: m[1], district, sector: `${district} ${m[3]}` }
}
