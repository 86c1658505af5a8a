import type { ModuleDeps, Worklist } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ConflictError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { addDays, elapsedText } from '../../kernel/elapsed.ts'
import { peopleService, displayName, personRef, recordPersonEvent } from '../people/index.ts'
import { worklist, WORKLIST_LENGTH } from '../worklist.ts'
import { actionState, changedMeetingFields, idsIn, meetingHeldSummary, meetingKindText, DUE_SOON_DAYS, MEETING_FIELD_TEXT } from './rules.ts'
import { formatDate } from '../../web/nunjucks.ts'
import { plansStore } from './store.ts'
import type { ActionFields, CloseActionFields, MeetingEditFields, MeetingFields } from './schemas.ts'
import type { Attendee, MeetingFieldsBefore, MeetingKind } from './tables.ts'

type Issue = { field: string; message: string }

export interface MeetingInput extends MeetingFields {
  heldOn: string
  attendees: Attendee[]
}

export interface MeetingEdit extends MeetingEditFields {
  heldOn: string
  attendees: Attendee[]
}

export interface ActionInput extends ActionFields {
  dueOn: string
}

/**
 * Multi-agency plans: meetings about children (and the adults around them) and the actions agreed
 * at them. A meeting is part of the record of every person discussed: reading it needs person:view
 * on each of them, recording or changing it person:edit on each; every read and change is audited
 * and each subject's timeline says a meeting was held.
 */
