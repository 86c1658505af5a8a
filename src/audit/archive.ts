import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename } from 'node:fs/promises'
import path from 'node:path'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { Db } from '../db/index.ts'
import { settingsStore } from '../db/settings.ts'
import type { RequestContext } from '../kernel/context.ts'
import { checkArchivedLinks, GENESIS_HASH, type ArchivedLink } from './chain.ts'
import { partitionStore } from './partition-store.ts'
import { monthsAhead, monthsPastRetention } from './partitions.ts'
import type { AuditService } from './service.ts'

/** The settings key of the administrator's retention: months of the trail kept attached before the current one. */
const RETENTION_KEY = 'audit.retention_months'
const BATCH = 5000

/** Where exported months are written: beside the data (DATA_DIR), never in the install folder. */
export const auditArchiveDir = (dataDir: string) => path.join(dataDir, 'audit-archive')

/** The first line of an exported month: what it holds, so that a reader needs nothing else. */
export interface ArchiveHeader {
  lantern_audit_archive: 1
  month: string
  note: string
}

/**
 * The audit trail's months: partitions made ahead of time, and months past the administrator's
 * retention exported to a file (one JSON object a line, each link with the hash before it, so the
 * file is checked on its own with `lantern audit verify-archive`) and then detached. A detached
 * month stays in the database as `audit_archive_YYYY_MM` until an administrator drops it by hand,
 * having kept the file: nothing here deletes a row.
 */
export function auditArchive(db: Db, audit: AuditService) {
  const store = partitionStore(db)
  const settings = settingsStore(db)

  async function exportMonth(month: string, file: string) {
    const hash = createHash('sha256')
    const out = createWriteStream(`${file}.partial`)
    const write = async (line: string) => {
      hash.update(line)
      if (!out.write(line)) await once(out, 'drain')
    }
    const header: ArchiveHeader = { lantern_audit_archive: 1, month, note: 'Lantern audit trail, one link a line: hash = sha256(previous_hash + content); content is the row' }
    await write(JSON.stringify(header) + '\n')
    let rows = 0
    let first: number | null = null
    let last: { seq: number; hash: string } | undefined
    for (;;) {
      const links = await store.monthLinks(month, last?.seq ?? 0, BATCH)
      if (links.length === 0) break
      for (const link of links) {
        const previous = last && last.seq === link.seq - 1 ? last.hash : link.seq === 1 ? GENESIS_HASH : await store.hashAt(link.seq - 1)
        if (previous === undefined) throw new Error(`the audit trail has no link at place ${link.seq - 1}: run lantern audit verify`)
        const line: ArchivedLink = { seq: link.seq, previous_hash: previous, hash: link.hash, content: link.content }
        await write(JSON.stringify(line) + '\n')
        rows++
        first ??= link.seq
        last = { seq: link.seq, hash: link.hash }
      }
    }
    out.end()
    await once(out, 'finish')
    await rename(`${file}.partial`, file)
    return { rows, first, last, sha256: hash.digest('hex') }
  }

  return {
    /** Makes the current month's partition and the ones ahead; returns the months made. */
    async ensureMonths(now: Date): Promise<string[]> {
      const made: string[] = []
      for (const month of monthsAhead(now)) if (await store.addMonth(month)) made.push(month)
      return made
    },
    async retentionMonths(): Promise<number | undefined> {
      const value = await settings.get(RETENTION_KEY)
      return value === undefined ? undefined : Number(value)
    },
    /** Sets, or with undefined clears, the retention; the change is audited. */
    async setRetentionMonths(ctx: RequestContext, months: number | undefined) {
      if (months !== undefined && !(Number.isInteger(months) && months >= 1)) throw new Error('the retention is a whole number of months, at least 1')
      await db.transaction().execute(async (trx) => {
        const inTrx = settingsStore(trx)
        if (months === undefined) await inTrx.remove(RETENTION_KEY)
        else await inTrx.put(RETENTION_KEY, String(months))
        await audit.record(ctx, { action: 'update', recordType: 'audit-retention', details: { months: months ?? null } }, trx)
      })
    },
    /**
     * Exports the month to `dir`, then in one transaction detaches it, records it and audits the
     * act. A month that gained rows during the export is left attached (the transaction rolls back).
     */
    async archiveMonth(ctx: RequestContext, month: string, dir: string) {
      await mkdir(dir, { recursive: true })
      const file = path.join(dir, `lantern-audit-${month}.ndjson`)
      const exported = await exportMonth(month, file)
      await db.transaction().execute(async (trx) => {
        await partitionStore(trx).detachMonth(month, {
          rows: exported.rows,
          first_seq: exported.first,
          last_seq: exported.last?.seq ?? null,
          file_name: path.basename(file),
          file_sha256: exported.sha256,
          archived_by: ctx.user?.email ?? ctx.requestId,
        })
        await audit.record(ctx, { action: 'archive', recordType: 'audit-month', recordId: month, details: { rows: exported.rows, file: path.basename(file), sha256: exported.sha256, lastHash: exported.last?.hash ?? null } }, trx)
      })
      return { month, file, rows: exported.rows, sha256: exported.sha256 }
    },
    /** Archives every attached month past the retention; none when no retention is set. */
    async applyRetention(ctx: RequestContext, now: Date, dir: string) {
      const keep = await this.retentionMonths()
      if (keep === undefined) return []
      const done = []
      for (const month of monthsPastRetention(await store.attachedMonths(), now, keep)) done.push(await this.archiveMonth(ctx, month, dir))
      return done
    },
    archives: () => store.archives(),
  }
}

/** Checks an exported month's file on its own (see `checkArchivedLinks`), and gives its SHA-256 to compare with the register. */
export async function verifyArchiveFile(file: string) {
  const sha256 = createHash('sha256')
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })
  let header: ArchiveHeader | undefined
  async function* links() {
    for await (const line of lines) {
      sha256.update(line + '\n')
      if (!header) {
        header = JSON.parse(line) as ArchiveHeader
        if (header?.lantern_audit_archive !== 1) throw new Error(`${file} is not an exported month of Lantern's audit trail`)
      } else if (line) yield JSON.parse(line) as ArchivedLink
    }
  }
  const result = await checkArchivedLinks(links())
  return { month: header?.month, sha256: sha256.digest('hex'), result }
}

export type AuditArchive = ReturnType<typeof auditArchive>
