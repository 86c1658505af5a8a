import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import { archiveTableName, monthBounds, monthOfPartition } from './partitions.ts'

export interface ArchiveRecord {
  month: string
  table_name: string
  rows: number
  first_seq: number | null
  last_seq: number | null
  attached_from: number
  file_name: string
  file_sha256: string
  archived_at: Date
  archived_by: string | null
}

/** The audit trail's monthly partitions and the register of the months exported and detached (migration 0800). */
export function partitionStore(db: Db) {
  return {
    /** Makes the month's partition unless it, or its archive, is there; true when made. */
    async addMonth(month: string): Promise<boolean> {
      const { rows } = await sql<{ made: boolean }>`select audit_events_add_month(${`${month}-01`}::date) as made`.execute(db)
      return rows[0].made
    },
    /** The months with a partition attached, oldest first ("YYYY-MM"). */
    async attachedMonths(): Promise<string[]> {
      const { rows } = await sql<{ name: string }>`
        select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
         where i.inhparent = 'audit_events'::regclass`.execute(db)
      return rows.map((r) => monthOfPartition(r.name)).filter((m): m is string => m !== undefined).sort()
    },
    /** A month's links in chain order after place `after`, with their content; `previous_hash` is filled where the link before is in the same batch. */
    async monthLinks(month: string, after: number, limit: number): Promise<{ seq: number; hash: string; content: string }[]> {
      const { from, to } = monthBounds(month)
      const { rows } = await sql<{ seq: string; hash: string; content: string }>`
        select e.chain_seq as seq, e.hash, audit_event_content(e) as content from audit_events e
         where e.at >= ${from}::timestamptz and e.at < ${to}::timestamptz and e.chain_seq > ${after}
         order by e.chain_seq limit ${limit}`.execute(db)
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }))
    },
    /** The hash at place `seq`, attached or archived; undefined when no such link is kept. */
    async hashAt(seq: number): Promise<string | undefined> {
      const { rows } = await sql<{ hash: string }>`
        (select hash from audit_events where chain_seq = ${seq} limit 1)
        union all (select hash from audit_archived_links where chain_seq = ${seq}) limit 1`.execute(db)
      return rows[0]?.hash
    },
    /**
     * Detaches the month's partition, keeps it as `audit_archive_YYYY_MM` (append-only, as the
     * trail is), records it and the links the verifier still needs. Throws, so the caller's
     * transaction rolls back, if the month holds other than the `rows` exported.
     */
    async detachMonth(month: string, record: Omit<ArchiveRecord, 'month' | 'table_name' | 'archived_at' | 'attached_from'>) {
      const partition = sql.id(`audit_events_${month.replace('-', '_')}`)
      const archive = archiveTableName(month)
      await sql`alter table audit_events detach partition ${partition}`.execute(db)
      await sql`alter table ${partition} rename to ${sql.id(archive)}`.execute(db)
      const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.id(archive)}`.execute(db)
      if (Number(rows[0].n) !== record.rows) throw new Error(`the audit month ${month} gained rows while it was exported: try again`)
      // A detached partition loses the triggers it had from the trail.
      await sql`create trigger audit_archive_no_update_delete before update or delete on ${sql.id(archive)} for each row execute function audit_events_append_only()`.execute(db)
      await sql`create trigger audit_archive_no_truncate before truncate on ${sql.id(archive)} for each statement execute function audit_events_append_only()`.execute(db)
      await sql`
        insert into audit_archives (month, table_name, rows, first_seq, last_seq, attached_from, file_name, file_sha256, archived_by)
        values (${monthBounds(month).from}::date, ${archive}, ${record.rows}, ${record.first_seq}, ${record.last_seq},
                coalesce((select min(chain_seq) from audit_events), (select seq + 1 from audit_chain_head)),
                ${record.file_name}, ${record.file_sha256}, ${record.archived_by})`.execute(db)
      // The link before the first place still attached, and any of this month's that come after it.
      await sql`
        insert into audit_archived_links (chain_seq, hash)
        select a.chain_seq, a.hash from ${sql.id(archive)} a
         where a.chain_seq >= (select attached_from from audit_archives where table_name = ${archive}) - 1
        on conflict (chain_seq) do nothing`.execute(db)
    },
    async archives(): Promise<ArchiveRecord[]> {
      const { rows } = await sql<ArchiveRecord & { month: Date | string }>`select * from audit_archives order by month`.execute(db)
      return rows.map((r) => ({ ...r, month: new Date(r.month).toISOString().slice(0, 7), rows: Number(r.rows), first_seq: r.first_seq && Number(r.first_seq), last_seq: r.last_seq && Number(r.last_seq), attached_from: Number(r.attached_from) }))
    },
    /** Places and hashes of archived links the verifier steps over or starts from. */
    async archivedLinks(): Promise<Map<number, string>> {
      const { rows } = await sql<{ chain_seq: string; hash: string }>`select chain_seq, hash from audit_archived_links`.execute(db)
      return new Map(rows.map((r) => [Number(r.chain_seq), r.hash]))
    },
    /** Where the attached trail began when the last month was detached; undefined before any was. */
    async attachedFrom(): Promise<number | undefined> {
      const { rows } = await sql<{ seq: string | null }>`select max(attached_from) as seq from audit_archives`.execute(db)
      return rows[0]?.seq == null ? undefined : Number(rows[0].seq)
    },
  }
}

export type PartitionStore = ReturnType<typeof partitionStore>
