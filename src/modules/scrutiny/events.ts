import type { z } from 'zod'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { attendanceReport, attendedFrom, formatLongDate } from './domain.ts'
import { fail, type Result } from '../../kernel/form-errors.ts'
import { checkUpload, type UploadedFile } from './upload-check.ts'
import type { attendanceSchema, eventSchema, invitationSchema } from './schemas.ts'
import { eventsStore } from './events-store.ts'

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
