import { sql } from 'kysely'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import type { Db } from '../../db/index.ts'
import { runAsOwner } from '../../db/scope.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '../../kernel/errors.ts'
import type { Person } from '../people/index.ts'
import { displayName, personRef } from '../people/index.ts'
import { recordPersonEvent } from '../people/index.ts'
import { mergeStore, personReferences } from './merge-store.ts'
import type { MergeConflict, MergedBefore } from './tables.ts'

export type MergeOutcome = { status: 'completed'; mergeId: string } | { status: 'pending'; mergeId: string; conflicts: MergeConflict[] }

/** Identifiers an agency gives one person only: two different ones on two records is a difference to confirm. */
export const STRONG_SCHEMES = ['nhs_number', 'police_nominal', 'upn'] as const

export interface HeldIdentifier {
  person_id: string
  scheme: string
  value: string
}

/**
 * What disagrees between two records, for a person to confirm before a merge: dates of birth,
 * sexes, and strong identifiers (NHS, police nominal, pupil numbers) of one scheme with no value in
 * common (a record holding two, one shared, is not a conflict).
 */
export function mergeConflicts(
  survivor: Pick<Person, 'id' | 'date_of_birth' | 'gender'>,
  merged: Pick<Person, 'id' | 'date_of_birth' | 'gender'>,
  identifiers: readonly HeldIdentifier[] = [],
): MergeConflict[] {
  const conflicts: MergeConflict[] = []
  if (survivor.date_of_birth && merged.date_of_birth && survivor.date_of_birth !== merged.date_of_birth) {
    conflicts.push({ field: 'date_of_birth', survivor: survivor.date_of_birth, merged: merged.date_of_birth })
  }
  const known = (g: string) => g !== 'not_known' && g !== 'other'
  if (known(survivor.gender) && known(merged.gender) && survivor.gender !== merged.gender) {
    conflicts.push({ field: 'gender', survivor: survivor.gender, merged: merged.gender })
  }
  const normal = (v: string) => v.toUpperCase().replace(/[\s-]+/g, '')
  for (const scheme of STRONG_SCHEMES) {
    const of = (id: string) => identifiers.filter((i) => i.person_id === id && i.scheme === scheme).map((i) => i.value)
    const left = of(survivor.id)
    const right = of(merged.id)
    if (left.length && right.length && !left.some((v) => right.some((w) => normal(v) === normal(w)))) {
      conflicts.push({ field: scheme, survivor: left.join(', '), merged: right.join(', ') })
    }
  }
  return conflicts
}

/** How a difference is named in timelines and on the merge's page. */
export const CONFLICT_TEXT: Record<MergeConflict['field'], string> = {
  date_of_birth: 'dates of birth',
  gender: 'sexes',
  nhs_number: 'NHS numbers',
  police_nominal: 'police nominal numbers',
  upn: 'pupil numbers',
}

/** Thrown when a merge is refused for a reason the user can act on (shown on the page, not a 500). */
export class MergeRefused extends Error {}

/**
 * Merging two person records, and undoing it. A merge moves every row that references the merged
 * record (found from the catalogue's foreign keys at run time, so later tables are covered) to the
 * surviving record inside one transaction, logs each move (table, row key, column, old value), and
 * marks the merged record merged_into the survivor: nothing is deleted, every identifier and all
 * history stay. An unmerge replays the log backwards and restores the merged record's own columns,
 * so both records and their links are exactly as before.
 */
