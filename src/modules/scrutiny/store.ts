import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/index.ts'
import { containsPattern } from '../../db/like.ts'
import type { Insertable, Updateable } from 'kysely'
import type {
  EvidenceChannel,
  EvidenceEvent,
  ItemKind,
  ItemStatus,
  Rag,
  RequestType,
  ScrutinyAgendaItemsTable,
  ScrutinyBodiesTable,
  ScrutinyEvidenceTable,
  ScrutinyFilesTable,
  ScrutinyItemsTable,
  ScrutinyMeetingsTable,
} from './tables.ts'

/** Who may see restricted items: public readers never; staff of the body, its support or the addressee. */
export type Visibility = { public: true } | { public: false; agencyId: string }

export interface TrackerFilter {
  bodyIds?: string[]
  meetingId?: string
  kinds?: ItemKind[]
  statuses?: ItemStatus[]
  /** The RAG shown (red when overdue). */
  rags?: (Rag | 'none')[]
  overdueOnly?: boolean
  openOnly?: boolean
  addresseeAgencyId?: string
  q?: string
  ids?: string[]
}

export interface TrackerRow {
  id: string
  body_id: string
  body_code: string
  body_name: string
  body_slug: string
  body_public: boolean
  reminder_days: number
  response_days: number
  meeting_id: string
  meeting_date: string
  meeting_title: string
  agenda_item_id: string | null
  agenda_item_title: string | null
  kind: ItemKind
  request_type: RequestType | null
  municipal_year: string
  number: number
  title: string
  text: string
  addressee: string
  addressee_agency_id: string | null
  addressee_agency_name: string | null
  addressee_email: string | null
  proposed_by: string | null
  seconded_by: string | null
  sent_on: string | null
  response_due: string | null
  answered_on: string | null
  status: ItemStatus
  status_reason: string | null
  rag: Rag | null
  restricted: boolean
  version: number
  status_changed_at: Date
  status_changed_by_name: string | null
  first_response_on: string | null
  response_count: number
  latest_response_on: string | null
  latest_response_text: string | null
  latest_response_by: string | null
  created_at: Date
  body_agency_id: string | null
  body_support_agency_id: string | null
}

/** SQL: the item still waits for its answer (mirrors domain.awaitingResponse). */
const awaiting = sql<boolean>`(i.status not in ('implemented','not_accepted','answered','closed')
  and case when i.kind = 'request' then i.answered_on is null
      else not exists (select 1 from scrutiny_responses r0 where r0.item_id = i.id) end)`

/** SQL: the date the response is due (mirrors domain.dueDate); needs the item's meeting `m` and body `b`. */
export const dueSql = sql<string | null>`coalesce(i.response_due, (coalesce(i.sent_on, m.meeting_date) + nullif(b.response_days, 0))::date)`

/** SQL: overdue on `today` (mirrors domain.isOverdue). */
export function overdueSql(today: string): RawBuilder<boolean> {
  return sql<boolean>`(${dueSql} is not null and ${dueSql} < ${today}::date and ${awaiting})`
}

const restrictedSql = sql<boolean>`(i.restricted or coalesce(ai.restricted, false))`

function visibilitySql(v: Visibility): RawBuilder<boolean> {
  if (v.public) return sql<boolean>`(b.public and not ${restrictedSql})`
  return sql<boolean>`(not ${restrictedSql} or b.agency_id = ${v.agencyId} or b.support_agency_id = ${v.agencyId} or i.addressee_agency_id = ${v.agencyId})`
}

