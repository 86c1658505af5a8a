import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

/** SQL for agencies, teams, users and roles. */
export function adminStore(db: Db) {
  return {
    agencies: () =>
      db
        .selectFrom('agencies')
        .leftJoin('areas', 'areas.id', 'agencies.area_id')
        .select([
          'agencies.id',
          'agencies.name',
          'agencies.short_name',
          'agencies.kind',
          'agencies.active',
          'areas.name as area_name',
          sql<number>`(select count(*) from users u where u.agency_id = agencies.id and u.active)`.as('user_count'),
          sql<number>`(select count(*) from teams t where t.agency_id = agencies.id)`.as('team_count'),
        ])
        .orderBy('agencies.name')
        .execute(),
    agency: (id: string) => db.selectFrom('agencies').selectAll().where('id', '=', id).executeTakeFirst(),
    teams: (agencyId?: string) => {
      let q = db
        .selectFrom('teams')
        .innerJoin('agencies', 'agencies.id', 'teams.agency_id')
        .select(['teams.id', 'teams.name', 'teams.agency_id', 'agencies.short_name as agency_short_name'])
        .orderBy('agencies.short_name')
        .orderBy('teams.name')
      if (agencyId) q = q.where('teams.agency_id', '=', agencyId)
      return q.execute()
    },
    insertAgency: (v: { name: string; short_name: string; kind: string }) =>
      db
        .insertInto('agencies')
        // Oversight bodies hold no personal data, so they never receive shares; an administrator can change it.
        .values({ ...v, holds_personal_data: v.kind !== 'oversight' } as never)
        .returning('id')
        .executeTakeFirstOrThrow(),
    insertTeam: (agencyId: string, name: string) =>
      db.insertInto('teams').values({ agency_id: agencyId, name }).returning('id').executeTakeFirstOrThrow(),
    agencyNameTaken: async (name: string) =>
      Boolean(await db.selectFrom('agencies').select('id').where(sql<boolean>`lower(name) = ${name.toLowerCase()}`).executeTakeFirst()),
    teamNameTaken: async (agencyId: string, name: string) =>
      Boolean(
        await db
          .selectFrom('teams')
          .select('id')
          .where('agency_id', '=', agencyId)
          .where(sql<boolean>`lower(name) = ${name.toLowerCase()}`)
          .executeTakeFirst(),
      ),
    users: () =>
      db
        .selectFrom('users')
        .innerJoin('agencies', 'agencies.id', 'users.agency_id')
        .innerJoin('roles', 'roles.id', 'users.role')
        .leftJoin('teams', 'teams.id', 'users.team_id')
        .select([
          'users.id',
          'users.name',
          'users.email',
          'users.active',
          'users.totp_enabled_at',
          'users.last_sign_in_at',
          'users.demo_account',
          'agencies.short_name as agency_name',
          'teams.name as team_name',
          'roles.name as role_name',
        ])
        .orderBy('users.name')
        .execute(),
    user: (id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    emailTaken: async (email: string) =>
      Boolean(await db.selectFrom('users').select('id').where(sql<boolean>`lower(email) = ${email.toLowerCase()}`).executeTakeFirst()),
    roles: () => db.selectFrom('roles').selectAll().orderBy('name').execute(),
    rolePermissions: () => db.selectFrom('role_permissions').selectAll().execute(),
    insertUser: (v: { name: string; email: string; agency_id: string; team_id?: string | null; role: string; password_hash: string | null; updated_at: Date }) =>
      db.insertInto('users').values(v).returning('id').executeTakeFirstOrThrow(),
    updateUser: (id: string, v: { name: string; agency_id: string; team_id: string | null; role: string }) =>
      db
        .updateTable('users')
        .set({ ...v, updated_at: sql`now()` })
        .where('id', '=', id)
        .execute(),
    setActive: (executor: Db, id: string, active: boolean) => executor.updateTable('users').set({ active, updated_at: sql`now()` }).where('id', '=', id).execute(),
    roleExists: async (id: string) => Boolean(await db.selectFrom('roles').select('id').where('id', '=', id).executeTakeFirst()),
    /** Whether this exact address (already lower-cased by the caller) is taken. */
    emailExists: async (email: string) => Boolean(await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()),
    agencyByNameOrShortName: (name: string) =>
      db
        .selectFrom('agencies')
        .select('id')
        .where((eb) => eb.or([eb('name', '=', name), eb('short_name', '=', name)]))
        .executeTakeFirst(),
    /** Turns off every demo account; how many there were. */
    deactivateDemoAccounts: async () => Number((await db.updateTable('users').set({ active: false }).where('demo_account', '=', true).executeTakeFirst()).numUpdatedRows),
    /** Signs the person out everywhere at once. */
    endSessions: (executor: Db, userId: string) => executor.deleteFrom('sessions').where(sql<boolean>`data->>'userId' = ${userId}`).execute(),
  }
}
