import { sql, type Expression, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { LegalBasis } from '../../db/schema.ts'
import type { RegisterFilter, ShareStatus } from './schemas.ts'

/** A share's state now: revoked, past its expiry (the database's clock), or giving access. */
const shareStatus = sql<ShareStatus>`case when s.revoked_at is not null then 'revoked' when s.expires_at is not null and s.expires_at <= now() then 'expired' else 'live' end`

/** The agency that owns the record a row names (people or network entities). */
const ownerOf = (type: Expression<string>, id: Expression<string>) =>
  sql<string | null>`(case when ${type} = 'person' then (select p.owner_agency_id from people p where p.id = ${id})
                           when ${type} = 'network_entity' then (select ne.owner_agency_id from network_entities ne where ne.id = ${id}) end)`

export interface ShareRow {
  id: string
  record_type: string
  record_id: string
  owner_agency_name: string | null
  agency_id: string | null
  agency_name: string | null
  user_id: string | null
  user_name: string | null
  user_agency_name: string | null
  purpose: string | null
  legal_basis: LegalBasis | null
  review_on: string | null
  expires_at: Date | null
  granted_at: Date
  granted_by_name: string | null
  revoked_at: Date | null
  revoked_by_name: string | null
  revoke_reason: string | null
  status: ShareStatus
}

/** SQL of lawful sharing: shares with their terms, requests for access, and break-glass reviews. */
export function sharingStore(db: Db) {
  function shares() {
    return db
      .selectFrom('record_shares as s')
      .leftJoin('agencies as a', 'a.id', 's.agency_id')
      .leftJoin('users as u', 'u.id', 's.user_id')
      .leftJoin('agencies as ua', 'ua.id', 'u.agency_id')
      .leftJoin('users as g', 'g.id', 's.granted_by')
      .leftJoin('users as r', 'r.id', 's.revoked_by')
      .select([
        's.id',
        's.record_type',
        's.record_id',
        's.agency_id',
        'a.name as agency_name',
        's.user_id',
        'u.name as user_name',
        'ua.name as user_agency_name',
        's.purpose',
        's.legal_basis',
        's.review_on',
        's.expires_at',
        's.granted_at',
        'g.name as granted_by_name',
        's.revoked_at',
        'r.name as revoked_by_name',
        's.revoke_reason',
        shareStatus.as('status'),
        sql<string | null>`(select oa.name from agencies oa where oa.id = ${ownerOf(sql.ref('s.record_type'), sql.ref('s.record_id'))})`.as('owner_agency_name'),
      ])
  }

  function registerQuery(filter: Omit<RegisterFilter, 'page'>) {
    let q = shares()
    if (filter.status) q = q.where(shareStatus, '=', filter.status)
    if (filter.legalBasis === 'none') q = q.where('s.legal_basis', 'is', null)
    else if (filter.legalBasis) q = q.where('s.legal_basis', '=', filter.legalBasis)
    if (filter.agencyId) {
      const agencyId = filter.agencyId
      q = q.where(
        sql<SqlBool>`(s.agency_id = ${agencyId} or ua.id = ${agencyId} or ${ownerOf(sql.ref('s.record_type'), sql.ref('s.record_id'))} = ${agencyId})`,
      )
    }
    return q
  }

  return {
    /** Every share of one record, live or not, oldest first. */
    recordShares: (type: string, id: string): Promise<ShareRow[]> =>
      shares().where('s.record_type', '=', type).where('s.record_id', '=', id).orderBy('s.granted_at').execute() as Promise<ShareRow[]>,

    share: (id: string) => shares().where('s.id', '=', id).executeTakeFirst() as Promise<ShareRow | undefined>,

    /** Whether a live share already gives this agency or person the record. */
    hasLiveShare: async (type: string, id: string, to: { agencyId: string | null; userId: string | null }) =>
      Boolean(
        await db
          .selectFrom('live_record_shares')
          .select('id')
          .where('record_type', '=', type)
          .where('record_id', '=', id)
          .where((eb) => (to.agencyId ? eb('agency_id', '=', to.agencyId) : eb('user_id', '=', to.userId!)))
          .executeTakeFirst(),
      ),

    /** Agencies that may receive a share (they hold personal data), other than the owner. */
    recipientAgencies: (ownerAgencyId: string) =>
      db
        .selectFrom('agencies')
        .select(['id', 'name'])
        .where('active', '=', true)
        .where('holds_personal_data', '=', true)
        .where('id', '<>', ownerAgencyId)
        .orderBy('name')
        .execute(),

    /** People who may receive a share: active, in a role that sees personal data, at another agency that holds it. */
    recipientUsers: (ownerAgencyId: string) =>
      db
        .selectFrom('users as u')
        .innerJoin('agencies as a', 'a.id', 'u.agency_id')
        .innerJoin('roles as r', 'r.id', 'u.role')
        .select(['u.id', 'u.name', 'a.short_name as agency_name'])
        .where('u.active', '=', true)
        .where('r.sees_personal_data', '=', true)
        .where('a.active', '=', true)
        .where('a.holds_personal_data', '=', true)
        .where('a.id', '<>', ownerAgencyId)
        .orderBy('u.name')
        .execute(),

    insertShare: (
      executor: Db,
      row: { record_type: string; record_id: string; agency_id: string | null; user_id: string | null; granted_by: string; purpose: string; legal_basis: LegalBasis; review_on: string; expires_at: Date | null },
    ) => executor.insertInto('record_shares').values(row).returning('id').executeTakeFirstOrThrow(),

    /** Ends a share that has not already been revoked; false when someone else got there first. */
    revokeShare: async (executor: Db, id: string, by: string, reason: string) => {
      const result = await executor.updateTable('record_shares').set({ revoked_at: sql`now()`, revoked_by: by, revoke_reason: reason }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    /** The data-sharing register: every share of every record, newest first. */
    register: async (filter: RegisterFilter, limit: number) => {
      const [rows, total] = await Promise.all([
        registerQuery(filter)
          .orderBy('s.granted_at', 'desc')
          .orderBy('s.id')
          .limit(limit)
          .offset((filter.page - 1) * limit)
          .execute() as Promise<ShareRow[]>,
        db
          .selectFrom(registerQuery(filter).as('r'))
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ])
      return { rows, total: Number(total.n) }
    },

    /** The register for CSV, in batches (keyset on granted_at and id). */
    async *iterateRegister(filter: Omit<RegisterFilter, 'page'>, batch = 1000): AsyncGenerator<ShareRow[]> {
      let after: { at: Date; id: string } | null = null
      for (;;) {
        let q = registerQuery(filter)
        if (after) q = q.where(sql<SqlBool>`(s.granted_at, s.id) < (${after.at}, ${after.id})`)
        const rows = (await q.orderBy('s.granted_at', 'desc').orderBy('s.id', 'desc').limit(batch).execute()) as ShareRow[]
        if (!rows.length) return
        yield rows
        const last = rows[rows.length - 1]
        after = { at: last.granted_at, id: last.id }
      }
    },

    agencies: () => db.selectFrom('agencies').select(['id', 'name']).orderBy('name').execute(),

    // Requests for access

    insertRequest: (
      executor: Db,
      row: { record_type: string; record_id: string; owner_agency_id: string; requested_by: string; requester_agency_id: string; purpose: string; legal_basis: LegalBasis },
    ) => executor.insertInto('access_requests').values(row).returning('id').executeTakeFirstOrThrow(),

    pendingRequestBy: (type: string, id: string, userId: string) =>
      db.selectFrom('access_requests').select(['id', 'requested_at']).where('record_type', '=', type).where('record_id', '=', id).where('requested_by', '=', userId).where('status', '=', 'pending').executeTakeFirst(),

    requests() {
      return db
        .selectFrom('access_requests as q')
        .innerJoin('users as u', 'u.id', 'q.requested_by')
        .innerJoin('agencies as a', 'a.id', 'q.requester_agency_id')
        .innerJoin('agencies as o', 'o.id', 'q.owner_agency_id')
        .leftJoin('users as d', 'd.id', 'q.decided_by')
        .leftJoin('people as p', (j) => j.onRef('p.id', '=', 'q.record_id').on('q.record_type', '=', 'person'))
        .select([
          'q.id',
          'q.record_type',
          'q.record_id',
          'q.owner_agency_id',
          'o.name as owner_agency_name',
          'q.requested_by',
          'u.name as requester_name',
          'a.name as requester_agency_name',
          'q.requester_agency_id',
          'q.purpose',
          'q.legal_basis',
          'q.requested_at',
          'q.status',
          'q.decided_at',
          'd.name as decided_by_name',
          'q.decline_reason',
          'q.share_id',
          'p.given_name',
          'p.family_name',
          'p.preferred_name',
        ])
    },

    request(id: string) {
      return this.requests().where('q.id', '=', id).executeTakeFirst()
    },

    /** Requests waiting for the owning agency's answer, oldest first. */
    pendingFor(agencyId: string) {
      return this.requests().where('q.owner_agency_id', '=', agencyId).where('q.status', '=', 'pending').orderBy('q.requested_at').execute()
    },

    /** A requester's own requests, newest first, with their outcomes. The record's names are not theirs to read. */
    requestsBy: (userId: string) =>
      db
        .selectFrom('access_requests as q')
        .innerJoin('agencies as o', 'o.id', 'q.owner_agency_id')
        .select(['q.id', 'q.record_type', 'q.record_id', 'o.name as owner_agency_name', 'q.purpose', 'q.legal_basis', 'q.requested_at', 'q.status', 'q.decided_at', 'q.decline_reason'])
        .where('q.requested_by', '=', userId)
        .orderBy('q.requested_at', 'desc')
        .limit(50)
        .execute(),

    /** Records the owner's answer on a request still pending; false when it was answered meanwhile. */
    answerRequest: async (
      executor: Db,
      id: string,
      answer: { status: 'accepted' | 'declined'; decided_by: string; decline_reason: string | null; share_id: string | null },
    ) => {
      const result = await executor
        .updateTable('access_requests')
        .set({ ...answer, decided_at: sql`now()` })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    // Break glass: the owner is told, a reviewer decides whether it was appropriate

    breakGlassList(filter: { unreviewedOnly: boolean }, limit = 200) {
      let q = db
        .selectFrom('break_glass as g')
        .innerJoin('users as u', 'u.id', 'g.user_id')
        .innerJoin('agencies as a', 'a.id', 'u.agency_id')
        .leftJoin('agencies as o', 'o.id', 'g.owner_agency_id')
        .leftJoin('users as rv', 'rv.id', 'g.reviewed_by')
        .select([
          'g.id',
          'g.record_type',
          'g.record_id',
          'g.reason',
          'g.granted_at',
          'g.expires_at',
          'o.name as owner_agency_name',
          'u.name as user_name',
          'u.email as user_email',
          'a.name as agency_name',
          'g.reviewed_at',
          'rv.name as reviewed_by_name',
          'g.review_outcome',
          'g.review_note',
        ])
        .orderBy('g.granted_at', 'desc')
        .limit(limit)
      if (filter.unreviewedOnly) q = q.where('g.reviewed_at', 'is', null)
      return q
    },

    breakGlassUses(filter: { unreviewedOnly: boolean }) {
      return this.breakGlassList(filter).execute()
    },

    breakGlassUse(id: string) {
      return this.breakGlassList({ unreviewedOnly: false }).where('g.id', '=', id).executeTakeFirst()
    },

    /** Justifications recorded for the agency's records since `since`, newest first: what its managers are told. */
    breakGlassOnAgencyRecords: (agencyId: string, since: Date) =>
      db
        .selectFrom('break_glass as g')
        .innerJoin('users as u', 'u.id', 'g.user_id')
        .innerJoin('agencies as a', 'a.id', 'u.agency_id')
        .leftJoin('people as p', (j) => j.onRef('p.id', '=', 'g.record_id').on('g.record_type', '=', 'person'))
        .select(['g.id', 'g.record_type', 'g.record_id', 'g.reason', 'g.granted_at', 'g.expires_at', 'u.name as user_name', 'a.name as agency_name', 'p.given_name', 'p.family_name', 'p.preferred_name', 'g.review_outcome'])
        .where('g.owner_agency_id', '=', agencyId)
        .where('g.granted_at', '>=', since)
        .orderBy('g.granted_at', 'desc')
        .limit(100)
        .execute(),

    breakGlassOnRecord: (type: string, id: string) =>
      db
        .selectFrom('break_glass as g')
        .innerJoin('users as u', 'u.id', 'g.user_id')
        .innerJoin('agencies as a', 'a.id', 'u.agency_id')
        .select(['g.id', 'g.reason', 'g.granted_at', 'g.expires_at', 'u.name as user_name', 'a.name as agency_name', 'g.review_outcome'])
        .where('g.record_type', '=', type)
        .where('g.record_id', '=', id)
        .orderBy('g.granted_at', 'desc')
        .execute(),

    /** A justification recorded `daysAgo` days before the real now, for the demo story. */
    insertPastBreakGlass: (row: { user_id: string; record_type: string; record_id: string; owner_agency_id: string; reason: string }, daysAgo: number, hours: number) =>
      db
        .insertInto('break_glass')
        .values({
          ...row,
          granted_at: sql<Date>`now() - make_interval(days => ${daysAgo})`,
          expires_at: sql<Date>`now() - make_interval(days => ${daysAgo}) + make_interval(hours => ${hours})`,
        })
        .execute(),

    /** Records a review once; false when it was already reviewed. */
    reviewBreakGlass: async (executor: Db, id: string, review: { reviewed_by: string; review_outcome: 'appropriate' | 'not_appropriate'; review_note: string | null }) => {
      const result = await executor.updateTable('break_glass').set({ ...review, reviewed_at: sql`now()` }).where('id', '=', id).where('reviewed_at', 'is', null).executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
  }
}

export type SharingStore = ReturnType<typeof sharingStore>
