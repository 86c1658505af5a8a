import type { ImportedMonth } from '../tables.ts'

const n = (v: number) => v.toLocaleString('en-GB')

/** One line per force's month of an import or its preview: added, replaced and left out of the areas. */
export function monthLines(months: ImportedMonth[]): string[] {
  return months.map((m) => {
    const parts = [`${n(m.rows)} rows`]
    if (m.replaced) parts.push(`replacing ${n(m.replaced)}`)
    if (m.outside) parts.push(`${n(m.outside)} outside the partnership`)
    if (m.withoutLocation) parts.push(`${n(m.withoutLocation)} without a location`)
    return `${m.force} ${m.month}: ${parts.join(', ')}`
  })
}
