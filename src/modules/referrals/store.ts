import { sql, type Insertable, type SqlBool, type Updateable } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { CurrentUser } from '../../kernel/context.ts'
import { onCaseloadOf, visibleTo } from '../people/index.ts'
import type { CawnsTable, NrmReferralsTable } from './tables.ts'
import type { MonthRange } from '../../kernel/london.ts'

/** A notice (as `alias`) in force on `today`: served, and not yet expired (the rule of `cawnActive`). */
const cawnInForce = (alias: string, today: string) => sql<SqlBool>`(${sql.ref(`${alias}.served_on`)} <= ${today} and ${sql.ref(`${alias}.expires_on`)} > ${today})`

/**
 * A referral (as `alias`) still awaiting a decision: not voided, no conclusive grounds decision,
 * and the reasonable grounds decision not negative (a negative one ends it).
 */
const nrmAwaitingDecision = (alias: string) =>
  sql<SqlBool>`(${sql.ref(`${alias}.voided_at`)} is null and ${sql.ref(`${alias}.cg_decision`)} is null and ${sql.ref(`${alias}.rg_decision`)} is distinct from 'negative')`

/**
 * The facts of this module that lists of people show (the register, its CSV and the API), as
 * expressions over `people as p`, so a list reads them without knowing these tables. A notice is
 * on a person whether it protects them (a child) or was served on them (an adult).
 */
export const registerFacts = {
  /** The soonest expiry among the notices in force on the person, or null when none is. */
  cawnExpiresOn: (today: string) =>
    sql<string | null>`(select min(c.expires_on) from cawns c where (c.person_id = p.id or c.adult_id = p.id) and ${cawnInForce('c', today)})`,
  /** A notice in force on the person expires on or before `until`. */
  cawnExpiringBy: (today: string, until: string) =>
    sql<SqlBool>`exists (select 1 from cawns c where (c.person_id = p.id or c.adult_id = p.id) and ${cawnInForce('c', today)} and c.expires_on <= ${until})`,
  /** The person's latest referral that was not voided: when, and its two decisions; null without one. */
  nrmLatest: sql<{ referred_on: string; rg_decision: 'positive' | 'negative' | null; cg_decision: 'positive' | 'negative' | null } | null>`(
    select json_build_object('referred_on', n.referred_on, 'rg_decision', n.rg_decision, 'cg_decision', n.cg_decision)
      from nrm_referrals n where n.person_id = p.id and n.voided_at is null
     order by n.referred_on desc, n.created_at desc, n.id limit 1)`,
  /** A referral made on or before `referredBy` still awaits a decision. */
  nrmAwaitedSince: (referredBy: string) =>
    sql<SqlBool>`exists (select 1 from nrm_referrals n where n.person_id = p.id and ${nrmAwaitingDecision('n')} and n.referred_on <= ${referredBy})`,
}

