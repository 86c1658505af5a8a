import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { AuditEvent } from '../db/schema.ts'

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
}

export interface AuditFilter {
  userEmail?: string
  action?: string
  recordType?: string
  recordId?: string
  from?: string
  to?: string
}

export function auditStore(db: Db) {
  function filtered(filter: AuditFilter) {
    let q = db.selectFrom('audit_events')
    if (filter.userEmail) q = q.where(sql<boolean>`lower(user_email) like ${'%' + filter.userEmail.toLowerCase() + '%'}`)
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
    async search(filter: AuditFilter, limit: number, offset: number): Promise<{ rows: AuditEvent[]; total: number }> {
      const [rows, count] = await Promise.all([
        filtered(filter).selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
        filtered(filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      return { rows, total: Number(count.n) }
    },
    async *iterate(filter: AuditFilter, batch = 1000): AsyncGenerator<AuditEvent[]> {
      let before = Number.MAX_SAFE_INTEGER
      for (;;) {
        const rows = await filtered(filter).selectAll().where('id', '<', before).orderBy('id', 'desc').limit(batch).execute()
        if (rows.length === 0) return
        yield rows
        before = rows[rows.length - 1].id
      }
    },
    async actions(): Promise<string[]> {
      const rows = await db.selectFrom('audit_events').select('action').distinct().orderBy('action').execute()
      return rows.map((r) => r.action)
    },
  }
}

export type AuditStore = ReturnType<typeof auditStore>
