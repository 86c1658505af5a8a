/**
 * Where a police.uk row belongs. The LSOA name starts with its local authority ("Plymouth 029C",
 * "Isles of Scilly 001A", "North Devon 012B"): the authority is everything before the final space
 * and code token. The force is the "Falls within" column.
 */

const LSOA_NAME = /^(.+) (\d{3}[A-Z])$/

/** The local authority named by an LSOA name, or null when the name is not in that form. */
export function localAuthorityOf(lsoaName: string): string | null {
  const match = LSOA_NAME.exec(lsoaName.trim())
  return match ? match[1].trim() : null
}

export interface KnownArea {
  code: string
  kind: 'county' | 'district' | 'unitary' | 'london_borough' | 'force'
  /** The county a district belongs to, by name (created when first met). */
  parent?: string
}

/**
 * ONS codes of the areas the shared Devon and Cornwall data meets, so imported areas carry their
 * real codes. An authority not listed here is created with a code made from its name (kind
 * district); an administrator can correct it later.
 */
export const KNOWN_AREAS: Record<string, KnownArea> = {
  'Devon & Cornwall Police': { code: 'E23000035', kind: 'force' },
  Devon: { code: 'E10000008', kind: 'county' },
  Cornwall: { code: 'E06000052', kind: 'unitary' },
  'Isles of Scilly': { code: 'E06000053', kind: 'unitary' },
  Plymouth: { code: 'E06000026', kind: 'unitary' },
  Torbay: { code: 'E06000027', kind: 'unitary' },
  'East Devon': { code: 'E07000040', kind: 'district', parent: 'Devon' },
  Exeter: { code: 'E07000041', kind: 'district', parent: 'Devon' },
  'Mid Devon': { code: 'E07000042', kind: 'district', parent: 'Devon' },
  'North Devon': { code: 'E07000043', kind: 'district', parent: 'Devon' },
  'South Hams': { code: 'E07000044', kind: 'district', parent: 'Devon' },
  Teignbridge: { code: 'E07000045', kind: 'district', parent: 'Devon' },
  Torridge: { code: 'E07000046', kind: 'district', parent: 'Devon' },
  'West Devon': { code: 'E07000047', kind: 'district', parent: 'Devon' },
}

/** A stable stand-in code for an area Lantern does not know the ONS code of. */
export function provisionalCode(name: string, kind: 'force' | 'local_authority'): string {
  const slug = name
    .toUpperCase()
    .replace(/&/g, 'AND')
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return `${kind === 'force' ? 'FORCE' : 'LA'}-${slug}`
}
