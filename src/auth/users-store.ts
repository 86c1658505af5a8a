import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { CurrentUser } from '../kernel/context.ts'

/** SQL for users and what a signed-in user carries with them (agency, team, role, permissions). */
export function usersStore(db: Db) {
  return {
    findByEmail(email: string) {
      return db
        .selectFrom('users')
        .selectAll()
        .where(sql<boolean>`lower(email) = ${email.trim().toLowerCase()}`)
        .executeTakeFirst()
    },
    findByOidcSubject(subject: string) {
      return db.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst()
    },
    async currentUser(id: string): Promise<CurrentUser | undefined> {
      const row = await db
        .selectFrom('users')
        .innerJoin('agencies', 'agencies.id', 'users.agency_id')
        .innerJoin('roles', 'roles.id', 'users.role')
        .leftJoin('teams', 'teams.id', 'users.team_id')
        .select([
          'users.id',
          'users.email',
          'users.name',
          'users.agency_id',
          'users.team_id',
          'users.role',
          'users.active',
          'agencies.name as agency_name',
          'agencies.kind as agency_kind',
          'teams.name as team_name',
          'roles.name as role_name',
          'roles.sees_personal_data',
          sql<string[]>`coalesce((select array_agg(permission) from role_permissions rp where rp.role_id = users.role), '{}')`.as('permissions'),
        ])
        .where('users.id', '=', id)
        .executeTakeFirst()
      if (!row || !row.active) return undefined
      return {
        id: row.id,
        email: row.email,
        name: row.name,
        agencyId: row.agency_id,
        agencyName: row.agency_name,
        agencyKind: row.agency_kind,
        teamId: row.team_id,
        teamName: row.team_name,
        role: row.role,
        roleName: row.role_name,
        seesPersonalData: row.sees_personal_data,
        permissions: new Set(row.permissions),
      }
    },
    async recordFailure(id: string, threshold: number, lockMinutes: number): Promise<{ locked: boolean }> {
      const row = await db
        .updateTable('users')
        .set({
          failed_attempts: sql`failed_attempts + 1`,
          locked_until: sql`case when failed_attempts + 1 >= ${threshold} then now() + make_interval(mins => ${lockMinutes}) else locked_until end`,
        })
        .where('id', '=', id)
        .returning(['failed_attempts', 'locked_until'])
        .executeTakeFirstOrThrow()
      return { locked: row.failed_attempts >= threshold }
    },
    async recordSuccess(id: string) {
      await db
        .updateTable('users')
        .set({ failed_attempts: 0, locked_until: null, last_sign_in_at: sql`now()` })
        .where('id', '=', id)
        .execute()
    },
    async bindOidcSubject(id: string, subject: string) {
      await db.updateTable('users').set({ oidc_subject: subject, updated_at: sql`now()` }).where('id', '=', id).execute()
    },
  }
}

export type UsersStore = ReturnType<typeof usersStore>