/** SQL for the tracker and everything around it. Pass a transaction to run inside it. */
export function scrutinyStore(db: Db) {
  function whereFor(filter: TrackerFilter, visibility: Visibility, today: string) {
    const where: RawBuilder<unknown>[] = [visibilitySql(visibility)]
    if (filter.bodyIds?.length) where.push(sql`i.body_id in (${sql.join(filter.bodyIds)})`)
    if (filter.ids?.length) where.push(sql`i.id in (${sql.join(filter.ids)})`)
    if (filter.meetingId) where.push(sql`i.meeting_id = ${filter.meetingId}`)
    if (filter.kinds?.length) where.push(sql`i.kind in (${sql.join(filter.kinds)})`)
    if (filter.statuses?.length) where.push(sql`i.status in (${sql.join(filter.statuses)})`)
    if (filter.addresseeAgencyId) where.push(sql`i.addressee_agency_id = ${filter.addresseeAgencyId}`)
    if (filter.openOnly) where.push(sql`i.status <> 'closed'`)
    if (filter.overdueOnly) where.push(overdueSql(today))
    if (filter.rags?.length) {
      const shown = sql`(case when ${overdueSql(today)} then 'red' else coalesce(i.rag, 'none') end)`
      where.push(sql`${shown} in (${sql.join(filter.rags)})`)
    }
    if (filter.q) {
      const like = containsPattern(filter.q)
      where.push(sql`(i.title ilike ${like} or i.text ilike ${like} or i.addressee ilike ${like})`)
    }
    return sql.join(where, sql` and `)
  }

  /** The tracker's rows; all of them unless a page is asked for. */
  async function tracker(filter: TrackerFilter, visibility: Visibility, today: string, page?: { limit: number; offset?: number }): Promise<TrackerRow[]> {
    const where = whereFor(filter, visibility, today)
    const paging = page ? sql`limit ${page.limit} offset ${page.offset ?? 0}` : sql``
    const { rows } = await sql<TrackerRow>`
      select i.id, i.body_id, b.code as body_code, b.name as body_name, b.slug as body_slug, b.public as body_public,
             b.reminder_days, b.response_days, b.agency_id as body_agency_id, b.support_agency_id as body_support_agency_id,
             i.meeting_id, m.meeting_date, m.title as meeting_title, i.agenda_item_id, ai.title as agenda_item_title,
             i.kind, i.request_type, i.municipal_year, i.number, i.title, i.text, i.addressee, i.addressee_agency_id,
             ag.name as addressee_agency_name, i.addressee_email, i.proposed_by, i.seconded_by,
             i.sent_on, i.response_due, i.answered_on, i.status, i.status_reason, i.rag,
             ${restrictedSql} as restricted, i.version, i.status_changed_at, u.name as status_changed_by_name,
             rs.first_response_on, coalesce(rs.response_count, 0) as response_count,
             rs.latest_response_on, rs.latest_response_text, rs.latest_response_by,
             i.created_at
        from scrutiny_items i
        join scrutiny_bodies b on b.id = i.body_id
        join scrutiny_meetings m on m.id = i.meeting_id
        left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
        left join agencies ag on ag.id = i.addressee_agency_id
        left join users u on u.id = i.status_changed_by
        left join (
          -- One pass over the responses (a hash join), not three lookups a row.
          select r.item_id, min(r.responded_on) as first_response_on, count(*) as response_count,
                 (array_agg(r.responded_on order by r.responded_on desc, r.recorded_at desc))[1] as latest_response_on,
                 (array_agg(r.text order by r.responded_on desc, r.recorded_at desc))[1] as latest_response_text,
                 (array_agg(r.responder order by r.responded_on desc, r.recorded_at desc))[1] as latest_response_by
            from scrutiny_responses r
           group by r.item_id
        ) rs on rs.item_id = i.id
       where ${where}
       order by b.name, m.meeting_date desc, i.kind, i.number, i.id
       ${paging}`.execute(db)
    return rows
  }

  return {
    tracker,
    trackerCount: async (filter: TrackerFilter, visibility: Visibility, today: string) => {
      const { rows } = await sql<{ n: number }>`
        select count(*) as n from scrutiny_items i
          join scrutiny_bodies b on b.id = i.body_id
          join scrutiny_meetings m on m.id = i.meeting_id
          left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
         where ${whereFor(filter, visibility, today)}`.execute(db)
      return Number(rows[0].n)
    },

    // Bodies
    bodies: (publicOnly: boolean) => {
      let q = db
        .selectFrom('scrutiny_bodies as b')
        .leftJoin('agencies as a', 'a.id', 'b.agency_id')
        .leftJoin('agencies as s', 's.id', 'b.support_agency_id')
        .selectAll('b')
        .select(['a.name as agency_name', 's.name as support_agency_name'])
        .orderBy(sql`case b.kind when 'panel' then 0 when 'select_committee' then 1 when 'strategy_group' then 2 else 3 end`)
        .orderBy('b.name')
      if (publicOnly) q = q.where('b.public', '=', true)
      return q.execute()
    },
    body: (id: string) =>
      db
        .selectFrom('scrutiny_bodies as b')
        .leftJoin('agencies as a', 'a.id', 'b.agency_id')
        .leftJoin('agencies as s', 's.id', 'b.support_agency_id')
        .selectAll('b')
        .select(['a.name as agency_name', 's.name as support_agency_name'])
        .where('b.id', '=', id)
        .executeTakeFirst(),
    bodyBySlug: (slug: string) =>
      db
        .selectFrom('scrutiny_bodies as b')
        .leftJoin('agencies as a', 'a.id', 'b.agency_id')
        .leftJoin('agencies as s', 's.id', 'b.support_agency_id')
        .selectAll('b')
        .select(['a.name as agency_name', 's.name as support_agency_name'])
        .where('b.slug', '=', slug)
        .executeTakeFirst(),
    /** Locks the body row so numbering items within it is serialised. */
    lockBody: (id: string) => db.selectFrom('scrutiny_bodies').select('id').where('id', '=', id).forUpdate().executeTakeFirst(),
    bodyCounts: async (today: string, visibility: Visibility) => {
      const { rows } = await sql<{ body_id: string; open: number; overdue: number; due_soon: number; total: number }>`
        select i.body_id,
               count(*) filter (where i.status <> 'closed') as open,
               count(*) filter (where ${overdueSql(today)}) as overdue,
               count(*) filter (where ${awaiting} and ${dueSql} between ${today}::date and (${today}::date + 14)) as due_soon,
               count(*) as total
          from scrutiny_items i
          join scrutiny_bodies b on b.id = i.body_id
          join scrutiny_meetings m on m.id = i.meeting_id
          left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
         where ${visibilitySql(visibility)}
         group by i.body_id`.execute(db)
      return new Map(rows.map((r) => [r.body_id, r]))
    },
    insertBody: (v: Insertable<ScrutinyBodiesTable>) => db.insertInto('scrutiny_bodies').values(v).returning('id').executeTakeFirstOrThrow(),
    updateBody: (id: string, v: Updateable<ScrutinyBodiesTable>) =>
      db.updateTable('scrutiny_bodies').set({ ...v, updated_at: new Date() }).where('id', '=', id).execute(),
    slugTaken: async (slug: string, exceptId?: string) => {
      let q = db.selectFrom('scrutiny_bodies').select('id').where('slug', '=', slug)
      if (exceptId) q = q.where('id', '<>', exceptId)
      return Boolean(await q.executeTakeFirst())
    },
    nameTaken: async (name: string, exceptId?: string) => {
      let q = db.selectFrom('scrutiny_bodies').select('id').where(sql<boolean>`lower(name) = ${name.toLowerCase()}`)
      if (exceptId) q = q.where('id', '<>', exceptId)
      return Boolean(await q.executeTakeFirst())
    },
    members: (bodyId: string) => db.selectFrom('scrutiny_body_members').selectAll().where('body_id', '=', bodyId).orderBy('position').orderBy('name').execute(),
    insertMember: (v: { body_id: string; name: string; role: string; organisation: string }) =>
      db
        .insertInto('scrutiny_body_members')
        .values({ ...v, position: sql<number>`(select coalesce(max(position), 0) + 1 from scrutiny_body_members where body_id = ${v.body_id})` })
        .returning('id')
        .executeTakeFirstOrThrow(),
    deleteMember: (bodyId: string, id: string) => db.deleteFrom('scrutiny_body_members').where('body_id', '=', bodyId).where('id', '=', id).executeTakeFirst(),
    scrutinises: (bodyId: string) =>
      db.selectFrom('scrutiny_body_scrutinises').selectAll().where('body_id', '=', bodyId).orderBy('organisation').execute(),
    insertScrutinised: (v: { body_id: string; organisation: string; agency_id: string | null }) =>
      db.insertInto('scrutiny_body_scrutinises').values(v).returning('id').executeTakeFirstOrThrow(),
    scrutinisedTaken: async (bodyId: string, organisation: string) =>
      Boolean(
        await db
          .selectFrom('scrutiny_body_scrutinises')
          .select('id')
          .where('body_id', '=', bodyId)
          .where(sql<boolean>`lower(organisation) = ${organisation.toLowerCase()}`)
          .executeTakeFirst(),
      ),

    // Meetings and agenda items
    meetings: (bodyId: string) =>
      db
        .selectFrom('scrutiny_meetings as m')
        .selectAll('m')
        .select([
          sql<number>`(select count(*) from scrutiny_agenda_items a where a.meeting_id = m.id)`.as('agenda_count'),
          sql<number>`(select count(*) from scrutiny_items i where i.meeting_id = m.id)`.as('item_count'),
        ])
        .where('m.body_id', '=', bodyId)
        .orderBy('m.meeting_date', 'desc')
        .execute(),
    meeting: (id: string) => db.selectFrom('scrutiny_meetings').selectAll().where('id', '=', id).executeTakeFirst(),
    meetingByExternalId: (bodyId: string, externalId: string) =>
      db.selectFrom('scrutiny_meetings').selectAll().where('body_id', '=', bodyId).where('external_id', '=', externalId).executeTakeFirst(),
    insertMeeting: (v: Insertable<ScrutinyMeetingsTable>) => db.insertInto('scrutiny_meetings').values(v).returning('id').executeTakeFirstOrThrow(),
    updateMeeting: (id: string, v: Updateable<ScrutinyMeetingsTable>) =>
      db.updateTable('scrutiny_meetings').set({ ...v, updated_at: new Date() }).where('id', '=', id).execute(),
    agendaItems: (meetingId: string) =>
      db.selectFrom('scrutiny_agenda_items').selectAll().where('meeting_id', '=', meetingId).orderBy('position').execute(),
    agendaItem: (id: string) =>
      db
        .selectFrom('scrutiny_agenda_items as ai')
        .innerJoin('scrutiny_meetings as m', 'm.id', 'ai.meeting_id')
        .selectAll('ai')
        .select(['m.body_id'])
        .where('ai.id', '=', id)
        .executeTakeFirst(),
    agendaItemByExternalId: (meetingId: string, externalId: string) =>
      db.selectFrom('scrutiny_agenda_items').selectAll().where('meeting_id', '=', meetingId).where('external_id', '=', externalId).executeTakeFirst(),
    nextAgendaPosition: async (meetingId: string) => {
      const row = await db
        .selectFrom('scrutiny_agenda_items')
        .select(sql<number>`coalesce(max(position), 0) + 1`.as('n'))
        .where('meeting_id', '=', meetingId)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
    insertAgendaItem: (v: Insertable<ScrutinyAgendaItemsTable>) => db.insertInto('scrutiny_agenda_items').values(v).returning('id').executeTakeFirstOrThrow(),
    updateAgendaItem: (id: string, v: Updateable<ScrutinyAgendaItemsTable>) =>
      db.updateTable('scrutiny_agenda_items').set(v).where('id', '=', id).execute(),

    // Files (the content is read only when downloaded)
    filesFor: (owner: { agendaItemIds?: string[]; bodyId?: string; eventId?: string }) => {
      let q = db
        .selectFrom('scrutiny_files')
        .select(['id', 'agenda_item_id', 'body_id', 'event_id', 'kind', 'title', 'filename', 'content_type', 'size_bytes', 'url', 'restricted', 'uploaded_at'])
        .orderBy('uploaded_at')
      if (owner.agendaItemIds) {
        if (!owner.agendaItemIds.length) return Promise.resolve([])
        q = q.where('agenda_item_id', 'in', owner.agendaItemIds)
      } else if (owner.bodyId) q = q.where('body_id', '=', owner.bodyId)
      else if (owner.eventId) q = q.where('event_id', '=', owner.eventId)
      return q.execute()
    },
    file: (id: string) =>
      db
        .selectFrom('scrutiny_files as f')
        .leftJoin('scrutiny_agenda_items as ai', 'ai.id', 'f.agenda_item_id')
        .leftJoin('scrutiny_meetings as m', 'm.id', 'ai.meeting_id')
        .selectAll('f')
        .select(['ai.restricted as agenda_item_restricted', sql<string | null>`coalesce(m.body_id, f.body_id)`.as('owner_body_id')])
        .where('f.id', '=', id)
        .executeTakeFirst(),
    insertFile: (v: Insertable<ScrutinyFilesTable>) => db.insertInto('scrutiny_files').values(v).returning('id').executeTakeFirstOrThrow(),
    fileByUrl: (agendaItemId: string, url: string) =>
      db.selectFrom('scrutiny_files').select('id').where('agenda_item_id', '=', agendaItemId).where('url', '=', url).executeTakeFirst(),

    // Items
    nextNumber: async (bodyId: string, year: string, kind: ItemKind) => {
      const row = await db
        .selectFrom('scrutiny_items')
        .select(sql<number>`coalesce(max(number), 0) + 1`.as('n'))
        .where('body_id', '=', bodyId)
        .where('municipal_year', '=', year)
        .where('kind', '=', kind)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
    numberTaken: async (bodyId: string, year: string, kind: ItemKind, number: number) =>
      Boolean(
        await db
          .selectFrom('scrutiny_items')
          .select('id')
          .where('body_id', '=', bodyId)
          .where('municipal_year', '=', year)
          .where('kind', '=', kind)
          .where('number', '=', number)
          .executeTakeFirst(),
      ),
    insertItem: (v: Insertable<ScrutinyItemsTable>) => db.insertInto('scrutiny_items').values(v).returning('id').executeTakeFirstOrThrow(),
    itemRow: (id: string) => db.selectFrom('scrutiny_items').selectAll().where('id', '=', id).executeTakeFirst(),
    /** Changes the status only if nobody else has since: returns false when the version moved on. */
    setStatus: async (id: string, version: number, v: { status: ItemStatus; status_reason: string | null; rag: Rag | null; by: string | null }) => {
      const result = await db
        .updateTable('scrutiny_items')
        .set({
          status: v.status,
          status_reason: v.status_reason,
          rag: v.rag,
          status_changed_at: new Date(),
          status_changed_by: v.by,
          updated_at: new Date(),
          version: sql<number>`version + 1`,
        })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
    updateItem: (id: string, v: Updateable<ScrutinyItemsTable>) =>
      db
        .updateTable('scrutiny_items')
        .set({ ...v, updated_at: new Date(), version: sql<number>`version + 1` })
        .where('id', '=', id)
        .execute(),
    insertHistory: (v: { item_id: string; status: ItemStatus; rag: Rag | null; reason: string | null; note: string | null; changed_by: string | null; changed_by_name: string; changed_by_agency: string | null }) =>
      db.insertInto('scrutiny_status_history').values(v).execute(),
    history: (itemId: string) => db.selectFrom('scrutiny_status_history').selectAll().where('item_id', '=', itemId).orderBy('changed_at').orderBy('id').execute(),
    insertResponse: (v: { item_id: string; responded_on: string; text: string; responder: string; responder_agency_id: string | null; answers: boolean; recorded_by: string | null; recorded_by_name: string }) =>
      db.insertInto('scrutiny_responses').values(v).returning('id').executeTakeFirstOrThrow(),
    responses: (itemId: string) =>
      db.selectFrom('scrutiny_responses').selectAll().where('item_id', '=', itemId).orderBy('responded_on').orderBy('recorded_at').execute(),
    /** Every response to the items a tracker filter selects, in one pass (no list of ids). */
    responsesWhere: async (filter: TrackerFilter, visibility: Visibility, today: string) => {
      const { rows } = await sql<{ item_id: string; responded_on: string; text: string; responder: string; answers: boolean }>`
        select r.item_id, r.responded_on, r.text, r.responder, r.answers
          from scrutiny_responses r
          join scrutiny_items i on i.id = r.item_id
          join scrutiny_bodies b on b.id = i.body_id
          join scrutiny_meetings m on m.id = i.meeting_id
          left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
         where ${whereFor(filter, visibility, today)}
         order by r.item_id, r.responded_on, r.recorded_at`.execute(db)
      return rows
    },
    /** Every status change of the items a tracker filter selects. */
    historyWhere: async (filter: TrackerFilter, visibility: Visibility, today: string) => {
      const { rows } = await sql<{ item_id: string; changed_at: Date; status: string; rag: string | null; reason: string | null; note: string | null; changed_by_agency: string | null }>`
        select h.item_id, h.changed_at, h.status, h.rag, h.reason, h.note, h.changed_by_agency
          from scrutiny_status_history h
          join scrutiny_items i on i.id = h.item_id
          join scrutiny_bodies b on b.id = i.body_id
          join scrutiny_meetings m on m.id = i.meeting_id
          left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
         where ${whereFor(filter, visibility, today)}
         order by h.item_id, h.changed_at, h.id`.execute(db)
      return rows
    },
    insertEvidence: (v: {
      item_id: string
      event: EvidenceEvent
      occurred_on: string
      /** Only what someone said: null when nobody recorded how. */
      channel: EvidenceChannel | null
      counterpart?: string | null
      detail?: string | null
      previous_date?: string | null
      new_date?: string | null
      reason?: string | null
      notification_id?: string | null
      recorded_by: string | null
      recorded_by_name: string
    }) => db.insertInto('scrutiny_evidence').values(v).execute(),
    insertEvidenceMany: (rows: Insertable<ScrutinyEvidenceTable>[]) => (rows.length ? db.insertInto('scrutiny_evidence').values(rows).execute() : Promise.resolve([])),
    evidence: (itemId: string) => db.selectFrom('scrutiny_evidence').selectAll().where('item_id', '=', itemId).orderBy('occurred_on').orderBy('id').execute(),
    notificationsFor: (itemId: string) =>
      db.selectFrom('scrutiny_notifications').selectAll().where('item_id', '=', itemId).orderBy('scheduled_for').orderBy('created_at').execute(),

    /** What changed in public, newest first: items made, responses, and status changes. */
    publicActivity: async (limit: number, today: string, bodyId?: string) => {
      const bodyFilter = bodyId ? sql`and b.id = ${bodyId}` : sql``
      const { rows } = await sql<{
        kind: 'made' | 'response' | 'status' | 'overdue'
        entry_id: string
        item_id: string
        at: Date
        on_date: string | null
        summary: string | null
        status: string | null
        rag: string | null
        reason: string | null
        who: string | null
      }>`
        select * from (
          (select 'made' as kind, i.id::text as entry_id, i.id as item_id, i.created_at as at, m.meeting_date as on_date,
                  null as summary, null as status, null as rag, null as reason, null as who
             from scrutiny_items i join scrutiny_bodies b on b.id = i.body_id join scrutiny_meetings m on m.id = i.meeting_id
             left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
            where b.public and not ${restrictedSql} ${bodyFilter}
            order by i.created_at desc limit ${limit})
          union all
          (select 'response', r.id::text, i.id, r.recorded_at, r.responded_on, r.text, null, null, null, r.responder
             from scrutiny_responses r join scrutiny_items i on i.id = r.item_id join scrutiny_bodies b on b.id = i.body_id
             left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
            where b.public and not ${restrictedSql} ${bodyFilter}
            order by r.recorded_at desc limit ${limit})
          union all
          (select 'status', h.id::text, i.id, h.changed_at, null, h.note, h.status, h.rag, h.reason, h.changed_by_agency
             from scrutiny_status_history h join scrutiny_items i on i.id = h.item_id join scrutiny_bodies b on b.id = i.body_id
             left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
            where b.public and not ${restrictedSql} ${bodyFilter}
              and exists (select 1 from scrutiny_status_history h0 where h0.item_id = h.item_id and h0.id < h.id)
            order by h.changed_at desc limit ${limit})
          union all
          -- Became overdue and still is: dated the day after the due date (computed, as the tracker does).
          (select 'overdue', i.id::text || ':' || ${dueSql}::text, i.id, (${dueSql} + 1)::timestamptz, (${dueSql} + 1)::date, null, null, 'red', null, null
             from scrutiny_items i join scrutiny_bodies b on b.id = i.body_id join scrutiny_meetings m on m.id = i.meeting_id
             left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
            where b.public and not ${restrictedSql} ${bodyFilter} and ${overdueSql(today)}
            order by ${dueSql} desc limit ${limit})
          union all
          -- Spells of being overdue that a moved due date ended: kept in the evidence log.
          (select 'overdue', 'e' || e.id::text, i.id, e.recorded_at, e.occurred_on, e.detail, null, 'red', null, null
             from scrutiny_evidence e join scrutiny_items i on i.id = e.item_id join scrutiny_bodies b on b.id = i.body_id
             left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
            where e.event = 'became_overdue' and b.public and not ${restrictedSql} ${bodyFilter}
            order by e.recorded_at desc limit ${limit})
        ) activity
        order by at desc, entry_id
        limit ${limit}`.execute(db)
      return rows
    },

    // Reference lists
    agencies: () => db.selectFrom('agencies').select(['id', 'name', 'short_name', 'kind']).where('active', '=', true).orderBy('name').execute(),
    agency: (id: string) => db.selectFrom('agencies').select(['id', 'name', 'short_name', 'kind']).where('id', '=', id).executeTakeFirst(),
  }
}

export type ScrutinyStore = ReturnType<typeof scrutinyStore>
