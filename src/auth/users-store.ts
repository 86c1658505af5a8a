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
    findById(id: string) {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    },
    /** An account bound to this provider's subject; one bound before issuers were kept matches any. */
    findByOidcSubject(issuer: string, subject: string) {
      return db
        .selectFrom('users')
        .selectAll()
        .where('oidc_subject', '=', subject)
        .where((eb) => eb.or([eb('oidc_issuer', '=', issuer), eb('oidc_issuer', 'is', null)]))
        .executeTakeFirst()
    },
    /** `refuseDemo`: in production a demo account is nobody, whatever its state. */
    async currentUser(id: string, options: { refuseDemo?: boolean } = {}): Promise<CurrentUser | undefined> {
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
          'users.demo_account',
          'agencies.name as agency_name',
          'agencies.kind as agency_kind',
          'teams.name as team_name',
          'roles.name as role_name',
          'roles.sees_personal_data',
          sql<string[]>`coalesce((select array_agg(permission) from role_permissions rp where rp.role_id = users.role), '{}')`.as('permissions'),
        ])
        .where('users.id', '=', id)
        .executeTakeFirst()
      if (!row || !row.active || (options.refuseDemo && row.demo_account)) return undefined
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
    async recordSuccess(id: string) {
      await db
        .updateTable('users')
        .set({ last_sign_in_at: sql`now()` })
        .where('id', '=', id)
        .execute()
    },
    async bindOidcSubject(id: string, issuer: string, subject: string) {
      await db.updateTable('users').set({ oidc_subject: subject, oidc_issuer: issuer, updated_at: sql`now()` }).where('id', '=', id).execute()
    },
    /** A new password; every session of the person ends but `keepSid` (their own, on a change they made). */
    async setPassword(id: string, passwordHash: string, keepSid?: string) {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: sql`now()` }).where('id', '=', id).execute()
        let sessions = trx.deleteFrom('sessions').where(sql<boolean>`data->>'userId' = ${id}`)
        if (keepSid) sessions = sessions.where('sid', '<>', keepSid)
        await sessions.execute()
      })
    },
    /** Accepts a TOTP time step once: false when it (or a later one) was used already. */
    async useTotpStep(id: string, step: number): Promise<boolean> {
      const row = await db
        .updateTable('users')
        .set({ totp_last_step: String(step) })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
        .returning('id')
        .executeTakeFirst()
      return Boolean(row)
    },
    /** Every stored TOTP secret, as stored (sealed, or in clear from before sealing), for `lantern secrets reseal`. */
    totpSecrets() {
      return db.selectFrom('users').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).orderBy('id').execute() as Promise<{ id: string; totp_secret: string }[]>
    },
    /** Replaces a stored TOTP secret only if it is still `from`, so a change made meanwhile is never undone. */
    async replaceTotpSecret(id: string, from: string, to: string): Promise<boolean> {
      const row = await db.updateTable('users').set({ totp_secret: to }).where('id', '=', id).where('totp_secret', '=', from).returning('id').executeTakeFirst()
      return Boolean(row)
    },
    /** Turns on the second factor with a confirmed secret and a fresh set of recovery codes. */
    async enableTotp(id: string, sealedSecret: string, step: number, codeHashes: string[]) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ totp_secret: sealedSecret, totp_enabled_at: sql`now()`, totp_last_step: String(step), updated_at: sql`now()` })
          .where('id', '=', id)
          .execute()
        await trx.deleteFrom('recovery_codes').where('user_id', '=', id).execute()
        await trx.insertInto('recovery_codes').values(codeHashes.map((code_hash) => ({ user_id: id, code_hash }))).execute()
      })
    },
    async replaceRecoveryCodes(id: string, codeHashes: string[]) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('recovery_codes').where('user_id', '=', id).execute()
        await trx.insertInto('recovery_codes').values(codeHashes.map((code_hash) => ({ user_id: id, code_hash }))).execute()
      })
    },
    /** Uses a recovery code once: true only for the one request that marks it used. */
    async useRecoveryCode(id: string, codeHash: string): Promise<boolean> {
      const row = await db
        .updateTable('recovery_codes')
        .set({ used_at: sql`now()` })
        .where('user_id', '=', id)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .returning('id')
        .executeTakeFirst()
      return Boolean(row)
    },
    async unusedRecoveryCodes(id: string): Promise<number> {
      const row = await db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('user_id', '=', id)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
    /** An administrator turns the second factor off: the person sets it up again at their next sign-in. */
    async resetTotp(id: string) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: sql`now()` })
          .where('id', '=', id)
          .execute()
        await trx.deleteFrom('recovery_codes').where('user_id', '=', id).execute()
        await trx.deleteFrom('sessions').where(sql<boolean>`data->>'userId' = ${id}`).execute()
      })
    },
  }
}

export type UsersStore = ReturnType<typeof usersStore>
