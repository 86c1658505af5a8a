import type { Db } from '../../src/db/index.ts'
import { LOCAL_AUTHORITY_KINDS } from '../../src/db/areas.ts'
import { STREET_HEADER } from '../../src/modules/indicators/police-uk/import.ts'

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
    .where('a.kind', 'in', LOCAL_AUTHORITY_KINDS)
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

/** The Devon and Cornwall force area and local authorities, with their ONS codes, as an administrator would set them up. */
export const DEVON_AND_CORNWALL_AREAS = [
  { code: 'E23000035', name: 'Devon & Cornwall Police', kind: 'force' },
  { code: 'E10000008', name: 'Devon', kind: 'county' },
  { code: 'E06000052', name: 'Cornwall', kind: 'unitary' },
  { code: 'E06000053', name: 'Isles of Scilly', kind: 'unitary' },
  { code: 'E06000026', name: 'Plymouth', kind: 'unitary' },
  { code: 'E06000027', name: 'Torbay', kind: 'unitary' },
  { code: 'E07000040', name: 'East Devon', kind: 'district', parent: 'E10000008' },
  { code: 'E07000041', name: 'Exeter', kind: 'district', parent: 'E10000008' },
  { code: 'E07000042', name: 'Mid Devon', kind: 'district', parent: 'E10000008' },
  { code: 'E07000043', name: 'North Devon', kind: 'district', parent: 'E10000008' },
  { code: 'E07000044', name: 'South Hams', kind: 'district', parent: 'E10000008' },
  { code: 'E07000045', name: 'Teignbridge', kind: 'district', parent: 'E10000008' },
  { code: 'E07000046', name: 'Torridge', kind: 'district', parent: 'E10000008' },
  { code: 'E07000047', name: 'West Devon', kind: 'district', parent: 'E10000008' },
] as const

/** Adds the Devon and Cornwall areas (the import never creates areas); returns their ids by name. */
export async function addDevonAndCornwallAreas(db: Db, options: { outside?: string[] } = {}): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  const byCode = new Map<string, string>()
  for (const a of DEVON_AND_CORNWALL_AREAS) {
    const { id } = await db
      .insertInto('areas')
      .values({ code: a.code, name: a.name, kind: a.kind, parent_id: 'parent' in a ? (byCode.get(a.parent) ?? null) : null, in_partnership: !options.outside?.includes(a.name) })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.set(a.name, id)
    byCode.set(a.code, id)
  }
  return ids
}
