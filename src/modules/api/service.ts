import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { peopleService, displayName } from '../people/index.ts'
import { notesService } from '../people/index.ts'
import { registerService, type RegisterRow } from '../register/index.ts'
import type { RegisterFilter } from '../register/index.ts'
import { assessmentsForPerson } from '../risk/index.ts'
import { missingEpisodesForPerson } from '../missing/index.ts'
import { rhiStatus } from '../missing/index.ts'
import { plansService } from '../plans/index.ts'

const ref = (id: string | null, name: string | null | undefined) => (id ? { id, name: name ?? null } : null)

/** A register row as the API returns it in lists. */
export function personSummary(r: RegisterRow) {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    givenName: r.given_name,
    familyName: r.family_name,
    preferredName: r.preferred_name,
    dateOfBirth: r.date_of_birth,
    approximateAge: r.approximate_age,
    age: r.age,
    gender: r.gender,
    risk: { level: r.current_rag, assessedAt: r.current_rag_at?.toISOString() ?? null, reviewDue: r.next_review_due, review: r.reviewState },
    homeArea: ref(r.home_area_id, r.home_area_name),
    currentArea: ref(r.current_area_id, r.current_area_name),
    outOfArea: r.outOfArea,
    ownerAgency: { id: r.owner_agency_id, name: r.owner_agency_name },
    team: ref(r.owner_team_id, r.team_name),
    allocatedWorker: ref(r.allocated_worker_id, r.worker_name),
    flags: { lookedAfter: r.looked_after, careLeaver: r.care_leaver, send: r.send },
    missingEpisodesLast30Days: r.missing_recent,
    // The facts Home's worklists are made of, so a client can list the same work.
    worklist: {
      reviewPromptedBySeriousEpisode: r.review_prompted,
      missingNow: r.missing_now,
      returnHomeInterviewOverdue: r.rhi_overdue,
      redAwaitingConfirmation: r.rag_awaiting_confirmation,
      cawnExpiringSoon: r.cawnExpiring,
      nrmDecisionAwaited: r.nrm_awaited,
    },
    cawn: r.cawn_expires_on ? { inForceUntil: r.cawn_expires_on } : null,
    nrm: r.nrm_latest ? { referredOn: r.nrm_latest.referred_on, reasonableGrounds: r.nrm_latest.rg_decision, conclusiveGrounds: r.nrm_latest.cg_decision, stage: r.nrmStage } : null,
    closedAt: r.closed_at?.toISOString() ?? null,
    links: { self: `/api/v1/people/${r.id}`, page: `/people/${r.id}` },
  }
}

/** What a meeting is called, in a list and on its own. */
const meetingHeading = (m: { id: string; kind: string; kindText: string; held_on: string; chair: string }) => ({ id: m.id, kind: m.kind, kindText: m.kindText, heldOn: m.held_on, chair: m.chair })

/** A plan action as the API returns it. */
function action(a: {
  id: string
  meeting_id: string
  description: string
  due_on: string
  status: 'open' | 'done' | 'cancelled'
  state: string
  cancel_reason: string | null
  closed_at: Date | null
  owner_user_name: string | null
  owner_agency_name: string | null
  targetName: string | null
  target_entity_label: string | null
}) {
  return {
    id: a.id,
    meetingId: a.meeting_id,
    description: a.description,
    dueOn: a.due_on,
    status: a.status,
    state: a.state,
    cancelReason: a.cancel_reason,
    closedAt: a.closed_at?.toISOString() ?? null,
    owner: a.owner_user_name ?? a.owner_agency_name,
    target: a.targetName ?? a.target_entity_label,
  }
}

/**
 * The JSON API's reads. Each goes through the same services as the pages, so the role checks,
 * need-to-know, police-only rules and the audit trail are the same whichever way a record is read.
 */
