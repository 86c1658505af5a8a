import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import { containsPattern } from '../../db/like.ts'

/** The sections of a subject access export that hold records of their own, in the order they are listed. */
export const HELD_SECTIONS = ['aliases', 'identifiers', 'addresses', 'timeline', 'notes', 'assessments', 'missingEpisodes', 'nrmReferrals', 'cawns', 'networkLinks', 'publicReports'] as const
export type HeldSection = (typeof HELD_SECTIONS)[number]

/** One record held in a section: its id and, where the record says so, the agency that made it. */
export interface HeldRecord {
  section: HeldSection
  id: string
  agency_name: string | null
}

/** Who stands in for a person named on a record whose own record the requester's agency may not see. */
const HIDDEN_PERSON = 'Not named: a person whose record your agency may not see'

/** The person's network entities: the intelligence picture's stand-ins for them. */
const entitiesOf = (personId: string) => sql`(select e.id from network_entities e where e.person_id = ${personId})`

/**
 * SQL for a subject access export: everything that hangs off one person. Every read here runs
 * under the row-level security of whoever calls it (subject-access.ts reads as the requester's
 * agency), except `census`, which the service runs as the owner to count what was not included.
 */
export function subjectAccessStore(db: Db) {
  return {
    /** The agency's own records whose name or other name contains `term`, for finding the person who asked. */
    findOwned: (agencyId: string, term: string, limit: number) => {
      const like = containsPattern(term)
      return db
        .selectFrom('people as p')
        .leftJoin('areas as a', 'a.id', 'p.current_area_id')
        .select(['p.id', 'p.kind', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.date_of_birth', 'p.approximate_age', 'a.name as area_name'])
        .where('p.owner_agency_id', '=', agencyId)
        .where('p.merged_into', 'is', null)
        .where((eb) =>
          eb.or([
            sql<boolean>`p.given_name || ' ' || p.family_name ilike ${like}`,
            eb('p.preferred_name', 'ilike', like),
            eb.exists(eb.selectFrom('person_aliases as al').select('al.id').whereRef('al.person_id', '=', 'p.id').where('al.name', 'ilike', like)),
          ]),
        )
        .orderBy('p.family_name')
        .orderBy('p.given_name')
        .limit(limit)
        .execute()
    },

    timeline: (personId: string) =>
      db
        .selectFrom('person_events as e')
        .leftJoin('users as u', 'u.id', 'e.actor_id')
        .leftJoin('agencies as a', 'a.id', 'u.agency_id')
        .select(['e.id', 'e.at', 'e.kind', 'e.summary', 'e.police_only', 'u.name as actor_name', 'a.name as actor_agency'])
        .where('e.person_id', '=', personId)
        .orderBy('e.at')
        .orderBy('e.id')
        .execute(),

    notes: (personId: string) =>
      db
        .selectFrom('person_notes as n')
        .innerJoin('users as u', 'u.id', 'n.author_id')
        .innerJoin('agencies as a', 'a.id', 'n.author_agency_id')
        .select(['n.id', 'n.kind', 'n.occurred_on', 'n.body', 'n.sensitivity', 'n.grade_source', 'n.grade_assessment', 'n.grade_handling', 'n.handling_conditions', 'n.created_at', 'n.author_agency_id', 'u.name as author_name', 'a.name as author_agency'])
        .where('n.person_id', '=', personId)
        .orderBy('n.occurred_on')
        .orderBy('n.created_at')
        .execute(),

    assessments: (personId: string) =>
      db
        .selectFrom('risk_assessments as r')
        .leftJoin('users as s', 's.id', 'r.submitted_by')
        .leftJoin('users as c', 'c.id', 'r.confirmed_by')
        .select([
          'r.id',
          'r.kind',
          'r.status',
          'r.tool_version',
          'r.computed_level',
          'r.final_level',
          'r.override_reason',
          'r.analysis',
          'r.answers',
          'r.explanation',
          'r.review_due',
          'r.started_at',
          'r.submitted_at',
          'r.confirmed_at',
          'r.confirmation_outcome',
          'r.confirmation_note',
          's.name as submitted_by_name',
          'c.name as confirmed_by_name',
        ])
        .where('r.person_id', '=', personId)
        .orderBy('r.started_at')
        .execute(),

    missingEpisodes: (personId: string) =>
      db
        .selectFrom('missing_episodes as m')
        .leftJoin('areas as fa', 'fa.id', 'm.missing_from_area_id')
        .leftJoin('areas as ta', 'ta.id', 'm.found_area_id')
        .leftJoin('agencies as ra', 'ra.id', 'm.rhi_agency_id')
        .select([
          'm.id',
          'm.reported_missing_at',
          'fa.name as missing_from',
          'm.police_reference',
          'm.found_at',
          'ta.name as found_in',
          'm.found_location',
          'm.found_out_of_area',
          'm.found_by',
          'm.found_by_detail',
          'm.concerns',
          'm.notes',
          'm.rhi_offered_at',
          'm.rhi_held_at',
          'm.rhi_declined',
          'm.rhi_notes',
          'ra.name as rhi_agency',
          // Voided as made in error: still held, so disclosed, and marked as such.
          'm.voided_at',
          'm.void_reason',
        ])
        .where('m.person_id', '=', personId)
        .orderBy('m.reported_missing_at')
        .execute(),

    nrmReferrals: (personId: string) =>
      db
        .selectFrom('nrm_referrals as n')
        .innerJoin('agencies as a', 'a.id', 'n.first_responder_agency_id')
        .select(['n.id', 'n.referred_on', 'n.reference', 'n.exploitation_types', 'n.rg_decision', 'n.rg_decision_on', 'n.cg_decision', 'n.cg_decision_on', 'n.notes', 'n.first_responder_agency_id', 'a.name as first_responder', 'n.voided_at', 'n.void_reason'])
        .where('n.person_id', '=', personId)
        .orderBy('n.referred_on')
        .execute(),

    /** Warning notices protecting the person (as the child) or served on them (as the adult), with their breaches. */
    cawns: (personId: string) =>
      db
        .selectFrom('cawns as c')
        // Left joins: the notice is part of the person's record even when the other person's
        // record is one the requester's agency may not see (then it is not named).
        .leftJoin('people as child', 'child.id', 'c.person_id')
        .leftJoin('people as adult', 'adult.id', 'c.adult_id')
        .leftJoin('agencies as a', 'a.id', 'c.served_by_agency_id')
        .select([
          'c.id',
          'c.person_id',
          'c.served_on',
          'c.expires_on',
          'c.reference',
          'c.notes',
          'c.served_by_agency_id',
          'a.name as served_by',
          sql<string>`coalesce(child.given_name || ' ' || child.family_name, ${HIDDEN_PERSON})`.as('child_name'),
          sql<string>`coalesce(adult.given_name || ' ' || adult.family_name, ${HIDDEN_PERSON})`.as('adult_name'),
          sql<{ occurred_on: string; description: string; action_taken: string | null }[]>`coalesce((select json_agg(json_build_object('occurred_on', b.occurred_on, 'description', b.description, 'action_taken', b.action_taken) order by b.occurred_on)
            from cawn_breaches b where b.cawn_id = c.id), '[]')`.as('breaches'),
        ])
        .where((eb) => eb.or([eb('c.person_id', '=', personId), eb('c.adult_id', '=', personId)]))
        .orderBy('c.served_on')
        .execute(),

    /** Graded links from the person's network entities, with the entity at the other end. */
    networkLinks: (personId: string) =>
      db
        .selectFrom('network_links as l')
        .innerJoin('network_entities as s', 's.id', 'l.source_id')
        .innerJoin('network_entities as t', 't.id', 'l.target_id')
        .innerJoin('agencies as a', 'a.id', 'l.source_agency_id')
        .select([
          'l.id',
          'l.type',
          'l.first_seen',
          'l.last_seen',
          'l.basis',
          'l.grade_source',
          'l.grade_assessment',
          'l.grade_handling',
          'l.status',
          'l.source_agency_id',
          'a.name as source_agency',
          sql<boolean>`s.person_id is not distinct from ${personId}`.as('outgoing'),
          sql<string>`case when s.person_id is not distinct from ${personId} then t.label else s.label end`.as('other_label'),
          sql<string>`case when s.person_id is not distinct from ${personId} then t.kind else s.kind end`.as('other_kind'),
        ])
        .where(sql<boolean>`(l.source_id in ${entitiesOf(personId)} or l.target_id in ${entitiesOf(personId)})`)
        .orderBy('l.first_seen')
        .orderBy('l.id')
        .execute(),

    /**
     * Reports from the public linked to the person by triage staff. The reporter's
     * contact details are never read: only whether they gave any.
     */
    publicReports: (personId: string) =>
      db
        .selectFrom('public_reports as r')
        .select([
          'r.id',
          'r.reference',
          'r.channel',
          'r.received_on',
          'r.what_happened',
          'r.where_happened',
          'r.when_happened',
          'r.when_detail',
          'r.who_involved',
          'r.child_at_risk',
          'r.anything_else',
          'r.anonymous',
          sql<boolean>`(r.contact_name is not null or r.contact_phone is not null or r.contact_email is not null)`.as('reporter_gave_contact'),
        ])
        .where(sql<boolean>`r.id in ${linkedReports(personId)}`)
        .orderBy('r.received_on')
        .execute(),

    /**
     * Every record held about the person in each section, with the agency that made it where the
     * record names one: ids and agency names only, never content. Run as the owner, it says what
     * exists; the service compares it with what the requester read.
     */
    async census(personId: string): Promise<HeldRecord[]> {
      const { rows } = await sql<HeldRecord>`
        select 'aliases' as section, id::text, null as agency_name from person_aliases where person_id = ${personId}
        union all select 'identifiers', i.id::text, a.name from person_identifiers i left join agencies a on a.id = i.agency_id where i.person_id = ${personId}
        union all select 'addresses', id::text, null from person_addresses where person_id = ${personId}
        union all select 'timeline', e.id::text, a.name from person_events e left join users u on u.id = e.actor_id left join agencies a on a.id = u.agency_id where e.person_id = ${personId}
        union all select 'notes', n.id::text, a.name from person_notes n join agencies a on a.id = n.author_agency_id where n.person_id = ${personId}
        union all select 'assessments', id::text, null from risk_assessments where person_id = ${personId}
        union all select 'missingEpisodes', id::text, null from missing_episodes where person_id = ${personId}
        union all select 'nrmReferrals', n.id::text, a.name from nrm_referrals n join agencies a on a.id = n.first_responder_agency_id where n.person_id = ${personId}
        union all select 'cawns', c.id::text, a.name from cawns c left join agencies a on a.id = c.served_by_agency_id where c.person_id = ${personId} or c.adult_id = ${personId}
        union all select 'networkLinks', l.id::text, a.name from network_links l join agencies a on a.id = l.source_agency_id
          where l.source_id in ${entitiesOf(personId)} or l.target_id in ${entitiesOf(personId)}
        union all select 'publicReports', r.id::text, null from public_reports r where r.id in ${linkedReports(personId)}`.execute(db)
      return rows
    },
  }
}

function linkedReports(personId: string) {
  return sql`(select l.report_id from public_report_links l where l.removed_at is null and l.entity_type = 'person' and l.entity_id = ${personId})`
}

export type SubjectAccessStore = ReturnType<typeof subjectAccessStore>