export function mergeService({ db, access, audit }: ModuleDeps) {
  async function people(ids: string[]): Promise<Map<string, Person>> {
    const rows = await db.selectFrom('people').selectAll().where('id', 'in', ids).execute()
    return new Map(rows.map((r) => [r.id, r]))
  }

  /** Role (linkage:merge) and need-to-know on both records. */
  async function authoriseBoth(ctx: RequestContext, a: Person, b: Person, permission: 'linkage:merge' | 'linkage:confirm-merge' = 'linkage:merge') {
    await access.authorise(ctx, permission, personRef(a))
    await access.authorise(ctx, permission, personRef(b))
  }

  /**
   * An agency asked to agree decides on the strength of its need to know about the record it holds
   * (the other record is shown to it as the request's summary); the role must allow confirming.
   */
  async function authoriseForAgency(ctx: RequestContext, survivor: Person, merged: Person) {
    const own = [survivor, merged].filter((p) => p.owner_agency_id === ctx.user!.agencyId)
    if (!own.length) return authoriseBoth(ctx, survivor, merged, 'linkage:confirm-merge')
    for (const p of own) await access.authorise(ctx, 'linkage:confirm-merge', personRef(p))
  }

  function agenciesToAgree(ctx: RequestContext, survivor: Pick<Person, 'owner_agency_id'>, merged: Pick<Person, 'owner_agency_id'>): string[] {
    return [...new Set([survivor.owner_agency_id, merged.owner_agency_id])].filter((a) => a !== ctx.user!.agencyId)
  }

  async function conflictsBetween(survivor: Pick<Person, 'id' | 'date_of_birth' | 'gender'>, merged: Pick<Person, 'id' | 'date_of_birth' | 'gender'>): Promise<MergeConflict[]> {
    return mergeConflicts(survivor, merged, await mergeStore(db).strongIdentifiers([survivor.id, merged.id], STRONG_SCHEMES))
  }

  async function load(survivorId: string, mergedId: string) {
    if (survivorId === mergedId) throw new MergeRefused('Choose two different records')
    const found = await people([survivorId, mergedId])
    const survivor = found.get(survivorId)
    const merged = found.get(mergedId)
    if (!survivor || !merged) throw new NotFoundError()
    return { survivor, merged }
  }

  async function refuseIfNotSame(store: ReturnType<typeof mergeStore>, survivorId: string, mergedId: string) {
    const [left, right] = await Promise.all([store.cluster(survivorId), store.cluster(mergedId)])
    if (await store.notSameBetween(left, right)) {
      throw new MergeRefused('These records have been marked as not the same person, so they cannot be merged')
    }
  }

  /** The merge itself, inside the caller's transaction. */
  async function perform(trx: Db, ctx: RequestContext, mergeId: string, survivorId: string, mergedId: string) {
    const store = mergeStore(trx)
    const locked = await store.lockPeople([survivorId, mergedId])
    const survivor = locked.find((p) => p.id === survivorId)
    const merged = locked.find((p) => p.id === mergedId)
    if (!survivor || !merged) throw new NotFoundError()
    if (survivor.merged_into || merged.merged_into) throw new MergeRefused('One of these records has already been merged into another')
    await refuseIfNotSame(store, survivorId, mergedId)

    const log: { table_name: string; column_name: string; row_key: string; old_value: string | null; new_value: string | null; action: 'moved' | 'inserted' }[] = []
    let n = 0
    for (const ref of await personReferences(trx)) {
      if (ref.key.length === 0) throw new Error(`merge: table ${ref.table} has no primary key, so its rows cannot be moved and put back`)
      for (const key of await store.keysOf(ref, mergedId)) {
        let moved: boolean
        if (ref.unique) {
          // The survivor may already hold the one row this column allows (e.g. a network entity):
          // then the merged record keeps its own, still reachable through merged_into.
          const name = `linkage_move_${n++}`
          await store.savepoint(name)
          try {
            moved = await store.moveRow(ref.table, ref.column, key, mergedId, survivorId)
            await store.release(name)
          } catch {
            await store.rollbackTo(name)
            moved = false
          }
        } else moved = await store.moveRow(ref.table, ref.column, key, mergedId, survivorId)
        if (moved) log.push({ table_name: ref.table, column_name: ref.column, row_key: JSON.stringify(key), old_value: mergedId, new_value: survivorId, action: 'moved' })
      }
    }
    // Shares are not foreign keys (record_shares names any record type). The merged record keeps its
    // own; whoever could see it (its owner, the agencies and people it was shared with) is given a
    // share of the survivor too, so a merge never hides a child from those who knew them.
    const survivorShares = await store.sharesOf(survivorId)
    // Shares carry their terms over; the merged record's owner is given one naming the merge as its purpose.
    const ownerGrant = { agency_id: merged.owner_agency_id, user_id: null as string | null, purpose: 'Held a record of the same person, merged into this one', legal_basis: null, review_on: null, expires_at: null }
    const grants = [ownerGrant, ...(await store.sharesOf(mergedId))]
    const seen = new Set<string>()
    for (const grant of grants) {
      const key = grant.agency_id ? `a:${grant.agency_id}` : `u:${grant.user_id}`
      if (seen.has(key)) continue
      seen.add(key)
      if (grant.agency_id === survivor.owner_agency_id) continue
      if (survivorShares.some((s) => (grant.agency_id ? s.agency_id === grant.agency_id : s.user_id === grant.user_id))) continue
      const row = await trx
        .insertInto('record_shares')
        .values({
          record_type: 'person',
          record_id: survivorId,
          agency_id: grant.agency_id,
          user_id: grant.agency_id ? null : grant.user_id,
          granted_by: ctx.user!.id,
          purpose: grant.purpose,
          legal_basis: grant.legal_basis,
          review_on: grant.review_on,
          expires_at: grant.expires_at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      log.push({ table_name: 'record_shares', column_name: 'record_id', row_key: JSON.stringify({ id: row.id }), old_value: null, new_value: survivorId, action: 'inserted' })
    }
    if (log.length) await trx.insertInto('linkage_merge_moves').values(log.map((l) => ({ ...l, merge_id: mergeId }))).execute()

    const before: MergedBefore = { merged_into: merged.merged_into, version: merged.version, updated_at: new Date(merged.updated_at).toISOString() }
    await trx.updateTable('people').set({ merged_into: survivorId, version: sql`version + 1`, updated_at: sql`now()` }).where('id', '=', mergedId).execute()
    await trx
      .updateTable('linkage_merges')
      .set({ status: 'completed', completed_at: sql`now()`, merged_before: JSON.stringify(before) })
      .where('id', '=', mergeId)
      .execute()
    const user = ctx.user!
    await recordPersonEvent(trx, { personId: survivorId, kind: 'merged', summary: `Record of ${displayName(merged)} (${merged.date_of_birth ?? 'no date of birth'}) merged into this one by ${user.name}, ${user.agencyName}`, actorId: user.id, refType: 'linkage_merge', refId: mergeId })
    await recordPersonEvent(trx, { personId: mergedId, kind: 'merged', summary: `Merged into the record of ${displayName(survivor)} by ${user.name}, ${user.agencyName}`, actorId: user.id, refType: 'linkage_merge', refId: mergeId })
    await audit.record(ctx, { action: 'merge', recordType: 'person', recordId: survivorId, details: { mergeId, merged: mergedId, moved: log.length } }, trx)
    await audit.record(ctx, { action: 'merge', recordType: 'person', recordId: mergedId, details: { mergeId, into: survivorId } }, trx)
    return log.length
  }

  return {
    mergeConflicts,

    /** What disagrees between two records (dates of birth, sexes, strong identifiers). */
    conflictsBetween,

    /** The agencies, other than the user's, that hold either record: a merge waits for each to agree. */
    agenciesToAgree,

    /**
     * Merges `mergedId` into `survivorId`, or records a request that waits: for each other agency
     * that holds either record to agree, and, when dates of birth, sexes or strong identifiers
     * disagree, for a manager other than the requester to confirm. Refused when the two were marked
     * as not the same person.
     */
    async request(ctx: RequestContext, input: { survivorId: string; mergedId: string; reason: string | null }): Promise<MergeOutcome> {
      const { survivor, merged } = await load(input.survivorId, input.mergedId)
      await authoriseBoth(ctx, survivor, merged)
      if (!input.reason?.trim()) throw new MergeRefused('Enter why these records are the same person')
      if (survivor.merged_into || merged.merged_into) throw new MergeRefused('One of these records has already been merged into another')
      await refuseIfNotSame(mergeStore(db), survivor.id, merged.id)
      const pending = await db
        .selectFrom('linkage_merges')
        .select('id')
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb.and([eb('survivor_id', '=', survivor.id), eb('merged_id', '=', merged.id)]), eb.and([eb('survivor_id', '=', merged.id), eb('merged_id', '=', survivor.id)])]))
        .executeTakeFirst()
      if (pending) throw new MergeRefused('A merge of these records is already waiting for a decision')
      const conflicts = await conflictsBetween(survivor, merged)
      const user = ctx.user!
      const agencies = agenciesToAgree(ctx, survivor, merged)
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('linkage_merges')
          .values({ survivor_id: survivor.id, merged_id: merged.id, status: 'pending', conflicts: JSON.stringify(conflicts), reason: input.reason, requested_by: user.id })
          .returning('id')
          .executeTakeFirstOrThrow()
        if (conflicts.length || agencies.length) {
          await mergeStore(trx).addAgreements(row.id, agencies)
          const waits = [
            ...(agencies.length ? [`the agreement of the agency that holds the record`] : []),
            ...(conflicts.length ? [`a manager to confirm (${conflicts.map((c) => CONFLICT_TEXT[c.field]).join(', ')} differ)`] : []),
          ].join(' and ')
          for (const id of [survivor.id, merged.id]) {
            await recordPersonEvent(trx, { personId: id, kind: 'merge-requested', summary: `Merge with another record requested by ${user.name}, ${user.agencyName}: waiting for ${waits}`, actorId: user.id, refType: 'linkage_merge', refId: row.id })
          }
          await audit.record(ctx, { action: 'merge-requested', recordType: 'person', recordId: survivor.id, reason: input.reason ?? undefined, details: { mergeId: row.id, merged: merged.id, conflicts, agencies } }, trx)
          return { status: 'pending' as const, mergeId: row.id, conflicts }
        }
        await perform(trx, ctx, row.id, survivor.id, merged.id)
        return { status: 'completed' as const, mergeId: row.id }
      })
    },

    /**
     * A decision on a pending merge. While agencies have still to agree, only a person with
     * linkage:confirm-merge in one of them may give (or refuse) its agreement, on the strength of
     * their need to know about the record their agency holds; the merge goes ahead once every
     * agency has agreed. Otherwise a manager other than the requester confirms (four eyes).
     */
    async confirm(ctx: RequestContext, mergeId: string, note: string | null): Promise<void> {
      const merge = await mergeStore(db).merge(mergeId)
      if (!merge) throw new NotFoundError()
      const waiting = (await mergeStore(db).agreements(mergeId)).filter((g) => !g.agreed_at)
      const asked = waiting.some((g) => g.agency_id === ctx.user!.agencyId)
      // An agency asked to agree may not see the other record: it is read, and the merge made, as
      // the owner, once the agency's own need to know is checked below.
      const asOwner = <T>(work: () => Promise<T>) => (asked ? runAsOwner('an agency agreeing to a merge into its record completes it', work) : work())
      const { survivor, merged } = await asOwner(() => load(merge.survivor_id, merge.merged_id))
      if (waiting.length) await authoriseForAgency(ctx, survivor, merged)
      else await authoriseBoth(ctx, survivor, merged, 'linkage:confirm-merge')
      if (merge.status !== 'pending') throw new MergeRefused('This merge is no longer waiting for confirmation')
      if (merge.requested_by === ctx.user!.id) throw new MergeRefused('A different manager must confirm a merge you requested')
      const user = ctx.user!
      if (waiting.length && !waiting.some((g) => g.agency_id === user.agencyId)) {
        throw new MergeRefused(`This merge is waiting for ${waiting.map((g) => g.agency_name).join(' and ')} to agree`)
      }
      await asOwner(() => db.transaction().execute(async (trx) => {
        if (waiting.length) {
          if (!(await mergeStore(trx).agree(mergeId, user.agencyId, user.id))) throw new ConflictError('Your agency has already agreed to this merge.')
          await audit.record(ctx, { action: 'merge-agreed', recordType: 'linkage_merge', recordId: mergeId, reason: note ?? undefined, details: { agency: user.agencyId } }, trx)
          // Still waiting for another agency: the merge itself is for the last to agree.
          if (waiting.length > 1) return
        }
        const claimed = await trx
          .updateTable('linkage_merges')
          .set({ decided_by: user.id, decided_at: sql`now()`, decision_note: note })
          .where('id', '=', mergeId)
          .where('status', '=', 'pending')
          .executeTakeFirst()
        if (Number(claimed.numUpdatedRows) === 0) throw new ConflictError('Someone else decided this merge request first.')
        await perform(trx, ctx, mergeId, merge.survivor_id, merge.merged_id)
      }))
    },

    async decline(ctx: RequestContext, mergeId: string, note: string | null): Promise<void> {
      const merge = await mergeStore(db).merge(mergeId)
      if (!merge) throw new NotFoundError()
      const waiting = (await mergeStore(db).agreements(mergeId)).filter((g) => !g.agreed_at)
      const asked = waiting.some((g) => g.agency_id === ctx.user!.agencyId)
      const asOwner = <T>(work: () => Promise<T>) => (asked ? runAsOwner('an agency declining a merge into its record notes it on both records', work) : work())
      const { survivor, merged } = await asOwner(() => load(merge.survivor_id, merge.merged_id))
      if (asked) await authoriseForAgency(ctx, survivor, merged)
      else await authoriseBoth(ctx, survivor, merged, 'linkage:confirm-merge')
      await asOwner(() => db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('linkage_merges')
          .set({ status: 'declined', decided_by: ctx.user!.id, decided_at: sql`now()`, decision_note: note })
          .where('id', '=', mergeId)
          .where('status', '=', 'pending')
          .executeTakeFirst()
        if (Number(result.numUpdatedRows) === 0) throw new ConflictError('This merge request was already decided.')
        for (const id of [survivor.id, merged.id]) {
          await recordPersonEvent(trx, { personId: id, kind: 'merge-declined', summary: `Merge request declined by ${ctx.user!.name}`, actorId: ctx.user!.id, refType: 'linkage_merge', refId: mergeId })
        }
        await audit.record(ctx, { action: 'merge-declined', recordType: 'person', recordId: survivor.id, details: { mergeId, merged: merged.id } }, trx)
      }))
    },

    /** Undo a merge: every logged move put back, the merged record's own columns restored exactly. */
    async unmerge(ctx: RequestContext, mergeId: string, reason: string | null): Promise<{ restored: number; missing: number }> {
      const merge = await mergeStore(db).merge(mergeId)
      if (!merge) throw new NotFoundError()
      const { survivor, merged } = await load(merge.survivor_id, merge.merged_id)
      await authoriseBoth(ctx, survivor, merged)
      if (merge.status !== 'completed') throw new MergeRefused('Only a completed merge can be undone')
      if (survivor.merged_into) throw new MergeRefused(`The surviving record has since been merged into another: undo that merge first`)
      const before = merge.merged_before as MergedBefore
      return db.transaction().execute(async (trx) => {
        const store = mergeStore(trx)
        const locked = await store.lockPeople([survivor.id, merged.id])
        if (locked.find((p) => p.id === merged.id)?.merged_into !== survivor.id) throw new ConflictError('The merged record changed after the merge; it cannot be undone automatically.')
        const claimed = await trx
          .updateTable('linkage_merges')
          .set({ status: 'undone', undone_by: ctx.user!.id, undone_at: sql`now()`, undo_reason: reason })
          .where('id', '=', mergeId)
          .where('status', '=', 'completed')
          .executeTakeFirst()
        if (Number(claimed.numUpdatedRows) === 0) throw new ConflictError('This merge was already undone.')
        let restored = 0
        let missing = 0
        for (const move of await store.moves(mergeId)) {
          const key = move.row_key as Record<string, unknown>
          const ok =
            move.action === 'inserted'
              ? await store.deleteRow(move.table_name, key)
              : await store.moveRow(move.table_name, move.column_name, key, move.new_value!, move.old_value!)
          if (ok) restored++
          else missing++
        }
        await trx
          .updateTable('people')
          .set({ merged_into: before.merged_into, version: before.version, updated_at: new Date(before.updated_at) })
          .where('id', '=', merged.id)
          .execute()
        const user = ctx.user!
        await recordPersonEvent(trx, { personId: survivor.id, kind: 'unmerged', summary: `Merge with the record of ${displayName(merged)} undone by ${user.name}`, actorId: user.id, refType: 'linkage_merge', refId: mergeId })
        await recordPersonEvent(trx, { personId: merged.id, kind: 'unmerged', summary: `Separated again from the record of ${displayName(survivor)} by ${user.name}`, actorId: user.id, refType: 'linkage_merge', refId: mergeId })
        await audit.record(ctx, { action: 'unmerge', recordType: 'person', recordId: survivor.id, reason: reason ?? undefined, details: { mergeId, merged: merged.id, restored, missing } }, trx)
        await audit.record(ctx, { action: 'unmerge', recordType: 'person', recordId: merged.id, reason: reason ?? undefined, details: { mergeId } }, trx)
        return { restored, missing }
      })
    },

    /** Remember that two records are different people: any merge that would join them is refused. */
    async markNotSame(ctx: RequestContext, aId: string, bId: string, reason: string | null): Promise<void> {
      const { survivor: a, merged: b } = await load(aId, bId)
      await authoriseBoth(ctx, a, b)
      const [first, second] = a.id < b.id ? [a.id, b.id] : [b.id, a.id]
      await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('linkage_not_same')
          .values({ person_a: first, person_b: second, reason, recorded_by: ctx.user!.id })
          .onConflict((oc) => oc.columns(['person_a', 'person_b']).doNothing())
          .returning('id')
          .executeTakeFirst()
        if (!inserted) return
        await trx.updateTable('linkage_merges').set({ status: 'declined', decided_by: ctx.user!.id, decided_at: sql`now()`, decision_note: 'Marked as not the same person' })
          .where('status', '=', 'pending')
          .where((eb) => eb.or([eb.and([eb('survivor_id', '=', first), eb('merged_id', '=', second)]), eb.and([eb('survivor_id', '=', second), eb('merged_id', '=', first)])]))
          .execute()
        for (const [id, other] of [[a, b], [b, a]] as const) {
          await recordPersonEvent(trx, { personId: id.id, kind: 'not-same-person', summary: `Recorded as not the same person as ${displayName(other)} by ${ctx.user!.name}`, actorId: ctx.user!.id, refType: 'linkage_not_same', refId: inserted.id })
        }
        await audit.record(ctx, { action: 'not-same-person', recordType: 'person', recordId: a.id, reason: reason ?? undefined, details: { other: b.id } }, trx)
      })
    },

    async isNotSame(aId: string, bId: string): Promise<boolean> {
      const [first, second] = aId < bId ? [aId, bId] : [bId, aId]
      return Boolean(await db.selectFrom('linkage_not_same').select('id').where('person_a', '=', first).where('person_b', '=', second).executeTakeFirst())
    },

    /**
     * Merges touching this person (either side), newest first, each side named only where the user
     * may see it: a merge with a record they may not see is still part of this record's history.
     */
    mergesOf: (ctx: RequestContext, personId: string) => mergeStore(db).mergesOf(ctx.user!, personId),

    /**
     * Merges waiting for a decision, for the queue page: those whose two records the user may see,
     * and those waiting for the user's agency to agree (named even where only the other agency
     * sees the other record, so that the agency can find what it is asked).
     */
    async pending(ctx: RequestContext) {
      const query = (asked: boolean) => mergeStore(db).pending(asked ? ctx.user!.agencyId : null)
      const [visible, asked] = await Promise.all([query(false), runAsOwner('an agency asked to agree to a merge is shown which records it is about', () => query(true))])
      const seen = new Set(visible.map((m) => m.id))
      return [...visible, ...asked.filter((m) => !seen.has(m.id))].sort((a, b) => new Date(a.requested_at).getTime() - new Date(b.requested_at).getTime())
    },

    /** Who has agreed to a merge and who is still waited for. */
    agreements: (mergeId: string) => mergeStore(db).agreements(mergeId),

    /**
     * The two records of a merge as its page shows them: each as the user may see it, or, for an
     * agency asked to agree, the summary of a record it has no other need to know about (audited).
     */
    async sides(ctx: RequestContext, mergeId: string, header: (id: string) => Promise<unknown>) {
      const merge = await mergeStore(db).merge(mergeId)
      if (!merge) throw new NotFoundError()
      const asked = (await mergeStore(db).agreements(mergeId)).some((g) => g.agency_id === ctx.user!.agencyId)
      const side = async (id: string) => {
        try {
          return { ...(await header(id) as object), summaryOnly: false }
        } catch (err) {
          if (!asked || !(err instanceof ForbiddenError || err instanceof NotFoundError)) throw err
          const summary = await runAsOwner('an agency asked to agree to a merge into its record sees the other record’s summary', () => mergeStore(db).summary(id))
          if (!summary) throw err
          await audit.record(ctx, { action: 'view', recordType: 'person', recordId: id, details: { purpose: 'merge-agreement', mergeId } })
          return { ...summary, summaryOnly: true }
        }
      }
      const [survivor, merged] = [await side(merge.survivor_id), await side(merge.merged_id)]
      return { merge, survivor, merged }
    },

    merge: (id: string) => mergeStore(db).merge(id),
  }
}

export type MergeService = ReturnType<typeof mergeService>
export { ForbiddenError }