export function apiService(deps: ModuleDeps) {
  const people = peopleService(deps)
  const notes = notesService(deps)
  const register = registerService(deps)
  const plans = plansService(deps)
  const { db, audit, clock } = deps

  return {
    async people(ctx: RequestContext, filter: RegisterFilter) {
      const result = await register.search(ctx, filter, 'api')
      return { total: result.total, counts: result.counts, page: filter.page, pageSize: filter.pageSize, data: result.rows.map(personSummary) }
    },

    async person(ctx: RequestContext, id: string) {
      const v = await people.view(ctx, id)
      const p = v.person
      return {
        id: p.id,
        kind: p.kind,
        name: displayName(p),
        givenName: p.given_name,
        familyName: p.family_name,
        preferredName: p.preferred_name,
        dateOfBirth: p.date_of_birth,
        approximateAge: p.approximate_age,
        age: p.age,
        gender: p.gender,
        ethnicity: p.ethnicity,
        school: p.school,
        risk: { level: p.current_rag, assessedAt: p.current_rag_at?.toISOString() ?? null, reviewDue: p.next_review_due },
        homeArea: ref(p.home_area_id, p.home_area_name),
        currentArea: ref(p.current_area_id, p.current_area_name),
        outOfArea: p.outOfArea,
        ownerAgency: { id: p.owner_agency_id, name: p.owner_agency_name },
        team: ref(p.owner_team_id, p.owner_team_name),
        allocatedWorker: ref(p.allocated_worker_id, p.allocated_worker_name),
        flags: { lookedAfter: p.looked_after, careLeaver: p.care_leaver, send: p.send, learningDisability: p.learning_disability },
        mergedInto: p.merged_into,
        aliases: v.aliases.map((a) => ({ name: a.name, kind: a.kind })),
        identifiers: v.identifiers.map((i) => ({ scheme: i.scheme, value: i.value, agency: i.agency_name })),
        addresses: v.addresses.map((a) => ({ address: a.address, postcode: a.postcode, area: a.area_name, kind: a.kind, from: a.from_date, to: a.to_date })),
        sharedWith: v.shares.map((s) => (s.agency_name ? { agency: s.agency_name } : { user: s.user_name })),
        version: p.version,
        links: {
          self: `/api/v1/people/${p.id}`,
          notes: `/api/v1/people/${p.id}/notes`,
          assessments: `/api/v1/people/${p.id}/assessments`,
          missingEpisodes: `/api/v1/people/${p.id}/missing-episodes`,
          meetings: `/api/v1/people/${p.id}/meetings`,
          page: `/people/${p.id}`,
        },
      }
    },

    /**
     * The meetings the person was discussed at and the open actions agreed at them, as the plan
     * tab lists them (the same need-to-know: a meeting about someone the user may not see is not
     * there). Audited by the plans service.
     */
    async meetings(ctx: RequestContext, id: string) {
      const plan = await plans.personPlan(ctx, id)
      return {
        data: plan.meetings.map((m) => ({
          ...meetingHeading(m),
          otherPeopleDiscussed: m.others,
          openActions: Number(m.open_actions ?? 0),
          links: { self: `/api/v1/meetings/${m.id}`, page: `/plans/meetings/${m.id}` },
        })),
        openActions: plan.actions.map(action),
      }
    },

    /** One meeting: who came for which agency, what was decided, its actions and corrections. Needs sight of every person discussed. */
    async meeting(ctx: RequestContext, id: string) {
      const v = await plans.meeting(ctx, id)
      const m = v.meeting
      return {
        ...meetingHeading(m),
        chairAgency: m.chair_agency_name,
        recordedBy: { agency: m.recorded_by_agency_name, user: m.created_by_name },
        peopleDiscussed: v.subjects.map((s) => ({ id: s.id, kind: s.kind, name: s.name, links: { self: `/api/v1/people/${s.id}` } })),
        attendees: v.attendeesByAgency.flatMap((g) => [...g.attended, ...g.apologies].map((a) => ({ name: a.name, role: a.role, agency: a.agencyId ? g.agency : null, attended: a.attended }))),
        decisions: m.decisions,
        actions: v.actions.map(action),
        corrections: v.changes.map((c) => ({ reason: c.reason, fields: c.changed_fields, changedAt: c.changed_at.toISOString(), changedBy: c.changed_by_name })),
        version: m.version,
        links: { self: `/api/v1/meetings/${m.id}`, page: `/plans/meetings/${m.id}` },
      }
    },

    async notes(ctx: RequestContext, id: string, page: number) {
      const list = await notes.list(ctx, id, page)
      return {
        total: list.total,
        page: list.page,
        pageSize: list.pageSize,
        data: list.notes.map((n) => ({
          id: n.id,
          kind: n.kind,
          occurredOn: n.occurred_on,
          sensitivity: n.sensitivity,
          grade: n.grade_source ? { source: n.grade_source, assessment: n.grade_assessment, handling: n.grade_handling, conditions: n.handling_conditions } : null,
          body: n.body,
          author: { name: n.author_name, agency: n.author_agency, team: n.author_team },
          createdAt: n.created_at.toISOString(),
        })),
      }
    },

    async assessments(ctx: RequestContext, id: string) {
      await people.authorised(ctx, id)
      const rows = await assessmentsForPerson(db, id)
      await audit.record(ctx, { action: 'view', recordType: 'person', recordId: id, details: { page: 'assessments', via: 'api' } })
      return {
        data: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          status: r.status,
          toolVersion: r.tool_version,
          computedScore: r.computed_score,
          computedLevel: r.computed_level,
          finalLevel: r.final_level,
          overrideReason: r.override_reason,
          reviewDue: r.review_due,
          submittedAt: r.submitted_at?.toISOString() ?? null,
          submittedBy: r.submitted_by_name,
          confirmedAt: r.confirmed_at?.toISOString() ?? null,
          confirmedBy: r.confirmed_by_name,
          confirmationOutcome: r.confirmation_outcome,
          links: { page: `/people/${id}/risk/screenings/${r.id}` },
        })),
      }
    },

    async missingEpisodes(ctx: RequestContext, id: string) {
      await people.authorised(ctx, id)
      const rows = await missingEpisodesForPerson(db, id)
      await audit.record(ctx, { action: 'view', recordType: 'person', recordId: id, details: { page: 'missing', via: 'api' } })
      const now = clock.now()
      return {
        data: rows.map((m) => {
          const rhi = rhiStatus(m, now)
          return {
            id: m.id,
            reportedMissingAt: m.reported_missing_at.toISOString(),
            missingFrom: ref(m.missing_from_area_id, m.missing_from_area_name),
            policeReference: m.police_reference,
            foundAt: m.found_at?.toISOString() ?? null,
            foundArea: ref(m.found_area_id, m.found_area_name),
            foundLocation: m.found_location,
            foundOutOfArea: m.found_out_of_area,
            foundBy: m.found_by,
            concerns: m.concerns,
            returnHomeInterview: {
              status: rhi.status,
              dueAt: rhi.dueAt?.toISOString() ?? null,
              offeredAt: m.rhi_offered_at?.toISOString() ?? null,
              heldAt: m.rhi_held_at?.toISOString() ?? null,
              declined: m.rhi_declined,
              agency: m.rhi_agency_name,
            },
            seriousReasons: m.serious_reasons,
            // Listed so the record is complete; a client counting episodes leaves voided ones out.
            voided: m.voided_at ? { at: m.voided_at.toISOString(), by: m.voided_by_name, reason: m.void_reason } : null,
          }
        }),
      }
    },
  }
}
