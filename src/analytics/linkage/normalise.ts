/**
 * How a column's raw text is cleaned before comparison. Dates become eight digits (YYYYMMDD) so
 * that a typo is one edit and a day-month transposition is visible; postcodes and identifiers lose
 * spaces and case; everything else is trimmed, lower-cased and has its spaces collapsed.
 */
export type ColumnKind = 'text' | 'date' | 'postcode' | 'identifier'

export const COLUMN_KINDS: readonly ColumnKind[] = ['text', 'date', 'postcode', 'identifier']

export function normaliseValue(kind: ColumnKind, raw: string | null | undefined): string | null {
  if (raw == null) return null
  const trimmed = raw.trim()
  if (trimmed === '') return null
  switch (kind) {
    case 'text':
      return trimmed.toLowerCase().replace(/\s+/g, ' ')
    case 'postcode':
    case 'identifier':
      return trimmed.toUpperCase().replace(/[\s-]+/g, '')
    case 'date':
      return normaliseDate(trimmed)
  }
}

const ISO = /^(\d{4})-?(\d{1,2})-?(\d{1,2})(?:[T ].*)?$/
// Day first, as written in the UK.
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/

/** Invalid dates (month 13) are kept: a corrupted date of birth is still evidence. */
function normaliseDate(text: string): string {
  const iso = ISO.exec(text)
  if (iso) return iso[1] + iso[2].padStart(2, '0') + iso[3].padStart(2, '0')
  const dayFirst = DAY_FIRST.exec(text)
  if (dayFirst) return dayFirst[3] + dayFirst[2].padStart(2, '0') + dayFirst[1].padStart(2, '0')
  return text.toLowerCase()
}
