import { sql } from 'kysely'
import type { z } from 'zod'
import type { Db } from '../../db/index.ts'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { attendanceReport, attendedFrom, formatLongDate } from './domain.ts'
import { checkUpload, fail, type Result, type UploadedFile } from './service.ts'
import type { attendanceSchema, eventSchema, invitationSchema } from './schemas.ts'

/**
 * Awareness workshops and other events for agencies: who was invited, who came (by organisation,
 * service and role: no names are kept), and the materials used. The report answers the panel's
 * question: "who attended, were district council officers attending, and were county council
 * children's services officers also attending?"
 */
export function eventsStore(db: Db) {
  return {
    events: () =>
      db
        .selectFrom('scrutiny_events as e')
        .leftJoin('scrutiny_bodies as b', 'b.id', 'e.body_id')
        .selectAll('e')
        .select([
          'b.name as body_name',
          sql<number>`(select coalesce(sum(a.attendees), 0) from scrutiny_event_attendance a where a.event_id = e.id)`.as('attendees'),
          sql<number>`(select count(distinct lower(a.organisation)) from scrutiny_event_attendance a where a.event_id = e.id)`.as('organisations'),
          sql<number>`(select count(*) from scrutiny_event_invitations v where v.event_id = e.id)`.as('invited'),
        ])
        .orderBy('e.event_date', 'desc')
        .execute(),
    event: (id: string) =>
      db
        .selectFrom('scrutiny_events as e')
        .leftJoin('scrutiny_bodies as b', 'b.id', 'e.body_id')
        .leftJoin('agencies as a', 'a.id', 'e.organiser_agency_id')
        .selectAll('e')
        .select(['b.name as body_name', 'a.name as organiser_name'])
        .where('e.id', '=', id)
        .executeTakeFirst(),
    insertEvent: (v: {
      body_id: string | null
      organiser_agency_id: string | null
      title: string
      kind: 'workshop' | 'briefing' | 'training' | 'conference'
      event_date: string
      start_time: string | null
      location: string
      audience: string
      description: string
      created_by: string | null
    }) => db.insertInto('scrutiny_events').values(v).returning('id').executeTakeFirstOrThrow(),
    invitations: (eventIds: string[]) =>
      eventIds.length
        ? db.selectFrom('scrutiny_event_invitations').selectAll().where('event_id', 'in', eventIds).orderBy('organisation').execute()
        : Promise.resolve([]),
    invited: async (eventId: string, organisation: string) =>
      Boolean(
        await db
          .selectFrom('scrutiny_event_invitations')
          .select('id')
          .where('event_id', '=', eventId)
          .where(sql<boolean>`lower(organisation) = ${organisation.toLowerCase()}`)
          .executeTakeFirst(),
      ),
    insertInvitation: (v: { event_id: string; organisation: string; organisation_kind: string; agency_id: string | null; created_by: string | null }) =>
      db.insertInto('scrutiny_event_invitations').values(v).returning('id').executeTakeFirstOrThrow(),
    attendance: (eventIds: string[]) =>
      eventIds.length
        ? db.selectFrom('scrutiny_event_attendance').selectAll().where('event_id', 'in', eventIds).orderBy('organisation').orderBy('service').orderBy('role').execute()
        : Promise.resolve([]),
    insertAttendance: (v: { event_id: string; organisation: string; organisation_kind: string; agency_id: string | null; service: string; role: string; attendees: number; created_by: string | null }) =>
      db.insertInto('scrutiny_event_attendance').values(v).returning('id').executeTakeFirstOrThrow(),
    deleteAttendance: (eventId: string, id: string) => db.deleteFrom('scrutiny_event_attendance').where('event_id', '=', eventId).where('id', '=', id).executeTakeFirst(),
    materials: (eventId: string) =>
      db
        .selectFrom('scrutiny_files')
        .select(['id', 'title', 'filename', 'content_type', 'size_bytes', 'url', 'uploaded_at'])
        .where('event_id', '=', eventId)
        .orderBy('uploaded_at')
        .execute(),
    insertMaterial: (v: { event_id: string; title: string; filename: string; content_type: string; size_bytes: number; content: Buffer; uploaded_by: string }) =>
      db
        .insertInto('scrutiny_files')
        .values({ ...v, kind: 'material', agenda_item_id: null, body_id: null, url: null, restricted: false })
        .returning('id')
        .executeTakeFirstOrThrow(),
    agencies: () => db.selectFrom('agencies').select(['id', 'name', 'kind']).where('active', '=', true).orderBy('name').execute(),
    agency: (id: string) => db.selectFrom('agencies').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirst(),
  }
}

/** Children's services, by any of the names councils give it. */
export const CHILDRENS_SERVICES = /child|young people|family|families|exploitation|willow/i

/** The question the panel asked, answered for a set of events (one event, or every workshop in a series). */
export function whoAttended(attendance: Parameters<typeof attendanceReport>[0], invitations: Parameters<typeof attendanceReport>[1]) {
  return {
    report: attendanceReport(attendance, invitations),
    districts: attendedFrom(attendance, 'district_council'),
    countyChildrens: attendedFrom(attendance, 'county_council', CHILDRENS_SERVICES),
  }
}

