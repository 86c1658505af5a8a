import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { AuditEvent } from '../db/schema.ts'
import { escapeLike } from '../db/like.ts'

export interface AuditInsert {
  user_id: string | null
  user_email: string | null
  agency_id: string | null
  action: string
  record_type: string | null
  record_id: string | null
  request_id: string | null
  method: string | null
  path: string | null
  reason: string | null
  details: Record<string, unknown> | null
  token_id: string | null
  token_name: string | null
}

/** One link of the hash chain as `lantern audit verify` reads it: the row's canonical content is made by the database, as the trigger made it. */
export interface ChainLink {
  id: number
  chain_seq: number
  hash: string
  content: string
}

/** On what footing a viewer saw a record, worked out from what held when they looked. */
export type ViewBasis = 'owner' | 'shared-agency' | 'shared-user' | 'break-glass' | 'other'

export interface RecordViewer {
  at: Date
  action: string
  user_name: string | null
  user_email: string | null
  agency_name: string | null
  token_name: string | null
  basis: ViewBasis
}

export interface AuditFilter {
  userEmail?: string
  action?: string
  recordType?: string
  recordId?: string
  from?: string
  to?: string
}

/** How far the admin search counts its matches. */
export const SEARCH_COUNT_LIMIT = 10_000

export function auditStore(db: Db) {
  function filtered(filter: AuditFilter) {
    let q = db.selectFrom('audit_events')
    // A whole address, or the start of one: both answered by the index on lower(user_email)
    // (migration 0800), where a match anywhere in the address would read every row.
    if (filter.userEmail) {
      const email = filter.userEmail.trim().toLowerCase()
      q = email.includes('@') ? q.where(sql<boolean>`lower(user_email) = ${email}`) : q.where(sql<boolean>`lower(user_email) like ${escapeLike(email) + '%'}`)
    }
    if (filter.action) q = q.where('action', '=', filter.action)
    if (filter.recordType) q = q.where('record_type', '=', filter.recordType)
    if (filter.recordId) q = q.where('record_id', '=', filter.recordId)
    if (filter.from) q = q.where('at', '>=', new Date(`${filter.from}T00:00:00Z`))
    if (filter.to) q = q.where('at', '<', sql<Date>`${filter.to}::date + 1`)
    return q
  }
  return {
    async insert(event: AuditInsert, executor: Db = db) {
      await executor
        .insertInto('audit_events')
        .values({ ...event, details: event.details ? JSON.stringify(event.details) : null })
        .execute()
    },
    /**
     * A page of events, newest first, and how many match counted up to `countUpTo` (past it the
     * count stops: counting a billion rows would take minutes).
     */
    async search(filter: AuditFilter, limit: number, offset: number, countUpTo = SEARCH_COUNT_LIMIT): Promise<{ rows: AuditEvent[]; total: number }> {
      const [rows, count] = await Promise.all([
        filtered(filter).selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
        db
          .selectFrom(filtered(filter).select('id').limit(countUpTo).as('matched'))
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ])
      return { rows, total: Number(count.n) }
    },
    async *iterate(filter: AuditFilter, batch = 1000): AsyncGenerator<AuditEvent[]> {
      let before: { at: Date; id: number } | undefined
      for (;;) {
        let q = filtered(filter).selectAll()
        if (before) q = q.where((eb) => eb(eb.refTuple('at', 'id'), '<', eb.tuple(before!.at, before!.id)))
        const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(batch).execute()
        if (rows.length === 0) return
        yield rows
        before = rows[rows.length - 1]
      }
    },
    /** Links of the chain after place `after`, in chain order. */
    async chainAfter(after: number, limit: number): Promise<ChainLink[]> {
      const { rows } = await sql<ChainLink>`
        select e.id, e.chain_seq, e.hash, audit_event_content(e) as content
          from audit_events e where e.chain_seq > ${after} order by e.chain_seq limit ${limit}`.execute(db)
      return rows.map((r) => ({ ...r, id: Number(r.id), chain_seq: Number(r.chain_seq) }))
    },
    async chainHead(): Promise<{ seq: number; hash: string } | undefined> {
      const { rows } = await sql<{ seq: number; hash: string }>`select seq, hash from audit_chain_head`.execute(db)
      return rows[0] && { seq: Number(rows[0].seq), hash: rows[0].hash }
    },
    /** Rows outside the chain: none unless someone wrote past the trigger. */
    async unchained(): Promise<number[]> {
      const rows = await db.selectFrom('audit_events').select('id').where((eb) => eb.or([eb('chain_seq', 'is', null), eb('hash', 'is', null)])).orderBy('id').limit(10).execute()
      return rows.map((r) => r.id)
    },
    /**
     * Who viewed or exported a record, newest first, with the basis each had: the first of the
     * owning agency, a share to their agency, a share to them, break glass, that held at the time
     * (the order of decide() in src/access/policy.ts).
     */
    async viewers(recordType: string, recordId: string, ownerAgencyId: string, limit: number): Promise<RecordViewer[]> {
      const { rows } = await sql<RecordViewer>`
        select e.at, e.action, u.name as user_name, e.user_email, a.short_name as agency_name, e.token_name,
          case
            when e.agency_id = ${ownerAgencyId} then 'owner'
            when exists (select 1 from record_shares s where s.record_type = ${recordType} and s.record_id::text = e.record_id and s.agency_id = e.agency_id
                           and s.granted_at <= e.at and (s.revoked_at is null or s.revoked_at > e.at) and (s.expires_at is null or s.expires_at > e.at)) then 'shared-agency'
            when exists (select 1 from record_shares s where s.record_type = ${recordType} and s.record_id::text = e.record_id and s.user_id = e.user_id
                           and s.granted_at <= e.at and (s.revoked_at is null or s.revoked_at > e.at) and (s.expires_at is null or s.expires_at > e.at)) then 'shared-user'
            when exists (select 1 from break_glass g where g.record_type = ${recordType} and g.record_id::text = e.record_id and g.user_id = e.user_id
                           and g.granted_at <= e.at and g.expires_at > e.at) then 'break-glass'
            else 'other'
          end as basis
        from audit_events e
        left join users u on u.id = e.user_id
        left join agencies a on a.id = e.agency_id
        where e.record_type = ${recordType} and e.record_id = ${recordId} and e.action in ('view', 'export') and e.user_id is not null
        order by e.at desc, e.id desc
        limit ${limit}`.execute(db)
      return rows
    },
    /** The actions the trail holds, one index probe per action and month (a distinct over every row would read them all). */
    async actions(): Promise<string[]> {
      const { rows } = await sql<{ action: string }>`
        with recursive a(action) as (
          (select action from audit_events order by action limit 1)
          union all
          select (select e.action from audit_events e where e.action > a.action order by e.action limit 1) from a where a.action is not null
        )
        select action from a where action is not null`.execute(db)
      return rows.map((r) => r.action)
    },
  }
}

export type AuditStore = ReturnType<typeof auditStore>
