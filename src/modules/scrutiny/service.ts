import type { z } from 'zod'
import type { ModuleDeps } from '../types.ts'
import type { Db } from '../../db/index.ts'
import type { RequestContext } from '../../kernel/context.ts'
import type { Permission } from '../../access/permissions.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type FormErrors } from '../../kernel/form-errors.ts'
import { scrutinyStore, type TrackerFilter, type TrackerRow, type Visibility } from './store.ts'
import {
  addDays,
  daysOverdue,
  evidenceWording,
  dueDate,
  formatLongDate,
  formatReference,
  isSettled,
  kindLabel,
  municipalYear,
  reasonRequired,
  responderStatusesFor,
  slugify,
  statusesFor,
} from './domain.ts'
import { ModernGovFormatError, parseGetMeeting } from './moderngov.ts'
import { deliverPending, outbox, queueReminders, queueRequest, senderFromConfig, type NotificationSender } from './notifications.ts'
import type {
  agendaItemSchema,
  bodySchema,
  evidenceSchema,
  itemEditSchema,
  itemSchema,
  meetingSchema,
  memberSchema,
  minutesSchema,
  responseSchema,
  scrutinisedSchema,
  statusSchema,
  TrackerQuery,
} from './schemas.ts'
import type { Body, FileKind, ItemStatus } from './tables.ts'

export type Result<T> = { ok: true; value: T } | { ok: false; errors: FormErrors }

export function fail(field: string, message: string): { ok: false; errors: FormErrors } {
  return { ok: false, errors: formErrors([{ field, message }]) }
}

// One home for a tracker row as the pages show it (decorate.ts); re-exported for the module's other files.
import { decorate, TRACKER_PAGE } from './decorate.ts'
export { decorate, TRACKER_PAGE, type Decorated } from './decorate.ts'

export interface UploadedFile {
  originalname: string
  mimetype: string
  size: number
  buffer: Buffer
}

