import type { Db } from '../../../db/index.ts'
import { LOCAL_AUTHORITY_KINDS } from '../../../db/areas.ts'

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

/** A stable stand-in code for an area Lantern does not know the ONS code of. */
export function provisionalCode(name: string, kind: 'force' | 'local_authority'): string {
  const slug = name
    .toUpperCase()
    .replace(/&/g, 'AND')
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return `${kind === 'force' ? 'FORCE' : 'LA'}-${slug}`
}

/**
 * The areas an import places rows in, read once per import: the force areas (with the names
 * police.uk has used for each) and the partnership's local authorities. It never creates one.
 */
export class PartnershipAreas {
  private constructor(
    private readonly forces: Map<string, { id: string; name: string }>,
    private readonly localAuthorities: Map<string, string>,
    private readonly former: Map<string, string[]>,
  ) {}

  static async load(db: Db): Promise<PartnershipAreas> {
    const [areas, names] = await Promise.all([
      db.selectFrom('areas').select(['id', 'name', 'kind', 'in_partnership']).execute(),
      db.selectFrom('police_force_names').select(['name', 'force_name']).execute(),
    ])
    const forces = new Map<string, { id: string; name: string }>()
    const localAuthorities = new Map<string, string>()
    for (const a of areas) {
      if (a.kind === 'force') forces.set(a.name.toLowerCase(), { id: a.id, name: a.name })
      else if (a.in_partnership && LOCAL_AUTHORITY_KINDS.includes(a.kind)) localAuthorities.set(a.name.toLowerCase(), a.id)
    }
    const former = new Map<string, string[]>()
    for (const n of names) {
      const force = forces.get(n.force_name.toLowerCase())
      if (!force) continue
      // An area an earlier import made for the former name: its months are the force's months.
      const old = forces.get(n.name.toLowerCase())
      if (old) former.set(force.id, [...(former.get(force.id) ?? []), old.id])
      forces.set(n.name.toLowerCase(), force)
    }
    return new PartnershipAreas(forces, localAuthorities, former)
  }

  /** The force area a "Falls within" name means, under its current or a former name. */
  force(fallsWithin: string): { id: string; name: string } | undefined {
    return this.forces.get(fallsWithin.toLowerCase())
  }

  /** The partnership's local authority of this name, or null when it is outside the partnership. */
  localAuthority(name: string): string | null {
    return this.localAuthorities.get(name.toLowerCase()) ?? null
  }

  /** Areas earlier imports made for former names of this force. */
  formerForceAreas(forceAreaId: string): string[] {
    return this.former.get(forceAreaId) ?? []
  }
}
