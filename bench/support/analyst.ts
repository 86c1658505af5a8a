import type { Db } from '../../src/db/index.ts'
import type { Permission } from '../../src/access/permissions.ts'
import type { RequestContext } from '../../src/kernel/context.ts'

/**
 * The demo's police analyst as a request context for benches that call services directly. With
 * `permissions` the analyst holds only those (the indicators bench: protected counts); without,
 * the analyst's role's own (exact counts, as the analyst sees the pages).
 */
export async function analystContext(db: Db, permissions?: Permission[]): Promise<RequestContext> {
  const analyst = await db.selectFrom('users').selectAll().where('email', '=', 'analyst@lantern.test').executeTakeFirstOrThrow()
  const held = permissions ?? (await db.selectFrom('role_permissions').select('permission').where('role_id', '=', analyst.role).execute()).map((p) => p.permission as Permission)
  return {
    requestId: 'bench',
    user: {
      id: analyst.id,
      email: analyst.email,
      name: analyst.name,
      agencyId: analyst.agency_id,
      agencyName: '',
      agencyKind: 'police',
      teamId: analyst.team_id,
      teamName: null,
      role: analyst.role,
      roleName: 'Analyst',
      seesPersonalData: true,
      permissions: new Set(held),
    },
  }
}
