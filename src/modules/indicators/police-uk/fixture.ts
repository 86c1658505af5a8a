import type { Db } from '../../../db/index.ts'
import { STREET_HEADER } from './import.ts'

/**
 * A police.uk street-level file generated from counts Lantern already holds (for tests and
 * demonstrations): the counts of one force's month, per local authority and category, as rows,
 * with any extra crimes added. LSOA names are "<authority> 001A" so the import maps them back.
 */
export async function monthFileFromCounts(
  db: Db,
  options: { force: string; fromMonth: string; asMonth: string; extra?: { area: string; category: string; count: number }[] },
): Promise<string> {
  const counts = await db
    .selectFrom('crime_counts')
    .innerJoin('areas as f', 'f.id', 'crime_counts.force_area_id')
    .innerJoin('areas as a', 'a.id', 'crime_counts.area_id')
    .select(['a.name as area', 'crime_counts.category', 'crime_counts.count'])
    .where('f.name', '=', options.force)
    .where('crime_counts.month', '=', options.fromMonth)
    .where('a.kind', 'in', ['district', 'unitary', 'london_borough', 'metropolitan'])
    .execute()
  const rows = counts.map((c) => ({ ...c }))
  for (const e of options.extra ?? []) {
    const row = rows.find((r) => r.area === e.area && r.category === e.category)
    if (row) row.count += e.count
    else rows.push({ area: e.area, category: e.category, count: e.count })
  }
  const month = options.asMonth.slice(0, 7)
  const lines = [STREET_HEADER.join(',')]
  let n = 0
  for (const r of rows) {
    for (let i = 0; i < r.count; i++) {
      n++
      const id = r.category === 'Anti-social behaviour' ? '' : `gen${String(n).padStart(8, '0')}`
      lines.push([id, month, options.force, options.force, '-1.0', '50.9', 'On or near High Street', 'E01000001', `${r.area} 001A`, r.category, 'Under investigation', ''].join(','))
    }
  }
  return `${lines.join('\r\n')}\r\n`
}