export function eventsService(deps: ModuleDeps) {
  const { db, access, audit, clock } = deps
  const today = () => clock.today()
  const store = eventsStore(db)

  async function mayView(ctx: RequestContext) {
    if (ctx.user?.permissions.has('events:edit')) return
    await access.authorise(ctx, 'scrutiny:view')
  }

  async function eventOr404(id: string) {
    const event = await store.event(id)
    if (!event) throw new NotFoundError()
    return event
  }

  async function organisationOf(input: { agencyId?: string; organisation?: string; organisationKind?: string }) {
    if (input.agencyId) {
      const agency = await store.agency(input.agencyId)
      if (!agency) return null
      return { organisation: agency.name, organisation_kind: agency.kind as string, agency_id: agency.id }
    }
    return { organisation: input.organisation!, organisation_kind: input.organisationKind!, agency_id: null }
  }

  return {
    canEdit: (ctx: RequestContext) => Boolean(ctx.user?.permissions.has('events:edit')),

    async list(ctx: RequestContext) {
      await mayView(ctx)
      const events = await store.events()
      const ids = events.map((e) => e.id)
      const [attendance, invitations] = await Promise.all([store.attendance(ids), store.invitations(ids)])
      return { events, ...whoAttended(attendance, invitations) }
    },

    async event(ctx: RequestContext, id: string) {
      await mayView(ctx)
      const event = await eventOr404(id)
      const [invitations, attendance, materials, agencies] = await Promise.all([store.invitations([id]), store.attendance([id]), store.materials(id), store.agencies()])
      return { event, invitations, attendance, materials, agencies, ...whoAttended(attendance, invitations) }
    },

    async create(ctx: RequestContext, input: z.infer<typeof eventSchema>): Promise<Result<string>> {
      await access.authorise(ctx, 'events:edit')
      const id = await db.transaction().execute(async (trx) => {
        const row = await eventsStore(trx).insertEvent({
          body_id: input.bodyId ?? null,
          organiser_agency_id: ctx.user!.agencyId,
          title: input.title,
          kind: input.kind,
          event_date: input.eventDate,
          start_time: input.startTime ?? null,
          location: input.location ?? '',
          audience: input.audience,
          description: input.description ?? '',
          created_by: ctx.user!.id,
        })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_event', recordId: row.id, details: { date: input.eventDate } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    async invite(ctx: RequestContext, eventId: string, input: z.infer<typeof invitationSchema>): Promise<Result<string>> {
      await access.authorise(ctx, 'events:edit')
      await eventOr404(eventId)
      const org = await organisationOf(input)
      if (!org) return fail('agencyId', 'Select an organisation')
      if (await store.invited(eventId, org.organisation)) return fail('agencyId', `${org.organisation} is already invited`)
      const id = await db.transaction().execute(async (trx) => {
        const row = await eventsStore(trx).insertInvitation({ event_id: eventId, ...org, created_by: ctx.user!.id })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_event_invitation', recordId: row.id, details: { eventId, organisation: org.organisation } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    async recordAttendance(ctx: RequestContext, eventId: string, input: z.infer<typeof attendanceSchema>): Promise<Result<string>> {
      await access.authorise(ctx, 'events:edit')
      const event = await eventOr404(eventId)
      const org = await organisationOf(input)
      if (!org) return fail('agencyId', 'Select an organisation')
      if (event.event_date > today()) return fail('attendees', `The event has not happened yet: record who attended on or after ${formatLongDate(event.event_date)}`)
      const id = await db.transaction().execute(async (trx) => {
        const row = await eventsStore(trx).insertAttendance({ event_id: eventId, ...org, service: input.service ?? '', role: input.role, attendees: input.attendees, created_by: ctx.user!.id })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_event_attendance', recordId: row.id, details: { eventId, organisation: org.organisation, attendees: input.attendees } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    async removeAttendance(ctx: RequestContext, eventId: string, attendanceId: string) {
      await access.authorise(ctx, 'events:edit')
      await db.transaction().execute(async (trx) => {
        const r = await eventsStore(trx).deleteAttendance(eventId, attendanceId)
        if (!Number(r.numDeletedRows)) throw new NotFoundError()
        await audit.record(ctx, { action: 'delete', recordType: 'scrutiny_event_attendance', recordId: attendanceId, details: { eventId } }, trx)
      })
    },

    async addMaterial(ctx: RequestContext, eventId: string, title: string, file: UploadedFile | undefined): Promise<Result<string>> {
      await access.authorise(ctx, 'events:edit')
      await eventOr404(eventId)
      const checked = checkUpload(file)
      if (!checked.ok) return checked
      const id = await db.transaction().execute(async (trx) => {
        const row = await eventsStore(trx).insertMaterial({ event_id: eventId, title, filename: checked.value.filename, content_type: checked.value.contentType, size_bytes: file!.size, content: file!.buffer, uploaded_by: ctx.user!.id })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_file', recordId: row.id, details: { eventId, bytes: file!.size } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },
  }
}

export type EventsService = ReturnType<typeof eventsService>
