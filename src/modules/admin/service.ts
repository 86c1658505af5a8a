import type { z } from 'zod'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { hashPassword } from '../../auth/passwords.ts'
import { accountAdministration } from '../../auth/service.ts'
import { PERMISSIONS } from '../../access/permissions.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import type { agencySchema, editUserSchema, newUserSchema } from './schemas.ts'
import { adminStore } from './store.ts'

/** Administration of agencies, teams and users. Every change is permission-checked and audited. */
export function adminService({ db, access, audit, clock, config }: ModuleDeps) {
  const store = adminStore(db)
  const accounts = accountAdministration(db, config)

  async function teamBelongsTo(teamId: string | undefined, agencyId: string) {
    if (!teamId) return true
    const teams = await store.teams(agencyId)
    return teams.some((t) => t.id === teamId)
  }

  return {
    async agencies(ctx: RequestContext) {
      await access.authorise(ctx, 'admin:agencies')
      return store.agencies()
    },
    async agencyWithTeams(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'admin:agencies')
      const agency = await store.agency(id)
      if (!agency) throw new NotFoundError()
      return { agency, teams: await store.teams(id) }
    },
    async addAgency(ctx: RequestContext, input: z.infer<typeof agencySchema>): Promise<Result<string>> {
      await access.authorise(ctx, 'admin:agencies')
      if (await store.agencyNameTaken(input.name)) {
        return { ok: false, errors: formErrors([{ field: 'name', message: 'An agency with this name already exists' }]) }
      }
      const { id } = await store.insertAgency({ name: input.name, short_name: input.shortName, kind: input.kind })
      await audit.record(ctx, { action: 'create', recordType: 'agency', recordId: id, details: { name: input.name } })
      return { ok: true, value: id }
    },
    async addTeam(ctx: RequestContext, agencyId: string, name: string): Promise<Result<string>> {
      await access.authorise(ctx, 'admin:agencies')
      if (!(await store.agency(agencyId))) throw new NotFoundError()
      if (await store.teamNameTaken(agencyId, name)) {
        return { ok: false, errors: formErrors([{ field: 'name', message: 'This agency already has a team with this name' }]) }
      }
      const { id } = await store.insertTeam(agencyId, name)
      await audit.record(ctx, { action: 'create', recordType: 'team', recordId: id, details: { agencyId, name } })
      return { ok: true, value: id }
    },
    async users(ctx: RequestContext) {
      await access.authorise(ctx, 'admin:users')
      return store.users()
    },
    async formOptions(ctx: RequestContext) {
      await access.authorise(ctx, 'admin:users')
      const [agencies, teams, roles] = await Promise.all([store.agencies(), store.teams(), store.roles()])
      return {
        agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
        teams: teams.map((t) => ({ value: t.id, text: `${t.name} (${t.agency_short_name})` })),
        roles: roles.map((r) => ({ value: r.id, text: r.name })),
      }
    },
    async user(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'admin:users')
      const user = await store.user(id)
      if (!user) throw new NotFoundError()
      return user
    },
    async addUser(ctx: RequestContext, input: z.infer<typeof newUserSchema>): Promise<Result<string>> {
      await access.authorise(ctx, 'admin:users')
      const issues: { field: string; message: string }[] = []
      if (await store.emailTaken(input.email)) issues.push({ field: 'email', message: 'A user with this email address already exists' })
      if (!(await teamBelongsTo(input.teamId, input.agencyId))) issues.push({ field: 'teamId', message: 'Select a team of the chosen agency' })
      if (!(await store.roles()).some((r) => r.id === input.role)) issues.push({ field: 'role', message: 'Select a role' })
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const row = await store.insertUser({
        name: input.name,
        email: input.email.toLowerCase(),
        agency_id: input.agencyId,
        team_id: input.teamId ?? null,
        role: input.role,
        password_hash: input.password ? await hashPassword(input.password) : null,
        updated_at: clock.now(),
      })
      await audit.record(ctx, { action: 'create', recordType: 'user', recordId: row.id, details: { role: input.role, agencyId: input.agencyId } })
      return { ok: true, value: row.id }
    },
    async updateUser(ctx: RequestContext, id: string, input: z.infer<typeof editUserSchema>): Promise<Result<string>> {
      await access.authorise(ctx, 'admin:users')
      const before = await store.user(id)
      if (!before) throw new NotFoundError()
      const issues: { field: string; message: string }[] = []
      if (!(await teamBelongsTo(input.teamId, input.agencyId))) issues.push({ field: 'teamId', message: 'Select a team of the chosen agency' })
      if (!(await store.roles()).some((r) => r.id === input.role)) issues.push({ field: 'role', message: 'Select a role' })
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      await store.updateUser(id, { name: input.name, agency_id: input.agencyId, team_id: input.teamId ?? null, role: input.role })
      await audit.record(ctx, {
        action: 'update',
        recordType: 'user',
        recordId: id,
        details: { from: { role: before.role, agencyId: before.agency_id, teamId: before.team_id }, to: { role: input.role, agencyId: input.agencyId, teamId: input.teamId ?? null } },
      })
      return { ok: true, value: id }
    },
    /** In production a demo account (its password is published) can never be made active again. */
    async setActive(ctx: RequestContext, id: string, active: boolean): Promise<{ ok: true } | { ok: false; message: string }> {
      await access.authorise(ctx, 'admin:users')
      const user = await store.user(id)
      if (!user) throw new NotFoundError()
      if (active && user.demo_account && config.mode === 'production') {
        await audit.record(ctx, { action: 'reactivate-refused', recordType: 'user', recordId: id, details: { reason: 'demo-account' } })
        return { ok: false, message: 'This is a demo account, whose password is published. It cannot be used in production: add a new user instead' }
      }
      await db.transaction().execute(async (trx) => {
        await store.setActive(trx, id, active)
        if (!active) await store.endSessions(trx, id)
        await audit.record(ctx, { action: active ? 'reactivate' : 'deactivate', recordType: 'user', recordId: id }, trx)
      })
      return { ok: true }
    },
    /** Lets the person try again at once from anywhere, after failures slowed their sign-in (src/auth/throttle.ts). */
    async clearSignInDelays(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'admin:users')
      const user = await store.user(id)
      if (!user) throw new NotFoundError()
      await accounts.clearDelays(user.email)
      await audit.record(ctx, { action: 'sign-in-delays-cleared', recordType: 'user', recordId: id })
    },
    /** A new password for someone who forgot theirs: the policy applies, and every session of theirs ends. */
    async resetPassword(ctx: RequestContext, id: string, password: string): Promise<Result<string>> {
      await access.authorise(ctx, 'admin:users')
      const user = await store.user(id)
      if (!user) throw new NotFoundError()
      const problem = await accounts.setPassword(user, password)
      if (problem) return { ok: false, errors: formErrors([{ field: 'password', message: problem }]) }
      await audit.record(ctx, { action: 'password-reset', recordType: 'user', recordId: id, details: { sessionsEnded: true } })
      return { ok: true, value: id }
    },
    /** For a lost phone: the second factor and recovery codes go, every session ends, and it is set up again at the next sign-in. */
    async resetSecondFactor(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'admin:users')
      if (!(await store.user(id))) throw new NotFoundError()
      await accounts.resetSecondFactor(id)
      await audit.record(ctx, { action: 'two-factor-reset', recordType: 'user', recordId: id, details: { sessionsEnded: true } })
    },
    async roles(ctx: RequestContext) {
      await access.authorise(ctx, 'admin:users')
      const [roles, grants] = await Promise.all([store.roles(), store.rolePermissions()])
      const held = new Set(grants.map((g) => `${g.role_id} ${g.permission}`))
      return {
        roles,
        permissions: Object.entries(PERMISSIONS).map(([permission, description]) => ({
          permission,
          description,
          roles: roles.map((r) => held.has(`${r.id} ${permission}`)),
        })),
      }
    },
  }
}

export type AdminService = ReturnType<typeof adminService>