/** SQL for NRM referrals and CAWNs. No permission checks here: the service does them. */
export function referralsStore(db: Db) {
  return {
    nrmForPerson: (personId: string) =>
      db
        .selectFrom('nrm_referrals as n')
        .innerJoin('agencies as a', 'a.id', 'n.first_responder_agency_id')
        .leftJoin('users as u', 'u.id', 'n.created_by')
        .leftJoin('users as v', 'v.id', 'n.voided_by')
        .selectAll('n')
        .select(['a.name as first_responder_name', 'u.name as created_by_name', 'v.name as voided_by_name'])
        .where('n.person_id', '=', personId)
        .orderBy('n.referred_on', 'desc')
        .execute(),
    findNrm: (id: string) => db.selectFrom('nrm_referrals').selectAll().where('id', '=', id).executeTakeFirst(),
    insertNrm: (row: Insertable<NrmReferralsTable>) => db.insertInto('nrm_referrals').values(row).returning('id').executeTakeFirstOrThrow(),
    /** Optimistic concurrency: updates only the version the user saw; returns the rows changed. */
    updateNrm: async (id: string, version: number, row: Updateable<NrmReferralsTable>) =>
      Number(
        (await db.updateTable('nrm_referrals').set({ ...row, updated_at: sql`now()`, version: sql`version + 1` }).where('id', '=', id).where('version', '=', version).executeTakeFirst()).numUpdatedRows,
      ),

    /** Voids the version the user saw, if not voided already; returns the rows changed. */
    voidNrm: async (id: string, version: number, userId: string, reason: string, at: Date) =>
      Number(
        (
          await db
            .updateTable('nrm_referrals')
            .set({ voided_at: at, voided_by: userId, void_reason: reason, updated_by: userId, updated_at: sql`now()`, version: sql`version + 1` })
            .where('id', '=', id)
            .where('version', '=', version)
            .where('voided_at', 'is', null)
            .executeTakeFirst()
        ).numUpdatedRows,
      ),

    /** CAWNs protecting this child, or served on this adult. */
    cawnsFor: (personId: string, as: 'child' | 'adult') =>
      db
        .selectFrom('cawns as c')
        .innerJoin('people as child', 'child.id', 'c.person_id')
        .innerJoin('people as adult', 'adult.id', 'c.adult_id')
        .leftJoin('agencies as a', 'a.id', 'c.served_by_agency_id')
        .selectAll('c')
        .select([
          'a.name as served_by_name',
          'adult.given_name as adult_given_name',
          'adult.family_name as adult_family_name',
          'adult.preferred_name as adult_preferred_name',
          'adult.owner_agency_id as adult_owner_agency_id',
          'child.given_name as child_given_name',
          'child.family_name as child_family_name',
          'child.preferred_name as child_preferred_name',
          'child.owner_agency_id as child_owner_agency_id',
          (eb) => eb.selectFrom('cawn_breaches as b').select(sql<number>`count(*)::int`.as('n')).whereRef('b.cawn_id', '=', 'c.id').as('breaches'),
        ])
        .where(as === 'child' ? 'c.person_id' : 'c.adult_id', '=', personId)
        .orderBy('c.served_on', 'desc')
        .execute(),
    findCawn: (id: string) => db.selectFrom('cawns').selectAll().where('id', '=', id).executeTakeFirst(),
    insertCawn: (row: Insertable<CawnsTable>) => db.insertInto('cawns').values(row).returning('id').executeTakeFirstOrThrow(),
    updateCawn: async (id: string, version: number, row: Updateable<CawnsTable>) =>
      Number((await db.updateTable('cawns').set({ ...row, updated_at: sql`now()`, version: sql`version + 1` }).where('id', '=', id).where('version', '=', version).executeTakeFirst()).numUpdatedRows),
    breaches: (cawnId: string) =>
      db
        .selectFrom('cawn_breaches as b')
        .leftJoin('users as u', 'u.id', 'b.created_by')
        .selectAll('b')
        .select('u.name as created_by_name')
        .where('b.cawn_id', '=', cawnId)
        .orderBy('b.occurred_on', 'desc')
        .execute(),
    insertBreach: (row: { cawn_id: string; occurred_on: string; description: string; action_taken: string | null; created_by: string }) =>
      db.insertInto('cawn_breaches').values(row).returning('id').executeTakeFirstOrThrow(),

    /**
     * Adults of concern this user may see (their agency owns the record, or it is shared with their
     * agency or with them): the choices for "served on".
     */
    visibleAdults: (user: { id: string; agencyId: string }) =>
      db
        .selectFrom('people as p')
        .select(['p.id', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.date_of_birth', 'p.approximate_age', 'p.owner_agency_id'])
        .where('p.kind', '=', 'adult')
        .where('p.merged_into', 'is', null)
        .where((eb) =>
          eb.or([
            eb('p.owner_agency_id', '=', user.agencyId),
            eb.exists(
              eb
                .selectFrom('live_record_shares as s')
                .select('s.id')
                .where('s.record_type', '=', 'person')
                .whereRef('s.record_id', '=', 'p.id')
                .where((w) => w.or([w('s.agency_id', '=', user.agencyId), w('s.user_id', '=', user.id)])),
            ),
          ]),
        )
        .orderBy('p.family_name')
        .orderBy('p.given_name')
        .execute(),

    agencies: () => db.selectFrom('agencies').select(['id', 'name', 'kind']).where('active', '=', true).orderBy('name').execute(),
    person: (id: string) => db.selectFrom('people').select(['id', 'kind', 'given_name', 'family_name', 'preferred_name', 'owner_agency_id']).where('id', '=', id).executeTakeFirst(),
  }
}

/**
 * NRM referrals per month, for the indicators: referrals made, and of those how many have had a
 * positive or negative reasonable-grounds decision, and a positive conclusive-grounds decision.
 * Optionally only for children (the usual indicator).
 */
export async function nrmReferralsByMonth(db: Db, range: MonthRange, options: { childrenOnly?: boolean } = {}) {
  const rows = await sql<{ month: string; referrals: number; rg_positive: number; rg_negative: number; rg_pending: number; cg_positive: number }>`
    select to_char(date_trunc('month', n.referred_on), 'YYYY-MM') as month,
           count(*)::int as referrals,
           count(*) filter (where n.rg_decision = 'positive')::int as rg_positive,
           count(*) filter (where n.rg_decision = 'negative')::int as rg_negative,
           count(*) filter (where n.rg_decision is null)::int as rg_pending,
           count(*) filter (where n.cg_decision = 'positive')::int as cg_positive
      from nrm_referrals n
      join people p on p.id = n.person_id
     where n.voided_at is null
       and n.referred_on >= date_trunc('month', ${range.from}::timestamp)
       and n.referred_on < date_trunc('month', ${range.to}::timestamp) + interval '1 month'
       and (${options.childrenOnly ?? false} = false or p.kind = 'child')
     group by 1
     order by 1`.execute(db)
  return rows.rows
}

/**
 * CAWNs in force that expire by `until`, where the child or the adult is one of this user's cases
 * and the user may see that person; the soonest first, `limit + 1` rows. Says which of the two the
 * user may see, so the list names only them. Both parties are outer joins: row-level security
 * hides the one the user may not see, and an inner join would drop the notice with it.
 */
export function cawnsExpiring(db: Db, user: CurrentUser, wholeTeam: boolean, today: string, until: string, limit: number) {
  const mine = (alias: string) => sql<boolean>`(${visibleTo(user, alias)} and ${onCaseloadOf(user, wholeTeam, alias)})`
  return db
    .selectFrom('cawns as c')
    .leftJoin('people as child', 'child.id', 'c.person_id')
    .leftJoin('people as adult', 'adult.id', 'c.adult_id')
    .select(['c.id', 'c.person_id', 'c.adult_id', 'c.served_on', 'c.expires_on'])
    .select(['child.given_name', 'child.family_name', 'child.preferred_name', 'adult.given_name as adult_given_name', 'adult.family_name as adult_family_name', 'adult.preferred_name as adult_preferred_name'])
    .select([sql<boolean>`coalesce(${visibleTo(user, 'child')}, false)`.as('child_visible'), sql<boolean>`coalesce(${visibleTo(user, 'adult')}, false)`.as('adult_visible')])
    .where(cawnInForce('c', today))
    .where('c.expires_on', '<=', until)
    .where((eb) => eb.or([mine('child'), mine('adult')]))
    .orderBy('c.expires_on')
    .orderBy('c.id')
    .limit(limit + 1)
    .execute()
}

/**
 * NRM referrals on this user's cases still awaiting a decision (no conclusive grounds decision,
 * and the reasonable grounds decision not negative) that were made on or before `referredBy`.
 */
export function nrmDecisionsAwaited(db: Db, user: CurrentUser, wholeTeam: boolean, referredBy: string, limit: number) {
  return db
    .selectFrom('nrm_referrals as n')
    .innerJoin('people as p', 'p.id', 'n.person_id')
    .select(['n.id', 'n.person_id', 'n.referred_on', 'n.rg_decision', 'p.given_name', 'p.family_name', 'p.preferred_name'])
    .where(nrmAwaitingDecision('n'))
    .where('n.referred_on', '<=', referredBy)
    .where('p.merged_into', 'is', null)
    .where(visibleTo(user, 'p'))
    .where(onCaseloadOf(user, wholeTeam))
    .orderBy('n.referred_on')
    .orderBy('n.id')
    .limit(limit + 1)
    .execute()
}

/** Whose each referral is and whether it was voided, for records elsewhere that are these referrals. */
export function nrmReferralStates(db: Db, ids: string[]) {
  return ids.length ? db.selectFrom('nrm_referrals').select(['id', 'person_id', 'voided_at', 'void_reason']).where('id', 'in', ids).execute() : Promise.resolve([])
}