export function plansService(deps: ModuleDeps) {
  const { db, access, audit, clock } = deps
  const people = peopleService(deps)
  const store = plansStore(db)

  /** The meeting, if row-level security shows it, with need-to-know checked again on each subject. */
  async function meetingOf(ctx: RequestContext, id: string, permission: 'person:view' | 'person:edit') {
    const meeting = await store.meeting(id)
    if (!meeting) throw new NotFoundError()
    const subjects = []
    for (const subjectId of meeting.subject_ids) subjects.push(await people.authorised(ctx, subjectId, permission))
    // A closed (or merged) record is read-only: nothing about it is changed until it is reopened.
    return { meeting, subjects: subjects.map((s) => ({ id: s.id, kind: s.kind, name: displayName(s), readOnly: Boolean(s.closed_at || s.merged_into) })) }
  }

  /** Other people named on the form: each must be a record the user may change (the same words whether it exists or is hidden). */
  async function othersNamed(ctx: RequestContext, text: string | null, childId: string): Promise<{ ids: string[]; issues: Issue[] }> {
    const { ids, unreadable } = idsIn(text ?? '')
    const issues: Issue[] = unreadable.map((line) => ({ field: 'others', message: `Line ${line} of the other people discussed is not the address of a record: copy it from the person’s page` }))
    const wanted = ids.filter((id) => id !== childId)
    const found = new Map((await store.people(wanted)).map((p) => [p.id, p]))
    const allowed: string[] = []
    for (const id of wanted) {
      const p = found.get(id)
      const decision = p && !p.merged_into && !p.closed_at ? await access.check(ctx, 'person:edit', personRef(p)) : null
      if (decision?.allowed) allowed.push(id)
      else issues.push({ field: 'others', message: `No record you may add to is at the address on line ${text!.split(/\r?\n/).findIndex((l) => l.toLowerCase().includes(id)) + 1} of the other people discussed` })
    }
    return { ids: allowed, issues }
  }

  async function agencyNames(): Promise<Map<string, string>> {
    return new Map((await store.agencyNames()).map((a) => [a.id, a.name]))
  }

  const withState = <A extends { status: 'open' | 'done' | 'cancelled'; due_on: string }>(a: A, today: string) => ({ ...a, state: actionState(a, today) })
  const targetName = (a: { target_given_name: string | null; target_family_name: string | null; target_preferred_name: string | null }) =>
    a.target_given_name ? displayName({ given_name: a.target_given_name, family_name: a.target_family_name ?? '', preferred_name: a.target_preferred_name }) : null

  return {
    /** Home: open actions due within DUE_SOON_DAYS or overdue, for their owner, and for a manager their team's and their agency's. */
    async worklists(ctx: RequestContext): Promise<Worklist[]> {
      if (!access.can(ctx, 'person:view')) return []
      const wholeTeam = access.can(ctx, 'team:view')
      const today = clock.today()
      const now = clock.now()
      const rows = await store.actionsDue(ctx.user!, wholeTeam, addDays(today, DUE_SOON_DAYS), WORKLIST_LENGTH)
      return [
        worklist({
          key: 'plan-actions',
          title: 'Plan actions due and overdue',
          hint: `Actions agreed at strategy discussions, MACE meetings and conferences, due in the next ${DUE_SOON_DAYS} days or overdue, owned by ${wholeTeam ? 'you, your team or your agency' : 'you'}.`,
          rows,
          more: { text: 'See every open plan action', href: '/plans/actions' },
          item: (a) => {
            const overdue = a.due_on < today
            return {
              href: `/plans/meetings/${a.meeting_id}#action-${a.id}`,
              name: displayName(a),
              what: `${overdue ? 'Plan action overdue' : 'Plan action due'}: ${a.description.length > 80 ? a.description.slice(0, 79) + '…' : a.description}`,
              age: `agreed ${elapsedText(a.created_at, now)} ago`,
              due: a.due_on,
              overdue,
              flag: a.owner_user_id !== ctx.user!.id ? `Owner: ${a.owner_user_name ?? a.owner_agency_name}` : null,
            }
          },
        }),
      ]
    },

    /** Every open action that comes to the user, for the full list behind Home's. Audited as a view. */
    async actionsList(ctx: RequestContext) {
      const wholeTeam = access.can(ctx, 'team:view')
      const today = clock.today()
      const rows = await store.actionsDue(ctx.user!, wholeTeam, null, 500)
      await audit.record(ctx, { action: 'view', recordType: 'plan_actions', details: { count: Math.min(rows.length, 500) } })
      return { actions: rows.slice(0, 500).map((a) => ({ ...withState(a, today), name: displayName(a), meetingKind: meetingKindText(a.meeting_kind) })), more: rows.length > 500, wholeTeam }
    },

    /** The child's plan tab: open actions from every meeting they were discussed at, and the meetings. */
    async personPlan(ctx: RequestContext, personId: string) {
      const person = await people.header(ctx, personId)
      const today = clock.today()
      const [meetings, actions] = await Promise.all([store.meetingsAbout(personId), store.openActionsAbout(personId)])
      await audit.record(ctx, { action: 'view', recordType: 'person', recordId: personId, details: { page: 'plan' } })
      const open = actions.map((a) => ({ ...withState(a, today), targetName: targetName(a), meetingKind: meetingKindText(a.meeting_kind) }))
      return {
        person,
        meetings: meetings.map((m) => ({ ...m, kindText: meetingKindText(m.kind), others: m.subject_ids.length - 1 })),
        actions: open,
        overdue: open.filter((a) => a.state === 'overdue').length,
        canEdit: access.can(ctx, 'person:edit') && !person.closed_at && !person.merged_into && !person.breakGlassUntil,
      }
    },

    /** For the new meeting form: the child, authorised for editing, and the lists. */
    async meetingForm(ctx: RequestContext, personId: string) {
      const person = await people.header(ctx, personId, 'person:edit')
      const agencies = await store.agencies()
      return { person, agencies: agencies.map((a) => ({ value: a.id, text: a.name })) }
    },

    async recordMeeting(ctx: RequestContext, personId: string, input: MeetingInput): Promise<Result<string>> {
      const child = await people.authorised(ctx, personId, 'person:edit')
      const others = await othersNamed(ctx, input.others, personId)
      if (input.heldOn > clock.today()) others.issues.unshift({ field: 'held-day', message: 'The date of the meeting must be today or in the past' })
      if (others.issues.length) return { ok: false, errors: formErrors(others.issues) }
      const user = ctx.user!
      const subjectIds = [personId, ...others.ids]
      const kind = input.kind as MeetingKind
      const id = await db.transaction().execute(async (trx) => {
        const meetingId = await plansStore(trx).insertMeeting({ kind, heldOn: input.heldOn, chair: input.chair, chairAgencyId: input.chairAgencyId, subjectIds, attendees: input.attendees, decisions: input.decisions, agencyId: user.agencyId, userId: user.id })
        for (const subject of subjectIds) {
          await recordPersonEvent(trx, { personId: subject, kind: 'plan-meeting', summary: meetingHeldSummary(kind, input.heldOn, input.chair), actorId: user.id, at: clock.now(), refType: 'plan_meeting', refId: meetingId })
        }
        await audit.record(ctx, { action: 'create', recordType: 'plan_meeting', recordId: meetingId, details: { kind, subjects: subjectIds.length, child: child.id } }, trx)
        return meetingId
      })
      return { ok: true, value: id }
    },

    /** The meeting record: who came for which agency, what was decided, and its actions. Audited as a view. */
    async meeting(ctx: RequestContext, id: string, purpose: 'page' | 'pdf' = 'page') {
      const { meeting, subjects } = await meetingOf(ctx, id, 'person:view')
      const [actions, agencies, changes] = await Promise.all([store.actionsOf(id), agencyNames(), store.meetingChanges(id)])
      const today = clock.today()
      await audit.record(ctx, { action: purpose === 'pdf' ? 'export' : 'view', recordType: 'plan_meeting', recordId: id, details: { subjects: subjects.map((s) => s.id), ...(purpose === 'pdf' ? { format: 'pdf' } : {}) } })
      const attendees = meeting.attendees.map((a) => ({ ...a, agencyName: a.agencyId ? (agencies.get(a.agencyId) ?? 'Unknown agency') : 'No agency given' }))
      const byAgency = [...new Set(attendees.map((a) => a.agencyName))].sort().map((agency) => ({ agency, attended: attendees.filter((a) => a.agencyName === agency && a.attended), apologies: attendees.filter((a) => a.agencyName === agency && !a.attended) }))
      return {
        meeting: { ...meeting, kindText: meetingKindText(meeting.kind) },
        subjects,
        attendeesByAgency: byAgency,
        actions: actions.map((a) => ({ ...withState(a, today), targetName: targetName(a) })),
        changes: changes.map((c) => ({ ...c, fieldsText: c.changed_fields.map((f) => MEETING_FIELD_TEXT[f as keyof MeetingFieldsBefore] ?? f).join(', ') })),
        canEdit: access.can(ctx, 'person:edit') && subjects.every((s) => !s.readOnly),
        today,
        exportedBy: { name: ctx.user!.name, at: clock.now() },
      }
    },

    /** For the form that corrects a meeting: the meeting, authorised for editing on every person discussed. Audited as a view. */
    async meetingForEdit(ctx: RequestContext, id: string) {
      const { meeting, subjects } = await meetingOf(ctx, id, 'person:edit')
      const agencies = await store.agencies()
      await audit.record(ctx, { action: 'view', recordType: 'plan_meeting', recordId: id, details: { page: 'edit' } })
      return { meeting: { ...meeting, kindText: meetingKindText(meeting.kind) }, subjects, agencies: agencies.map((a) => ({ value: a.id, text: a.name })) }
    },

    /**
     * Corrects a meeting record with a reason: refused (as any change) when a person discussed is
     * closed or merged, 409 when someone else saved first. The fields as they were go to the
     * meeting's history, each subject's timeline says it was corrected, and the audit names the fields.
     */
    async editMeeting(ctx: RequestContext, id: string, version: number, input: MeetingEdit): Promise<Result<string>> {
      const { meeting, subjects } = await meetingOf(ctx, id, 'person:edit')
      const before: MeetingFieldsBefore = { kind: meeting.kind, held_on: meeting.held_on, chair: meeting.chair, chair_agency_id: meeting.chair_agency_id, attendees: meeting.attendees, decisions: meeting.decisions }
      const after: MeetingFieldsBefore = { kind: input.kind as MeetingKind, held_on: input.heldOn, chair: input.chair, chair_agency_id: input.chairAgencyId, attendees: input.attendees, decisions: input.decisions }
      const fields = changedMeetingFields(before, after)
      const issues: Issue[] = []
      if (input.heldOn > clock.today()) issues.push({ field: 'held-day', message: 'The date of the meeting must be today or in the past' })
      if (!fields.length) issues.push({ field: 'kind', message: 'Nothing has been changed: change the record, or cancel' })
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const user = ctx.user!
      await db.transaction().execute(async (trx) => {
        const changed = await plansStore(trx).updateMeeting(id, version, after, { before, fields, reason: input.reason, userId: user.id, at: clock.now() })
        if (!changed) throw new ConflictError('This meeting record was changed by someone else after you opened it. Nothing you entered was saved.')
        const summary = `${meetingKindText(after.kind)} of ${formatDate(after.held_on)} corrected (${fields.map((f) => MEETING_FIELD_TEXT[f].toLowerCase()).join(', ')}): ${input.reason}`
        for (const s of subjects) await recordPersonEvent(trx, { personId: s.id, kind: 'plan-meeting', summary: summary.slice(0, 500), actorId: user.id, at: clock.now(), refType: 'plan_meeting', refId: id })
        await audit.record(ctx, { action: 'update', recordType: 'plan_meeting', recordId: id, details: { fields, subjects: subjects.map((s) => s.id) } }, trx)
      })
      return { ok: true, value: id }
    },

    /** For the action form: the meeting, authorised for editing, and who or what an action may name. */
    async actionForm(ctx: RequestContext, meetingId: string) {
      const { meeting, subjects } = await meetingOf(ctx, meetingId, 'person:edit')
      const [users, agencies] = await Promise.all([store.users(), store.agencies()])
      return {
        meeting: { ...meeting, kindText: meetingKindText(meeting.kind) },
        subjects,
        users: users.map((u) => ({ value: u.id, text: `${u.name} (${u.agency})` })),
        agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
        adults: subjects.filter((s) => s.kind === 'adult').map((s) => ({ value: s.id, text: s.name })),
      }
    },

    async addAction(ctx: RequestContext, meetingId: string, input: ActionInput): Promise<Result<string>> {
      const { meeting, subjects } = await meetingOf(ctx, meetingId, 'person:edit')
      const issues: Issue[] = []
      const ownerUser = input.ownerUserId ? await store.user(input.ownerUserId) : null
      if (input.ownerUserId && !ownerUser) issues.push({ field: 'ownerUserId', message: 'Select the person who owns the action from the list' })
      if (!input.ownerUserId && !input.ownerAgencyId) issues.push({ field: 'ownerUserId', message: 'Select the person or the agency who owns the action' })
      if (input.dueOn < meeting.held_on) issues.push({ field: 'due-day', message: 'The due date must be on or after the day of the meeting' })
      if (input.targetPersonId && !subjects.some((s) => s.id === input.targetPersonId && s.kind === 'adult')) issues.push({ field: 'targetPersonId', message: 'Select an adult discussed at this meeting' })
      let entityId: string | null = null
      if (input.targetEntity) {
        const { ids, unreadable } = idsIn(input.targetEntity)
        const entity = ids.length === 1 && !unreadable.length ? await store.entity(ids[0]) : undefined
        if (entity) entityId = entity.id
        else issues.push({ field: 'targetEntity', message: 'Enter the address of one network record you can see, copied from its page' })
      }
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const user = ctx.user!
      const id = await db.transaction().execute(async (trx) => {
        const row = await plansStore(trx).insertAction({
          meeting_id: meetingId,
          description: input.description,
          owner_user_id: ownerUser?.id ?? null,
          owner_agency_id: ownerUser ? null : input.ownerAgencyId,
          due_on: input.dueOn,
          target_person_id: input.targetPersonId,
          target_entity_id: entityId,
          created_by: user.id,
        })
        await audit.record(ctx, { action: 'create', recordType: 'plan_action', recordId: row.id, details: { meetingId, ownerUserId: ownerUser?.id ?? null, ownerAgencyId: ownerUser ? null : input.ownerAgencyId, dueOn: input.dueOn, targetPersonId: input.targetPersonId, targetEntityId: entityId } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    /** For the form that closes an action: the action, its meeting authorised for editing. Audited as a view. */
    async actionForClose(ctx: RequestContext, actionId: string) {
      const action = await store.action(actionId)
      if (!action) throw new NotFoundError()
      const { meeting, subjects } = await meetingOf(ctx, action.meeting_id, 'person:edit')
      await audit.record(ctx, { action: 'view', recordType: 'plan_action', recordId: actionId, details: { meetingId: meeting.id, page: 'close' } })
      return { action: { ...withState(action, clock.today()), targetName: targetName(action) }, meeting: { ...meeting, kindText: meetingKindText(meeting.kind) }, subjects }
    },

    async closeAction(ctx: RequestContext, actionId: string, version: number, input: CloseActionFields): Promise<Result<string>> {
      const action = await store.action(actionId)
      if (!action) throw new NotFoundError()
      const { subjects } = await meetingOf(ctx, action.meeting_id, 'person:edit')
      const user = ctx.user!
      await db.transaction().execute(async (trx) => {
        const changed = await plansStore(trx).closeAction(actionId, version, { status: input.status, reason: input.reason, userId: user.id, at: clock.now() })
        if (!changed) throw new ConflictError('This action was changed by someone else after you opened it. Nothing you entered was saved.')
        const summary = input.status === 'done' ? `Plan action done: ${action.description}` : `Plan action cancelled (${input.reason}): ${action.description}`
        for (const s of subjects) await recordPersonEvent(trx, { personId: s.id, kind: 'plan-action', summary: summary.slice(0, 500), actorId: user.id, at: clock.now(), refType: 'plan_meeting', refId: action.meeting_id })
        await audit.record(ctx, { action: 'update', recordType: 'plan_action', recordId: actionId, details: { meetingId: action.meeting_id, status: input.status } }, trx)
      })
      return { ok: true, value: action.meeting_id }
    },
  }
}

export type PlansService = ReturnType<typeof plansService>