/** Files people may attach: documents, spreadsheets, slides, images, text. Checked by name and by content. */
const ALLOWED_FILES: { ext: RegExp; type: string; magic?: (b: Buffer) => boolean }[] = [
  { ext: /\.pdf$/i, type: 'application/pdf', magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { ext: /\.docx$/i, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: zip },
  { ext: /\.xlsx$/i, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: zip },
  { ext: /\.pptx$/i, type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', magic: zip },
  { ext: /\.odt$/i, type: 'application/vnd.oasis.opendocument.text', magic: zip },
  { ext: /\.ods$/i, type: 'application/vnd.oasis.opendocument.spreadsheet', magic: zip },
  { ext: /\.odp$/i, type: 'application/vnd.oasis.opendocument.presentation', magic: zip },
  { ext: /\.doc$/i, type: 'application/msword', magic: ole },
  { ext: /\.xls$/i, type: 'application/vnd.ms-excel', magic: ole },
  { ext: /\.ppt$/i, type: 'application/vnd.ms-powerpoint', magic: ole },
  { ext: /\.png$/i, type: 'image/png', magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { ext: /\.jpe?g$/i, type: 'image/jpeg', magic: (b) => b[0] === 0xff && b[1] === 0xd8 },
  { ext: /\.txt$/i, type: 'text/plain' },
  { ext: /\.csv$/i, type: 'text/csv' },
]
function zip(b: Buffer) {
  return b[0] === 0x50 && b[1] === 0x4b
}
function ole(b: Buffer) {
  return b.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024

/** Rows a tracker page shows; exports and open data have no limit. */

/** Checks an upload: the type comes from its name and must match its first bytes. */
export function checkUpload(file: UploadedFile | undefined, field = 'file'): Result<{ filename: string; contentType: string }> {
  if (!file || file.size === 0) return fail(field, 'Select a file')
  if (file.size > MAX_FILE_BYTES) return fail(field, 'The selected file must be smaller than 10MB')
  const filename = file.originalname.replace(/[\\/]/g, '_').replace(/[^\w .()'-]/g, '_').slice(-150) || 'file'
  const allowed = ALLOWED_FILES.find((a) => a.ext.test(filename))
  if (!allowed) return fail(field, 'The selected file must be a PDF, Word, Excel, PowerPoint, OpenDocument, image, text or CSV file')
  if (allowed.magic && !allowed.magic(file.buffer)) return fail(field, `The selected file is not a real ${filename.split('.').pop()!.toUpperCase()} file`)
  return { ok: true, value: { filename, contentType: allowed.type } }
}

/** The meetings, tracker and items of every scrutiny body: permission-checked and audited. */
export function scrutinyService(deps: ModuleDeps, options: { sender?: NotificationSender } = {}) {
  const { db, access, audit, config, clock } = deps
  const today = () => clock.today()
  const store = scrutinyStore(db)
  const sender = options.sender ?? senderFromConfig(config, deps.logger)

  function user(ctx: RequestContext) {
    if (!ctx.user) throw new ForbiddenError('You need to sign in', { reason: 'role', canBreakGlass: false })
    return ctx.user
  }

  function visibility(ctx: RequestContext): Visibility {
    return { public: false, agencyId: user(ctx).agencyId }
  }

  const bodyRef = (body: Pick<Body, 'id' | 'agency_id'>) => ({ type: 'scrutiny_body', id: body.id, ownerAgencyId: body.agency_id ?? '' })

  /**
   * A body's records are kept by its own organisation and the one that supports it (a panel is
   * usually supported by the host council's democratic services); shares grant the same.
   */
  async function mayOnBody(ctx: RequestContext, permission: Permission, body: Pick<Body, 'id' | 'agency_id' | 'support_agency_id'>) {
    const u = ctx.user
    if (!u?.permissions.has(permission)) return false
    if (!body.agency_id || body.support_agency_id === u.agencyId) return true
    return (await access.check(ctx, permission, bodyRef(body))).allowed
  }

  async function authoriseOnBody(ctx: RequestContext, permission: Permission, body: Pick<Body, 'id' | 'agency_id' | 'support_agency_id'>) {
    if (await mayOnBody(ctx, permission, body)) return
    await access.authorise(ctx, permission, bodyRef(body))
  }

  async function bodyOr404(id: string) {
    const body = await store.body(id)
    if (!body) throw new NotFoundError()
    return body
  }

  async function itemOr404(ctx: RequestContext, id: string) {
    const [row] = await store.tracker({ ids: [id] }, visibility(ctx), today())
    if (!row) throw new NotFoundError()
    return row
  }

  /** The addressee's organisation records its own answers; the body's officers may record one received by email. */
  async function mayRespond(ctx: RequestContext, item: TrackerRow, body: Body) {
    const u = ctx.user
    if (u?.permissions.has('scrutiny:respond') && item.addressee_agency_id && item.addressee_agency_id === u.agencyId) return true
    return mayOnBody(ctx, 'scrutiny:edit', body)
  }

  /** The acting user's id for a foreign key: none for the command line, which acts as the system. */
  function actorId(ctx: RequestContext) {
    return ctx.user && ctx.user.role !== 'system' ? ctx.user.id : null
  }

  function who(ctx: RequestContext) {
    const u = user(ctx)
    return { id: u.id, name: u.name, agency: u.agencyName }
  }

  async function agencyName(id: string | undefined) {
    if (!id) return null
    const a = await store.agency(id)
    return a ? a.name : null
  }

  return {
    store,
    sender,
    today,
    mayOnBody,
    authoriseOnBody,

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

    // The tracker: the standing item

    /** One body's tracker, a page at a time (all of it when no page is given, for exports). */
    async tracker(ctx: RequestContext, bodyId: string, query: Partial<TrackerQuery>, page?: number) {
      await access.authorise(ctx, 'scrutiny:view')
      const body = await bodyOr404(bodyId)
      const day = today()
      const filter: TrackerFilter = {
        bodyIds: [bodyId],
        kinds: query.kind,
        statuses: query.status,
        rags: query.rag,
        overdueOnly: query.overdue,
        openOnly: (query.show ?? 'open') === 'open',
        q: query.q,
      }
      const v = visibility(ctx)
      const [rows, total] = await Promise.all([
        store.tracker(filter, v, day, page ? { limit: TRACKER_PAGE, offset: (page - 1) * TRACKER_PAGE } : undefined),
        page ? store.trackerCount(filter, v, day) : Promise.resolve(0),
      ])
      return { body, rows: rows.map((r) => decorate(r, day)), total: page ? total : rows.length, page: page ?? 1, pages: page ? Math.max(1, Math.ceil(total / TRACKER_PAGE)) : 1, today: day, canEdit: await mayOnBody(ctx, 'scrutiny:edit', body) }
    },

    /** Rows for a CSV or the printed pack. Restricted items only when asked and visible to the user. */
    async trackerForExport(ctx: RequestContext, bodyId: string, query: Partial<TrackerQuery>, options: { includeRestricted: boolean; format: string }) {
      const result = await this.tracker(ctx, bodyId, query)
      const rows = options.includeRestricted ? result.rows : result.rows.filter((r) => !r.restricted)
      await audit.record(ctx, { action: 'export', recordType: 'scrutiny_tracker', recordId: bodyId, details: { format: options.format, rows: rows.length, includeRestricted: options.includeRestricted, query } })
      return { ...result, rows }
    },

    // Meetings

    async meeting(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'scrutiny:view')
      const meeting = await store.meeting(id)
      if (!meeting) throw new NotFoundError()
      const body = await bodyOr404(meeting.body_id)
      const agenda = await store.agendaItems(id)
      const files = await store.filesFor({ agendaItemIds: agenda.map((a) => a.id) })
      const canEdit = await mayOnBody(ctx, 'scrutiny:edit', body)
      const seesRestricted = canEdit || body.agency_id === ctx.user!.agencyId
      const visibleAgenda = agenda.filter((a) => !a.restricted || seesRestricted)
      const day = today()
      const items = (await store.tracker({ meetingId: id }, visibility(ctx), day)).map((r) => decorate(r, day))
      return {
        body,
        meeting,
        agenda: visibleAgenda.map((a) => ({ ...a, files: files.filter((f) => f.agenda_item_id === a.id) })),
        hiddenRestricted: agenda.length - visibleAgenda.length,
        items,
        canEdit,
        today: day,
      }
    },

    async createMeeting(ctx: RequestContext, bodyId: string, input: z.infer<typeof meetingSchema>): Promise<Result<string>> {
      const body = await bodyOr404(bodyId)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      const id = await db.transaction().execute(async (trx) => {
        const row = await scrutinyStore(trx).insertMeeting({
          body_id: bodyId,
          title: input.title,
          meeting_date: input.meetingDate,
          meeting_time: input.meetingTime ?? null,
          location: input.location ?? '',
          status: input.status,
          created_by: user(ctx).id,
        })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_meeting', recordId: row.id, details: { bodyId, date: input.meetingDate } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    /** Changes a meeting's details, status and minutes. A new date may not fall after anything already sent or due from it. */
    async updateMeeting(ctx: RequestContext, meetingId: string, input: z.infer<typeof minutesSchema>): Promise<Result<string>> {
      const meeting = await store.meeting(meetingId)
      if (!meeting) throw new NotFoundError()
      await authoriseOnBody(ctx, 'scrutiny:edit', await bodyOr404(meeting.body_id))
      if (input.meetingDate !== meeting.meeting_date) {
        const items = await store.tracker({ meetingId }, visibility(ctx), today())
        const earliest = items.flatMap((i) => [i.sent_on, i.response_due, i.first_response_on].filter((d): d is string => Boolean(d))).sort()[0]
        if (earliest && input.meetingDate > earliest) {
          return fail('meetingDate', `The date of the meeting must be on or before ${formatLongDate(earliest)}, when something made at it was already sent, due or answered`)
        }
        if (input.status === 'held' && input.meetingDate > today()) return fail('meetingDate', 'A meeting that has been held must have a date today or in the past')
      }
      await db.transaction().execute(async (trx) => {
        await scrutinyStore(trx).updateMeeting(meetingId, {
          title: input.title,
          meeting_date: input.meetingDate,
          meeting_time: input.meetingTime ?? null,
          location: input.location ?? '',
          status: input.status,
          minutes: input.minutes ?? '',
          minutes_published: input.minutesPublished,
        })
        await audit.record(
          ctx,
          { action: 'update', recordType: 'scrutiny_meeting', recordId: meetingId, details: { from: { date: meeting.meeting_date, status: meeting.status }, to: { date: input.meetingDate, status: input.status }, minutesPublished: input.minutesPublished } },
          trx,
        )
      })
      return { ok: true, value: meetingId }
    },

    async addAgendaItem(ctx: RequestContext, meetingId: string, input: z.infer<typeof agendaItemSchema>): Promise<Result<string>> {
      const meeting = await store.meeting(meetingId)
      if (!meeting) throw new NotFoundError()
      await authoriseOnBody(ctx, 'scrutiny:edit', await bodyOr404(meeting.body_id))
      const id = await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        const position = await s.nextAgendaPosition(meetingId)
        const row = await s.insertAgendaItem({
          meeting_id: meetingId,
          position,
          number: input.number ?? String(position),
          title: input.title,
          description: input.description ?? '',
          restricted: input.restricted,
          external_id: null,
        })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_agenda_item', recordId: row.id, details: { meetingId, restricted: input.restricted } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    /** Attaches a file to an agenda item (a report), a body (the strategic assessment) or an event (materials). */
    async attachFile(
      ctx: RequestContext,
      owner: { agendaItemId: string } | { bodyId: string; kind: FileKind },
      input: { title: string; restricted: boolean },
      file: UploadedFile | undefined,
    ): Promise<Result<string>> {
      let bodyId: string
      let restrictedOwner = false
      if ('agendaItemId' in owner) {
        const item = await store.agendaItem(owner.agendaItemId)
        if (!item) throw new NotFoundError()
        bodyId = item.body_id
        restrictedOwner = item.restricted
      } else bodyId = owner.bodyId
      await authoriseOnBody(ctx, 'scrutiny:edit', await bodyOr404(bodyId))
      const checked = checkUpload(file)
      if (!checked.ok) return checked
      const id = await db.transaction().execute(async (trx) => {
        const row = await scrutinyStore(trx).insertFile({
          agenda_item_id: 'agendaItemId' in owner ? owner.agendaItemId : null,
          body_id: 'bodyId' in owner ? owner.bodyId : null,
          event_id: null,
          kind: 'agendaItemId' in owner ? 'report' : owner.kind,
          title: input.title,
          filename: checked.value.filename,
          content_type: checked.value.contentType,
          size_bytes: file!.size,
          content: file!.buffer,
          url: null,
          restricted: input.restricted || restrictedOwner,
          uploaded_by: user(ctx).id,
        })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_file', recordId: row.id, details: { owner, bytes: file!.size, restricted: input.restricted || restrictedOwner } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    /** A file for a signed-in user: restricted files only for the body's own people. */
    async file(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'scrutiny:view')
      const file = await store.file(id)
      if (!file) throw new NotFoundError()
      if (file.event_id) {
        // Event materials: anyone who may see scrutiny may read them.
      } else if (file.restricted || file.agenda_item_restricted) {
        const body = await bodyOr404(file.owner_body_id!)
        if (!(await mayOnBody(ctx, 'scrutiny:edit', body)) && body.agency_id !== ctx.user!.agencyId) throw new NotFoundError()
      }
      await audit.record(ctx, { action: 'view', recordType: 'scrutiny_file', recordId: id })
      return file
    },

    // Items: resolutions, recommendations and requests

    async newItemForm(ctx: RequestContext, meetingId: string) {
      const page = await this.meeting(ctx, meetingId)
      await authoriseOnBody(ctx, 'scrutiny:edit', page.body)
      return { ...page, agencies: await store.agencies() }
    },

    async createItem(ctx: RequestContext, meetingId: string, input: z.infer<typeof itemSchema>): Promise<Result<string>> {
      const meeting = await store.meeting(meetingId)
      if (!meeting) throw new NotFoundError()
      const body = await bodyOr404(meeting.body_id)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      const issues: { field: string; message: string }[] = []
      const meetingDate = formatLongDate(meeting.meeting_date)
      if (input.sentOn && input.sentOn < meeting.meeting_date) issues.push({ field: 'sentOn', message: `The date it was sent must be the same as or after the meeting, ${meetingDate}` })
      if (input.sentOn && input.sentOn > today()) issues.push({ field: 'sentOn', message: 'The date it was sent must be today or in the past' })
      const year = municipalYear(meeting.meeting_date)
      // The body sets the period for a response: with no date given, it runs from sending (or the meeting).
      const due = input.responseDue ?? (input.kind === 'request' ? addDays(input.sentOn ?? meeting.meeting_date, body.response_days) : undefined)
      if (due && due < meeting.meeting_date) issues.push({ field: 'responseDue', message: `The date the response is due must be after the meeting, ${meetingDate}` })
      else if (due && input.sentOn && due < input.sentOn) issues.push({ field: 'responseDue', message: 'The date the response is due must be the same as or after the date it was sent' })
      let agendaRestricted = false
      if (input.agendaItemId) {
        const ai = await store.agendaItem(input.agendaItemId)
        if (!ai || ai.meeting_id !== meetingId) issues.push({ field: 'agendaItemId', message: 'Select an agenda item of this meeting' })
        else agendaRestricted = ai.restricted
      }
      if (input.number && (await store.numberTaken(body.id, year, input.kind, input.number))) {
        issues.push({ field: 'number', message: `${formatReference(body.code, year, input.kind, input.number)} already exists: leave the number blank to use the next one` })
      }
      if (issues.length) return { ok: false, errors: formErrors(issues) }

      const by = who(ctx)
      const addressee = input.addressee
      const id = await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        await s.lockBody(body.id)
        const number = input.number ?? (await s.nextNumber(body.id, year, input.kind))
        const row = await s.insertItem({
          body_id: body.id,
          meeting_id: meetingId,
          agenda_item_id: input.agendaItemId ?? null,
          kind: input.kind,
          request_type: input.kind === 'request' ? (input.requestType as 'information' | 'action') : null,
          municipal_year: year,
          number,
          title: input.title,
          text: input.text,
          addressee,
          addressee_agency_id: input.addresseeAgencyId ?? null,
          addressee_email: input.addresseeEmail ?? null,
          proposed_by: input.proposedBy ?? null,
          seconded_by: input.secondedBy ?? null,
          sent_on: input.sentOn ?? null,
          response_due: due ?? null,
          status: 'open',
          rag: null,
          restricted: input.restricted || agendaRestricted,
          status_changed_by: by.id,
          created_by: by.id,
        })
        await s.insertHistory({ item_id: row.id, status: 'open', rag: null, reason: null, note: 'Recorded', changed_by: by.id, changed_by_name: by.name, changed_by_agency: by.agency })
        await s.insertEvidence({ item_id: row.id, event: 'made', occurred_on: meeting.meeting_date, channel: 'meeting', counterpart: addressee, detail: `Made at the meeting: ${meeting.title}`, recorded_by: by.id, recorded_by_name: by.name })
        if (input.sentOn) {
          await s.insertEvidence({ item_id: row.id, event: 'sent', occurred_on: input.sentOn, channel: null, counterpart: input.addresseeEmail ?? addressee, detail: 'Recorded as sent when the item was recorded', recorded_by: by.id, recorded_by_name: by.name })
        }
        if (due) {
          await s.insertEvidence({
            item_id: row.id,
            event: 'due_set',
            occurred_on: today(),
            channel: null,
            counterpart: null,
            new_date: due,
            detail: input.responseDue ? `Response due by ${formatLongDate(due)}` : `Response due by ${formatLongDate(due)}: the body’s period of ${body.response_days} days`,
            recorded_by: by.id,
            recorded_by_name: by.name,
          })
        }
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_item', recordId: row.id, details: { bodyId: body.id, kind: input.kind, number, restricted: input.restricted || agendaRestricted } }, trx)
        return row.id
      })
      if (input.sendNow) await this.sendNow(id)
      return { ok: true, value: id }
    },

    /** Queues the request email and tries to deliver it at once; failures stay in the outbox for the next run. */
    async sendNow(itemId: string) {
      const day = today()
      const notificationId = await queueRequest(db, itemId, day, { baseUrl: config.publicBaseUrl })
      if (notificationId) await deliverPending(db, sender, day, { ids: [notificationId] })
    },

    async item(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'scrutiny:view')
      const row = await itemOr404(ctx, id)
      const body = await bodyOr404(row.body_id)
      const day = today()
      const [history, responses, evidence, notifications, canEdit, canRespond] = await Promise.all([
        store.history(id),
        store.responses(id),
        store.evidence(id),
        store.notificationsFor(id),
        mayOnBody(ctx, 'scrutiny:edit', body),
        mayRespond(ctx, row, body),
      ])
      if (row.restricted) await audit.record(ctx, { action: 'view', recordType: 'scrutiny_item', recordId: id, details: { restricted: true } })
      return {
        body,
        item: decorate(row, day),
        history,
        responses,
        evidence: evidence.map((e) => ({ ...e, ...evidenceWording(e) })),
        notifications,
        canEdit,
        canRespond,
        statuses: statusesFor(row.kind),
        responderStatuses: responderStatusesFor(row.kind),
        today: day,
      }
    },

    /**
     * Corrects an item's details. The reason is kept in the evidence log with what changed, and a
     * new due date is logged as such, so a moved deadline is never silent.
     */
    async updateItem(ctx: RequestContext, id: string, input: z.infer<typeof itemEditSchema>): Promise<Result<string>> {
      const row = await itemOr404(ctx, id)
      const body = await bodyOr404(row.body_id)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      const due = input.responseDue ?? null
      if (due && due < row.meeting_date) return fail('responseDue', `The date the response is due must be after the meeting, ${formatLongDate(row.meeting_date)}`)
      if (due && row.sent_on && due < row.sent_on) return fail('responseDue', `The date the response is due must be the same as or after the date it was sent, ${formatLongDate(row.sent_on)}`)
      const agendaRestricted = row.agenda_item_id ? Boolean((await store.agendaItem(row.agenda_item_id))?.restricted) : false
      if (!input.restricted && agendaRestricted) return fail('restricted', 'It was made under a restricted agenda item, so it must stay restricted')
      const changed = (
        [
          ['title', row.title, input.title],
          ['wording', row.text, input.text],
          ['addressee', row.addressee, input.addressee],
          ['organisation', row.addressee_agency_id, input.addresseeAgencyId ?? null],
          ['email', row.addressee_email, input.addresseeEmail ?? null],
          ['proposer', row.proposed_by, input.proposedBy ?? null],
          ['seconder', row.seconded_by, input.secondedBy ?? null],
          ['due date', row.response_due, due],
          ['restricted', row.restricted, input.restricted],
        ] as [string, unknown, unknown][]
      ).filter(([, a, b]) => (a ?? null) !== (b ?? null))
      if (!changed.length) return fail('title', 'Nothing has changed')
      const by = who(ctx)
      await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        const current = await s.itemRow(id)
        if (!current || current.version !== input.version) throw new ConflictError('Someone else changed this item while you were editing it. Look at it again and try again.')
        await s.updateItem(id, {
          title: input.title,
          text: input.text,
          addressee: input.addressee,
          addressee_agency_id: input.addresseeAgencyId ?? null,
          addressee_email: input.addresseeEmail ?? null,
          proposed_by: input.proposedBy ?? null,
          seconded_by: input.secondedBy ?? null,
          response_due: due,
          restricted: input.restricted,
        })
        const list = changed.map(([what]) => what).join(', ')
        await s.insertEvidence({ item_id: id, event: 'note', occurred_on: today(), channel: null, counterpart: null, detail: `Details corrected (${list}): ${input.reason}`, recorded_by: by.id, recorded_by_name: by.name })
        if ((row.response_due ?? null) !== due) {
          const day = today()
          const before = dueDate(row)
          const lateBy = daysOverdue(row, day)
          const after = dueDate({ ...row, response_due: due })
          if (lateBy > 0) {
            // Moving the date ends this spell of being overdue; the spell itself stays on the record.
            await s.insertEvidence({
              item_id: id,
              event: 'became_overdue',
              occurred_on: addDays(before!, 1),
              channel: null,
              counterpart: null,
              previous_date: before,
              detail: `Overdue from ${formatLongDate(addDays(before!, 1))}: the response was due on ${formatLongDate(before!)} (${lateBy} day${lateBy === 1 ? '' : 's'} overdue when the date was moved)`,
              recorded_by: null,
              recorded_by_name: 'Lantern',
            })
            await s.insertHistory({
              item_id: id,
              status: row.status,
              rag: 'red',
              reason: input.reason,
              note: `Red: overdue by ${lateBy} day${lateBy === 1 ? '' : 's'} (due ${formatLongDate(before!)}) until the response date was moved${after ? ` to ${formatLongDate(after)}` : ''}`,
              changed_by: by.id,
              changed_by_name: by.name,
              changed_by_agency: by.agency,
            })
          }
          await s.insertEvidence({
            item_id: id,
            event: 'due_set',
            occurred_on: day,
            channel: null,
            counterpart: null,
            previous_date: before,
            new_date: after,
            reason: input.reason,
            detail: after ? `Response date changed ${before ? `from ${formatLongDate(before)} ` : ''}to ${formatLongDate(after)}` : `Response date removed (was ${formatLongDate(before!)})`,
            recorded_by: by.id,
            recorded_by_name: by.name,
          })
        }
        await audit.record(ctx, { action: 'update', recordType: 'scrutiny_item', recordId: id, reason: input.reason, details: { changed: changed.map(([what, from, to]) => ({ what, from: what === 'wording' ? undefined : from, to: what === 'wording' ? undefined : to })) } }, trx)
      })
      return { ok: true, value: id }
    },

    async updateStatus(ctx: RequestContext, id: string, input: z.infer<typeof statusSchema>): Promise<Result<string>> {
      const row = await itemOr404(ctx, id)
      const body = await bodyOr404(row.body_id)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      if (!statusesFor(row.kind).includes(input.status)) return fail('status', `Select a status a ${kindLabel(row.kind, row.request_type).toLowerCase()} can have`)
      if (input.status === 'answered' && !row.answered_on) {
        return fail('status', 'To mark a request as answered, record the response that answered it, with its date')
      }
      if (input.status === row.status && input.rag === row.rag && !input.note && (input.reason ?? null) === (row.status_reason ?? null)) {
        return fail('status', 'Change the status or the RAG rating, or add a note for the record')
      }
      const by = who(ctx)
      await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        const reason = reasonRequired(input.status) || input.reason ? (input.reason ?? null) : null
        if (!(await s.setStatus(id, input.version, { status: input.status, status_reason: reason, rag: input.rag, by: by.id }))) {
          throw new ConflictError('Someone else changed this item while you were editing it. Look at its history and try again.')
        }
        await s.insertHistory({ item_id: id, status: input.status, rag: input.rag, reason, note: input.note ?? null, changed_by: by.id, changed_by_name: by.name, changed_by_agency: by.agency })
        await audit.record(ctx, { action: 'update', recordType: 'scrutiny_item', recordId: id, details: { from: { status: row.status, rag: row.rag }, to: { status: input.status, rag: input.rag } } }, trx)
      })
      return { ok: true, value: id }
    },

    async recordResponse(ctx: RequestContext, id: string, input: z.infer<typeof responseSchema>): Promise<Result<string>> {
      const row = await itemOr404(ctx, id)
      const body = await bodyOr404(row.body_id)
      if (!(await mayRespond(ctx, row, body))) {
        await access.authorise(ctx, 'scrutiny:respond', { type: 'scrutiny_item', id, ownerAgencyId: row.addressee_agency_id ?? body.agency_id ?? '' })
      }
      const issues: { field: string; message: string }[] = []
      if (input.respondedOn > today()) issues.push({ field: 'respondedOn', message: 'The date of the response must be today or in the past' })
      if (input.respondedOn < row.meeting_date) issues.push({ field: 'respondedOn', message: `The date of the response must be the same as or after the meeting, ${formatLongDate(row.meeting_date)}` })
      if (input.position && !responderStatusesFor(row.kind).includes(input.position)) issues.push({ field: 'position', message: 'Select a position the addressee can take' })
      if (input.answers && row.kind !== 'request') issues.push({ field: 'answers', message: 'Only a request can be marked as answered' })
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const by = who(ctx)
      const responder = input.responder ?? by.agency
      await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        const response = await s.insertResponse({
          item_id: id,
          responded_on: input.respondedOn,
          text: input.text,
          responder,
          responder_agency_id: user(ctx).agencyId,
          answers: input.answers,
          recorded_by: by.id,
          recorded_by_name: by.name,
        })
        await s.insertEvidence({ item_id: id, event: 'response_received', occurred_on: input.respondedOn, channel: null, counterpart: responder, detail: `Response recorded by ${by.name} (${by.agency})`, recorded_by: by.id, recorded_by_name: by.name })
        let newStatus: ItemStatus | null = null
        let reason: string | null = null
        if (input.answers && row.kind === 'request') {
          await s.updateItem(id, { answered_on: row.answered_on ?? input.respondedOn })
          await s.insertEvidence({ item_id: id, event: 'answered', occurred_on: input.respondedOn, channel: null, counterpart: responder, detail: `Marked as answering the request by ${by.name}`, recorded_by: by.id, recorded_by_name: by.name })
          newStatus = 'answered'
        } else if (input.position) {
          newStatus = input.position
          reason = input.reason ?? null
        }
        if (newStatus && newStatus !== row.status) {
          const current = await s.itemRow(id)
          await s.setStatus(id, current!.version, { status: newStatus, status_reason: reason, rag: current!.rag, by: by.id })
          await s.insertHistory({
            item_id: id,
            status: newStatus,
            rag: current!.rag,
            reason,
            note: `Stated in the response of ${formatLongDate(input.respondedOn)}`,
            changed_by: by.id,
            changed_by_name: by.name,
            changed_by_agency: by.agency,
          })
        }
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_response', recordId: response.id, details: { itemId: id, answers: input.answers, position: input.position ?? null } }, trx)
      })
      return { ok: true, value: id }
    },

    async recordEvidence(ctx: RequestContext, id: string, input: z.infer<typeof evidenceSchema>): Promise<Result<string>> {
      const row = await itemOr404(ctx, id)
      const body = await bodyOr404(row.body_id)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      if (input.occurredOn > today()) return fail('occurredOn', 'The date it happened must be today or in the past')
      if (input.occurredOn < row.meeting_date) return fail('occurredOn', `The date it happened must be the same as or after the meeting, ${formatLongDate(row.meeting_date)}`)
      if (input.event === 'sent' && row.response_due && input.occurredOn > row.response_due) {
        return fail('occurredOn', `The date it was sent must be on or before the date the response is due, ${formatLongDate(row.response_due)}`)
      }
      const by = who(ctx)
      await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        await s.insertEvidence({ item_id: id, event: input.event, occurred_on: input.occurredOn, channel: input.channel ?? null, counterpart: input.counterpart ?? null, detail: input.detail ?? null, recorded_by: by.id, recorded_by_name: by.name })
        if (input.event === 'sent' && !row.sent_on) await s.updateItem(id, { sent_on: input.occurredOn })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_evidence', recordId: id, details: { event: input.event, occurredOn: input.occurredOn } }, trx)
      })
      return { ok: true, value: id }
    },

    // ModernGov import

    /**
     * Imports one GetMeeting document into a body: the meeting and its agenda items (restricted
     * flags kept) with their documents as links. Importing the same meeting again updates it. All
     * or nothing: a malformed document saves nothing.
     */
    async importModernGov(ctx: RequestContext, bodyId: string, file: UploadedFile | undefined): Promise<Result<{ meetingId: string; created: boolean; added: number; updated: number; documents: number; restricted: number }>> {
      const body = await bodyOr404(bodyId)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      if (!file || file.size === 0) return fail('file', 'Select a ModernGov XML file')
      let parsed
      try {
        parsed = parseGetMeeting(file.buffer)
      } catch (err) {
        if (err instanceof ModernGovFormatError) return fail('file', `The selected file could not be imported. ${err.message}`)
        throw err
      }
      const meeting = parsed
      const result = await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        const existing = await s.meetingByExternalId(bodyId, meeting.externalId)
        const status = /cancel/i.test(meeting.status ?? '') ? 'cancelled' : /held|minutes/i.test(meeting.status ?? '') || meeting.minutesPublished ? 'held' : 'scheduled'
        const fields = {
          title: meeting.committeeTitle ? `${meeting.committeeTitle}, ${formatLongDate(meeting.date)}` : `Meeting of ${formatLongDate(meeting.date)}`,
          meeting_date: meeting.date,
          meeting_time: meeting.time,
          location: meeting.location,
          status: status as 'held' | 'scheduled' | 'cancelled',
          minutes_published: meeting.minutesPublished,
          imported_at: new Date(),
        }
        let meetingId: string
        if (existing) {
          meetingId = existing.id
          await s.updateMeeting(meetingId, fields)
        } else {
          meetingId = (await s.insertMeeting({ ...fields, body_id: bodyId, source: 'moderngov', external_id: meeting.externalId, created_by: actorId(ctx) })).id
        }
        let added = 0
        let updated = 0
        let documents = 0
        let position = await s.nextAgendaPosition(meetingId)
        for (const [index, item] of meeting.items.entries()) {
          const externalId = item.externalId ?? `position-${index + 1}`
          const found = await s.agendaItemByExternalId(meetingId, externalId)
          let agendaItemId: string
          if (found) {
            await s.updateAgendaItem(found.id, { number: item.number, title: item.title, restricted: item.restricted, minutes: item.minutes })
            agendaItemId = found.id
            updated++
          } else {
            agendaItemId = (await s.insertAgendaItem({ meeting_id: meetingId, position: position++, number: item.number, title: item.title, restricted: item.restricted, minutes: item.minutes, external_id: externalId })).id
            added++
          }
          for (const doc of item.documents) {
            if (!doc.url || (await s.fileByUrl(agendaItemId, doc.url))) continue
            await s.insertFile({ agenda_item_id: agendaItemId, body_id: null, event_id: null, kind: 'report', title: doc.title, filename: null, content_type: null, size_bytes: null, content: null, url: doc.url, restricted: doc.restricted || item.restricted, uploaded_by: actorId(ctx) })
            documents++
          }
        }
        await audit.record(ctx, { action: 'import', recordType: 'scrutiny_meeting', recordId: meetingId, details: { source: 'moderngov', externalId: meeting.externalId, added, updated, documents } }, trx)
        return { meetingId, created: !existing, added, updated, documents, restricted: meeting.items.filter((i) => i.restricted).length }
      })
      return { ok: true, value: result }
    },

    // The outbox

    async outbox(ctx: RequestContext) {
      await access.authorise(ctx, 'scrutiny:edit')
      return { rows: await outbox(db), transport: sender.transport, delivers: sender.delivers }
    },

    /** Queues due reminders and delivers the outbox now (what `lantern scrutiny reminders` does). */
    async runReminders(ctx: RequestContext, also?: (sender: NotificationSender, day: string) => Promise<{ queued: number } | null>) {
      await access.authorise(ctx, 'scrutiny:edit')
      const day = today()
      const queued = await queueReminders(db, day, { baseUrl: config.publicBaseUrl })
      const delivered = await deliverPending(db, sender, day)
      const followers = also ? await also(sender, day) : null
      await audit.record(ctx, { action: 'run', recordType: 'scrutiny_reminders', details: { queued, ...delivered, followerUpdates: followers?.queued ?? null } })
      return { queued, ...delivered, delivers: sender.delivers }
    },
  }
}

export type ScrutinyService = ReturnType<typeof scrutinyService>

/** Reminders from the command line or a scheduler: the same work, as the system. */
export async function runReminderJob(db: Db, sender: NotificationSender, day: string, baseUrl?: string) {
  const queued = await queueReminders(db, day, { baseUrl })
  const delivered = await deliverPending(db, sender, day)
  return { queued, ...delivered }
}

export { isSettled }
