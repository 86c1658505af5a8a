import type { z } from 'zod'
import type { RequestContext } from '../../kernel/context.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { scrutinyStore } from './store.ts'
import { decorate } from './decorate.ts'
import { fail, type Result } from '../../kernel/form-errors.ts'
import type { ScrutinyCore } from './service-core.ts'
import { slugify } from './domain.ts'
import type { bodySchema, memberSchema, scrutinisedSchema } from './schemas.ts'

/** The scrutiny bodies: their overview, settings, members and the organisations they scrutinise. */
export function bodiesService(core: ScrutinyCore) {
  const { db, access, audit } = core.deps
  const { store, today, user, visibility, mayOnBody, authoriseOnBody, bodyOr404, agencyName } = core
  return {
    async overview(ctx: RequestContext) {
      await access.authorise(ctx, 'scrutiny:view')
      const day = today()
      const v = visibility(ctx)
      const [bodies, counts, overdue] = await Promise.all([
        store.bodies(false),
        store.bodyCounts(day, v),
        store.tracker({ overdueOnly: true }, v, day, { limit: 50 }),
      ])
      const mine = await Promise.all(bodies.map(async (b) => ({ ...b, counts: counts.get(b.id), canEdit: await mayOnBody(ctx, 'scrutiny:edit', b) })))
      const awaitingMine = ctx.user!.permissions.has('scrutiny:respond')
        ? (await store.tracker({ addresseeAgencyId: ctx.user!.agencyId, openOnly: true }, v, day, { limit: 200 })).map((r) => decorate(r, day)).filter((r) => r.awaiting)
        : []
      return { bodies: mine, overdue: overdue.map((r) => decorate(r, day)), awaitingMine, today: day }
    },

    // Bodies

    async body(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'scrutiny:view')
      const body = await bodyOr404(id)
      const [members, scrutinises, meetings, counts] = await Promise.all([
        store.members(id),
        store.scrutinises(id),
        store.meetings(id),
        store.bodyCounts(today(), visibility(ctx)),
      ])
      return { body, members, scrutinises, meetings, counts: counts.get(id), canEdit: await mayOnBody(ctx, 'scrutiny:edit', body), today: today() }
    },

    async bodyOptions(ctx: RequestContext) {
      await access.authorise(ctx, 'scrutiny:view')
      return store.bodies(false)
    },

    async agencies() {
      return store.agencies()
    },

    async createBody(ctx: RequestContext, input: z.infer<typeof bodySchema>): Promise<Result<string>> {
      await access.authorise(ctx, 'scrutiny:edit')
      const u = user(ctx)
      const slug = slugify(input.name)
      if (!slug || ['manage', 'feed', 'tracker', 'files'].includes(slug)) return fail('name', 'Enter a name that includes letters or numbers')
      if ((await store.nameTaken(input.name)) || (await store.slugTaken(slug))) return fail('name', 'A body with this name already exists')
      const agencyId = input.agencyId ?? u.agencyId
      const id = await db.transaction().execute(async (trx) => {
        const row = await scrutinyStore(trx).insertBody({
          slug,
          code: input.code.toUpperCase(),
          name: input.name,
          kind: input.kind,
          description: input.description ?? '',
          agency_id: agencyId,
          support_agency_id: agencyId === u.agencyId ? null : u.agencyId,
          response_days: input.responseDays,
          reminder_days: input.reminderDays,
          public: input.public,
          clerk_email: input.clerkEmail ?? null,
        })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_body', recordId: row.id, details: { name: input.name } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    async updateBody(ctx: RequestContext, id: string, input: z.infer<typeof bodySchema>): Promise<Result<string>> {
      const body = await bodyOr404(id)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      if (await store.nameTaken(input.name, id)) return fail('name', 'A body with this name already exists')
      await db.transaction().execute(async (trx) => {
        await scrutinyStore(trx).updateBody(id, {
          name: input.name,
          code: input.code.toUpperCase(),
          kind: input.kind,
          description: input.description ?? '',
          agency_id: input.agencyId ?? body.agency_id,
          response_days: input.responseDays,
          reminder_days: input.reminderDays,
          public: input.public,
          clerk_email: input.clerkEmail ?? null,
        })
        await audit.record(ctx, { action: 'update', recordType: 'scrutiny_body', recordId: id, details: { public: input.public, responseDays: input.responseDays } }, trx)
      })
      return { ok: true, value: id }
    },

    async addMember(ctx: RequestContext, bodyId: string, input: z.infer<typeof memberSchema>) {
      const body = await bodyOr404(bodyId)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      await db.transaction().execute(async (trx) => {
        const row = await scrutinyStore(trx).insertMember({ body_id: bodyId, name: input.memberName, role: input.memberRole, organisation: input.memberOrganisation ?? '' })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_member', recordId: row.id, details: { bodyId, role: input.memberRole } }, trx)
      })
    },

    async removeMember(ctx: RequestContext, bodyId: string, memberId: string) {
      const body = await bodyOr404(bodyId)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      await db.transaction().execute(async (trx) => {
        const result = await scrutinyStore(trx).deleteMember(bodyId, memberId)
        if (!Number(result.numDeletedRows)) throw new NotFoundError()
        await audit.record(ctx, { action: 'delete', recordType: 'scrutiny_member', recordId: memberId, details: { bodyId } }, trx)
      })
    },

    async addScrutinised(ctx: RequestContext, bodyId: string, input: z.infer<typeof scrutinisedSchema>): Promise<Result<string>> {
      const body = await bodyOr404(bodyId)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      const name = input.scrutinisedOrganisation ?? (await agencyName(input.scrutinisedAgencyId))
      if (!name) return fail('scrutinisedAgencyId', 'Select an organisation')
      if (await store.scrutinisedTaken(bodyId, name)) return fail('scrutinisedAgencyId', `${name} is already listed`)
      const row = await db.transaction().execute(async (trx) => {
        const r = await scrutinyStore(trx).insertScrutinised({ body_id: bodyId, organisation: name, agency_id: input.scrutinisedOrganisation ? null : (input.scrutinisedAgencyId ?? null) })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_scrutinises', recordId: r.id, details: { bodyId, organisation: name } }, trx)
        return r
      })
      return { ok: true, value: row.id }
    },
  }
}
