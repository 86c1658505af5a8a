import { sql, type Expression, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { CallRow } from './csv.ts'
import type { CallImportsTable, LineSuccessorFlagsTable } from './tables.ts'
import type { Insertable } from 'kysely'

/**
 * A call record the agency may see: its own, or an import shared with it. Row-level security says
 * the same (migration 0780); saying it in the query too keeps the CLI, which runs as the owner,
 * to one agency's view.
 */
export function callVisible(agencyId: string, alias = 'c'): Expression<SqlBool> {
  const c = (col: string) => sql.ref(`${alias}.${col}`)
  return sql<SqlBool>`(${c('owner_agency_id')} = ${agencyId} or exists (select 1 from call_import_agencies cia where cia.import_id = ${c('import_id')} and cia.agency_id = ${agencyId}))`
}

/** Hour of the week in London, 0 (Monday midnight) to 167 (Sunday 11pm), from `started_at`. */
const HOUR_OF_WEEK = sql<number>`((extract(isodow from c.started_at at time zone 'Europe/London')::int - 1) * 24 + extract(hour from c.started_at at time zone 'Europe/London')::int)`
const LONDON_DAY = sql<string>`(c.started_at at time zone 'Europe/London')::date::text`
/** A call's month in UK time as YYYY-MM, the form the pages' month filter reads. */
const LONDON_MONTH = sql<string>`to_char(c.started_at at time zone 'Europe/London', 'YYYY-MM')`
/** The other end of a call of one of `numbers`. */
const otherEnd = (numbers: readonly string[]) => sql<string>`case when c.caller = any(${numbers}::text[]) then c.callee else c.caller end`
const ofNumbers = (numbers: readonly string[]) => sql<SqlBool>`(c.caller = any(${numbers}::text[]) or c.callee = any(${numbers}::text[]))`

export interface CallForScoring {
  caller: string
  callee: string
  cell_site: string | null
  hour_of_week: number
}

/** SQL for phone data, and nothing else. */
export function callsStore(db: Db) {
  return {
    insertImport: (row: Insertable<CallImportsTable>) => db.insertInto('call_imports').values(row).returning('id').executeTakeFirstOrThrow(),

    shareImport: async (importId: string, ownerAgencyId: string, agencyIds: readonly string[]) => {
      if (agencyIds.length) await db.insertInto('call_import_agencies').values(agencyIds.map((agency_id) => ({ import_id: importId, agency_id, owner_agency_id: ownerAgencyId }))).execute()
    },

    /** A batch of calls as one statement of arrays: a few parameters however many rows. */
    insertCalls: async (importId: string, ownerAgencyId: string, rows: readonly CallRow[]) => {
      if (!rows.length) return
      await sql`insert into call_records (import_id, owner_agency_id, caller, callee, started_at, duration_seconds, cell_site)
        select ${importId}::uuid, ${ownerAgencyId}::uuid, r.caller, r.callee, r.started_at, r.duration_seconds, r.cell_site
        from unnest(${rows.map((r) => r.caller)}::text[], ${rows.map((r) => r.callee)}::text[], ${rows.map((r) => r.startedAt.toISOString())}::timestamptz[],
                    ${rows.map((r) => r.durationSeconds)}::int[], ${rows.map((r) => r.cellSite)}::text[]) as r(caller, callee, started_at, duration_seconds, cell_site)`.execute(db)
    },

    finishImport: (id: string, calls: number, first: Date | null, last: Date | null) =>
      db.updateTable('call_imports').set({ calls, first_call: first, last_call: last }).where('id', '=', id).execute(),

    /** The imports the agency may see, newest first. */
    imports: (agencyId: string, limit = 50) =>
      db
        .selectFrom('call_imports as i')
        .innerJoin('agencies as a', 'a.id', 'i.owner_agency_id')
        .leftJoin('users as u', 'u.id', 'i.imported_by')
        .select(['i.id', 'i.file_name', 'i.calls', 'i.first_call', 'i.last_call', 'i.grade_handling', 'i.handling_conditions', 'i.imported_at', 'a.name as agency_name', 'u.name as imported_by_name'])
        .where(sql<SqlBool>`(i.owner_agency_id = ${agencyId} or exists (select 1 from call_import_agencies cia where cia.import_id = i.id and cia.agency_id = ${agencyId}))`)
        .orderBy('i.imported_at', 'desc')
        .limit(limit)
        .execute(),

    agencies: () => db.selectFrom('agencies').select(['id', 'name']).where('active', '=', true).orderBy('name').execute(),

    /** The numbers attributed to an entity, with their dates. */
    attributions: (entityId: string) =>
      db
        .selectFrom('number_attributions as n')
        .leftJoin('users as u', 'u.id', 'n.recorded_by')
        .select(['n.id', 'n.number', sql<string>`n.from_date::text`.as('from_date'), sql<string | null>`n.to_date::text`.as('to_date'), 'n.basis', 'u.name as recorded_by_name'])
        .where('n.entity_id', '=', entityId)
        .orderBy('n.from_date')
        .execute(),

    insertAttribution: (row: { number: string; entity_id: string; from_date: string; to_date: string | null; basis: string; owner_agency_id: string; recorded_by: string | null }) =>
      db.insertInto('number_attributions').values(row).returning('id').executeTakeFirstOrThrow(),

    /** Which entities these numbers are attributed to (as the viewer may see them: row-level security). */
    attributedTo: (numbers: readonly string[]) =>
      numbers.length
        ? db
            .selectFrom('number_attributions as n')
            .select(['n.number', 'n.entity_id'])
            .where(sql<SqlBool>`n.number = any(${numbers}::text[])`)
            .execute()
        : Promise.resolve([]),

    /** Calls of the numbers the agency may see: count, first and last. */
    summary: (agencyId: string, numbers: readonly string[]) =>
      db
        .selectFrom('call_records as c')
        .select([sql<string>`count(*)`.as('calls'), sql<Date | null>`min(c.started_at)`.as('first'), sql<Date | null>`max(c.started_at)`.as('last'), sql<string>`count(distinct ${otherEnd(numbers)})`.as('contacts')])
        .where(ofNumbers(numbers))
        .where(callVisible(agencyId))
        .executeTakeFirstOrThrow(),

    /** The numbers' contacts, most calls first: calls each way, time on the phone, first and last. */
    contacts: async (agencyId: string, numbers: readonly string[], limit: number) =>
      (
        await sql<{ number: string; calls: string; outgoing: string; seconds: string; first: Date; last: Date }>`
          select o.number, count(*) as calls, count(*) filter (where o.outgoing) as outgoing, sum(o.duration_seconds) as seconds, min(o.started_at) as first, max(o.started_at) as last
          from (select ${otherEnd(numbers)} as number, c.caller = any(${numbers}::text[]) as outgoing, c.duration_seconds, c.started_at
                from call_records c where ${ofNumbers(numbers)} and ${callVisible(agencyId)}) o
          group by o.number order by count(*) desc, o.number limit ${limit}`.execute(db)
      ).rows,
    byDay: (agencyId: string, numbers: readonly string[]) =>
      db.selectFrom('call_records as c').select([LONDON_DAY.as('day'), sql<string>`count(*)`.as('calls')]).where(ofNumbers(numbers)).where(callVisible(agencyId)).groupBy(LONDON_DAY).orderBy(LONDON_DAY).execute(),

    byHourOfWeek: (agencyId: string, numbers: readonly string[]) =>
      db.selectFrom('call_records as c').select([HOUR_OF_WEEK.as('hour'), sql<string>`count(*)`.as('calls')]).where(ofNumbers(numbers)).where(callVisible(agencyId)).groupBy(HOUR_OF_WEEK).execute(),

    /** Calls a month with each of these contacts. */
    contactsByMonth: async (agencyId: string, numbers: readonly string[], contacts: readonly string[]) =>
      contacts.length
        ? (
            await sql<{ month: string; number: string; calls: string }>`
              select o.month, o.number, count(*) as calls
              from (select ${LONDON_MONTH} as month, ${otherEnd(numbers)} as number from call_records c where ${ofNumbers(numbers)} and ${callVisible(agencyId)}) o
              where o.number = any(${contacts}::text[])
              group by o.month, o.number order by o.month`.execute(db)
          ).rows
        : [],

    /** Calls of the numbers in [from, to), for scoring. */
    callsOf: async (agencyId: string, numbers: readonly string[], from: Date, to: Date) =>
      numbers.length
        ? ((await db
            .selectFrom('call_records as c')
            .select(['c.caller', 'c.callee', 'c.cell_site', HOUR_OF_WEEK.as('hour_of_week')])
            .where(ofNumbers(numbers))
            .where('c.started_at', '>=', from)
            .where('c.started_at', '<', to)
            .where(callVisible(agencyId))
            .execute()) as CallForScoring[])
        : [],

    /**
     * The numbers new since `newSince` (no call the agency may see before it) that called or were
     * called by any of `contacts` in [from, to), other than `leaveOut`: the candidates for a closed
     * line's successor. A successor that shares no customer with the line is not one worth flagging.
     */
    newNumbersInContact: async (agencyId: string, contacts: readonly string[], leaveOut: readonly string[], from: Date, to: Date, newSince: Date) => {
      if (!contacts.length) return []
      const { rows } = await sql<{ number: string }>`
        select n.number from (
          select distinct case when c.caller = any(${contacts}::text[]) then c.callee else c.caller end as number
          from call_records c
          where (c.caller = any(${contacts}::text[]) or c.callee = any(${contacts}::text[]))
            and c.started_at >= ${from} and c.started_at < ${to} and ${callVisible(agencyId)}
        ) n
        where n.number <> all(${leaveOut}::text[]) and n.number <> all(${contacts}::text[])
          and not exists (select 1 from call_records c where (c.caller = n.number or c.callee = n.number) and c.started_at < ${newSince} and ${callVisible(agencyId)})
        order by n.number`.execute(db)
      return rows.map((r) => r.number)
    },

    /** The first call of each number the agency may see. */
    firstCalls: async (agencyId: string, numbers: readonly string[]) => {
      if (!numbers.length) return new Map<string, Date>()
      const { rows } = await sql<{ number: string; first: Date }>`
        select n.number, (select min(c.started_at) from call_records c where (c.caller = n.number or c.callee = n.number) and ${callVisible(agencyId)}) as first
        from unnest(${numbers}::text[]) n(number)`.execute(db)
      return new Map(rows.map((r) => [r.number, new Date(r.first)]))
    },

    /** Records a flag, or refreshes its scores while it waits for review; a decided flag stays as decided. */
    upsertFlag: (row: Insertable<LineSuccessorFlagsTable>) =>
      db
        .insertInto('line_successor_flags')
        .values(row)
        .onConflict((oc) =>
          oc
            .columns(['line_entity_id', 'owner_agency_id', 'number'])
            .doUpdateSet((eb) => ({
              closed_on: eb.ref('excluded.closed_on'),
              score: eb.ref('excluded.score'),
              contacts: eb.ref('excluded.contacts'),
              places: eb.ref('excluded.places'),
              hours: eb.ref('excluded.hours'),
              shared_contacts: eb.ref('excluded.shared_contacts'),
              calls: eb.ref('excluded.calls'),
              first_call: eb.ref('excluded.first_call'),
            }))
            .where('line_successor_flags.status', '=', 'pending'),
        )
        .execute(),

    flags: (agencyId: string, filter: { lineId?: string; status?: 'pending' }) => {
      let q = db
        .selectFrom('line_successor_flags as f')
        .innerJoin('network_entities as e', 'e.id', 'f.line_entity_id')
        .leftJoin('users as u', 'u.id', 'f.decided_by')
        .select([
          'f.id',
          'f.line_entity_id',
          'e.label as line_label',
          sql<string>`f.closed_on::text`.as('closed_on'),
          'f.number',
          'f.score',
          'f.contacts',
          'f.places',
          'f.hours',
          'f.shared_contacts',
          'f.calls',
          'f.first_call',
          'f.status',
          'f.decision_reason',
          'f.decided_at',
          'u.name as decided_by_name',
        ])
        .where('f.owner_agency_id', '=', agencyId)
      if (filter.lineId) q = q.where('f.line_entity_id', '=', filter.lineId)
      if (filter.status) q = q.where('f.status', '=', filter.status)
      return q.orderBy('f.score', 'desc').orderBy('f.number').execute()
    },

    flag: (id: string, agencyId: string) =>
      db.selectFrom('line_successor_flags').selectAll().where('id', '=', id).where('owner_agency_id', '=', agencyId).executeTakeFirst(),

    decideFlag: async (id: string, status: 'accepted' | 'rejected', userId: string, reason: string | null) => {
      const result = await db
        .updateTable('line_successor_flags')
        .set({ status, decided_by: userId, decided_at: new Date(), decision_reason: reason })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
  }
}

export type CallsStore = ReturnType<typeof callsStore>
