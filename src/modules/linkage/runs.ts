import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { deduplicate, linkTables, LinkageInputError, parseCsvTable, reviewedAccuracy, tableFromObjects, type LinkageModel, type Table } from '../../analytics/linkage/index.ts'
import { withKnownM, ENTRY_COLUMNS, loadVisibleEntryRecords } from './entry.ts'
import type { PairDecision, RunKind } from './tables.ts'
import { decidePair, pairVisible, runOfOwnAgency, runOfOwnAgencyById, undecidedPairs } from './runs-store.ts'
import { pairClusters } from './clusters.ts'

/** A record of a run as a reviewer reads it: its name, or its id in the extract. */
const recordName = (r: Record<string, string>) => [r.given_name, r.surname].filter(Boolean).join(' ') || 'the record'

/** The fields an extract's columns can be mapped to: the names the engine's defaults recognise. */
export const FIELDS = [
  { role: 'id', text: 'Record id (required)' },
  { role: 'given_name', text: 'First name' },
  { role: 'surname', text: 'Last name' },
  { role: 'date_of_birth', text: 'Date of birth' },
  { role: 'sex', text: 'Sex or gender' },
  { role: 'postcode', text: 'Postcode' },
  { role: 'nhs_number', text: 'NHS number' },
] as const
export type Role = (typeof FIELDS)[number]['role']

const GUESS: Record<Role, RegExp> = {
  id: /^(id|rec_?id|record_?id|case_?(no|number|id)|nominal|ref(erence)?)$/i,
  given_name: /^(given_?name|first_?name|forenames?|fname)$/i,
  surname: /^(surname|last_?name|family_?name|lname)$/i,
  date_of_birth: /^(date_?of_?birth|dob|birth_?date)$/i,
  sex: /^(sex|gender)$/i,
  postcode: /^(post_?code|postal_?code|zip)$/i,
  nhs_number: /^(nhs_?(number|no)?)$/i,
}

export function guessMapping(headers: readonly string[]): Partial<Record<Role, string>> {
  const out: Partial<Record<Role, string>> = {}
  for (const { role } of FIELDS) {
    const hit = headers.find((h) => GUESS[role].test(h.trim()))
    if (hit) out[role] = hit
  }
  return out
}

/** Reads an extract: CSV errors carry the line number; an empty file or a file with no rows is refused. */
export function readExtract(text: string, label: string): Table {
  const table = parseCsvTable(text, label)
  if (table.length === 0) throw new LinkageInputError(`${label}: the file has a header but no records`)
  return table
}

/**
 * The extract with its columns renamed to Lantern's fields. Refuses a mapping naming a column the
 * file does not have, a missing id column, an empty id and duplicate ids (with line numbers).
 */
export function mapExtract(table: Table, mapping: Partial<Record<Role, string>>, label: string): Table {
  const columns: Record<string, ReadonlyArray<string | null | undefined>> = {}
  if (!mapping.id) throw new LinkageInputError(`${label}: choose the column that holds each record’s id`)
  for (const [role, column] of Object.entries(mapping) as [Role, string][]) {
    if (!column) continue
    if (!(column in table.columns)) throw new LinkageInputError(`${label}: there is no column "${column}" in the file`)
    columns[role] = table.columns[column]
  }
  const ids = columns.id
  const seen = new Map<string, number>()
  for (let r = 0; r < table.length; r++) {
    const id = (ids[r] ?? '').trim()
    const line = r + 2
    if (!id) throw new LinkageInputError(`${label}: line ${line} has no id in column "${mapping.id}"`)
    const first = seen.get(id)
    if (first !== undefined) throw new LinkageInputError(`${label}: id "${id}" appears twice, on lines ${first} and ${line}`)
    seen.set(id, line)
  }
  if (Object.keys(columns).length < 3) throw new LinkageInputError(`${label}: map at least two fields besides the id to compare records on`)
  return { length: table.length, columns }
}

/** True when EM had too little to learn from (small extracts): m is then taken from experience. */
function undertrained(model: LinkageModel): boolean {
  return model.training.sessions.some((s) => !s.converged || s.sampledPairs < 200)
}

export function runsService({ db, access, audit }: ModuleDeps) {
  async function registerRecords(ctx: RequestContext): Promise<Table> {
    return tableFromObjects(await loadVisibleEntryRecords(db, ctx.user!), [...ENTRY_COLUMNS])
  }

  /**
   * Pairs of Lantern people already settled: recorded as not the same person, or rejected in an
   * earlier run over Lantern's people. A new run leaves them out of its queue.
   */
  async function settledPairs(): Promise<Set<string>> {
    const [notSame, rejected] = await Promise.all([
      db.selectFrom('linkage_not_same').select(['person_a as a', 'person_b as b']).execute(),
      db
        .selectFrom('linkage_run_pairs as p')
        .innerJoin('linkage_runs as r', 'r.id', 'p.run_id')
        .select(['p.person_left as a', 'p.person_right as b'])
        .where('r.kind', '=', 'people')
        .where('p.decision', '=', 'rejected')
        .execute(),
    ])
    const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`)
    return new Set([...notSame, ...rejected].filter((p) => p.a && p.b).map((p) => key(p.a!, p.b!)))
  }

  interface RunSpec {
    name: string
    kind: RunKind
    leftName: string
    rightName: string | null
    idColumn: string
    mapping: Record<string, unknown>
    left: Table
    right: Table | null
    reviewFrom: number
    matchFrom: number
    /** Which sides' ids are Lantern people. */
    people: 'none' | 'right' | 'both'
    /** Pairs to leave out ("a|b", ids in order). */
    exclude?: Set<string>
    /** The upload the run was made from, removed with the run's creation. */
    uploadId?: string
  }

  /** Matches, and stores the run with its pairs in the review and match bands (nothing on any error). */
  async function execute(ctx: RequestContext, spec: RunSpec): Promise<Result<string>> {
    const { left, right } = spec
    const started = performance.now()
    const go = (model?: LinkageModel) => (right ? linkTables(left, right, { idColumn: 'id', model }) : deduplicate(left, { idColumn: 'id', model }))
    let result
    let mSource: 'trained' | 'experience' = 'trained'
    try {
      result = go()
      if (undertrained(result.model)) {
        result = go(withKnownM(result.model, Math.max(left.length, right?.length ?? 0)))
        mSource = 'experience'
      }
    } catch (err) {
      if (err instanceof LinkageInputError) return { ok: false, errors: formErrors([{ field: 'left-id', message: err.message }]) }
      throw err
    }
    const seconds = (performance.now() - started) / 1000
    const record = (table: Table, id: string, index: Map<string, number>) => {
      const r = index.get(id)!
      return Object.fromEntries(Object.entries(table.columns).map(([k, v]) => [k, v[r] ?? '']))
    }
    const indexOf = (table: Table) => new Map(table.columns.id.map((v, r) => [String(v).trim(), r]))
    const leftIndex = indexOf(left)
    const rightIndex = right ? indexOf(right) : leftIndex
    const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`)
    const found = [...result.matches(spec.reviewFrom)]
    const pairs = spec.exclude ? found.filter((p) => !spec.exclude!.has(key(p.idLeft, p.idRight))) : found
    const user = ctx.user!
    const runId = await db.transaction().execute(async (trx) => {
      const run = await trx
        .insertInto('linkage_runs')
        .values({
          name: spec.name,
          kind: spec.kind,
          left_name: spec.leftName,
          right_name: spec.rightName,
          id_column: spec.idColumn,
          mapping: JSON.stringify({ ...spec.mapping, mSource }),
          settings: JSON.stringify(result.model.settings),
          model: JSON.stringify(result.model),
          review_from: spec.reviewFrom,
          match_from: spec.matchFrom,
          left_rows: left.length,
          right_rows: right?.length ?? null,
          candidate_pairs: result.blocking.candidatePairs,
          blocking: JSON.stringify(result.blocking),
          match_pairs: pairs.filter((p) => p.probability >= spec.matchFrom).length,
          review_pairs: pairs.filter((p) => p.probability < spec.matchFrom).length,
          seconds,
          created_by: user.id,
          agency_id: user.agencyId,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const rows = pairs.map((p) => ({
        run_id: run.id,
        id_left: p.idLeft,
        id_right: p.idRight,
        probability: p.probability,
        match_weight: p.matchWeight,
        band: p.probability >= spec.matchFrom ? ('match' as const) : ('review' as const),
        record_left: JSON.stringify(record(left, p.idLeft, leftIndex)),
        record_right: JSON.stringify(record(right ?? left, p.idRight, rightIndex)),
        explanation: JSON.stringify(result.explain(p.idLeft, p.idRight)),
        person_left: spec.people === 'both' ? p.idLeft : null,
        person_right: spec.people === 'none' ? null : p.idRight,
      }))
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto('linkage_run_pairs').values(rows.slice(i, i + 500)).execute()
      if (spec.uploadId) await trx.deleteFrom('linkage_uploads').where('id', '=', spec.uploadId).execute()
      await audit.record(ctx, { action: 'create', recordType: 'linkage_run', recordId: run.id, details: { kind: spec.kind, leftRows: left.length, rightRows: right?.length ?? null, pairs: rows.length, settledLeftOut: found.length - pairs.length } }, trx)
      return run.id
    })
    return { ok: true, value: runId }
  }

  /** Decides pairs of one run in one transaction, each audited: all of them or, if one is gone, none. */
  async function decideAll(ctx: RequestContext, runId: string, decisions: { pairId: string; decision: PairDecision }[]) {
    await db.transaction().execute(async (trx) => {
      for (const { pairId, decision } of decisions) {
        if (!(await decidePair(trx, ctx.user!, runId, pairId, decision))) throw new NotFoundError()
        await audit.record(ctx, { action: 'update', recordType: 'linkage_pair', recordId: pairId, details: { runId, decision, ...(decisions.length > 1 && { cluster: decisions.length }) } }, trx)
      }
    })
  }

  /** The cluster of undecided pairs that holds `pairId` (null once none of it waits any more). */
  async function clusterOf(ctx: RequestContext, run: { id: string; right_name: string | null }, pairId: string) {
    const pairs = await undecidedPairs(db, ctx.user!, run.id)
    return pairClusters(pairs, run.right_name === null).find((c) => c.pairs.some((p) => p.id === pairId)) ?? null
  }

  async function visibleRun(ctx: RequestContext, runId: string) {
    const run = await runOfOwnAgencyById(db, ctx.user!, runId)
    if (!run) throw new NotFoundError()
    return run
  }

  return {
    async upload(ctx: RequestContext, input: { name: string; kind: RunKind; left?: { name: string; text: string }; right?: { name: string; text: string } }): Promise<Result<string>> {
      await access.authorise(ctx, 'linkage:run')
      const issues: { field: string; message: string }[] = []
      if (!input.left) issues.push({ field: 'left', message: 'Choose a CSV file to upload' })
      if (input.kind === 'link' && !input.right) issues.push({ field: 'right', message: 'Choose the second CSV file to match against' })
      for (const [field, file] of [['left', input.left], ['right', input.kind === 'link' ? input.right : undefined]] as const) {
        if (!file) continue
        try {
          readExtract(file.text, file.name)
        } catch (err) {
          if (err instanceof LinkageInputError) issues.push({ field, message: err.message })
          else throw err
        }
      }
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const row = await db
        .insertInto('linkage_uploads')
        .values({ user_id: ctx.user!.id, name: input.name, kind: input.kind, left_name: input.left!.name, left_csv: input.left!.text, right_name: input.kind === 'link' ? input.right!.name : null, right_csv: input.kind === 'link' ? input.right!.text : null })
        .returning('id')
        .executeTakeFirstOrThrow()
      return { ok: true, value: row.id }
    },

    async upload_(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'linkage:run')
      const upload = await db.selectFrom('linkage_uploads').selectAll().where('id', '=', id).where('user_id', '=', ctx.user!.id).executeTakeFirst()
      if (!upload) throw new NotFoundError()
      const left = readExtract(upload.left_csv, upload.left_name)
      const right = upload.right_csv ? readExtract(upload.right_csv, upload.right_name!) : null
      return { upload, leftHeaders: Object.keys(left.columns), rightHeaders: right ? Object.keys(right.columns) : null, leftRows: left.length, rightRows: right?.length ?? null }
    },

    /** Runs the matching on an upload with the chosen mapping and stores the run; nothing is stored on any error. */
    async run(ctx: RequestContext, uploadId: string, input: { left: Partial<Record<Role, string>>; right: Partial<Record<Role, string>> | null; reviewFrom: number; matchFrom: number }): Promise<Result<string>> {
      await access.authorise(ctx, 'linkage:run')
      const upload = await db.selectFrom('linkage_uploads').selectAll().where('id', '=', uploadId).where('user_id', '=', ctx.user!.id).executeTakeFirst()
      if (!upload) throw new NotFoundError()
      if (input.reviewFrom >= input.matchFrom) return { ok: false, errors: formErrors([{ field: 'reviewFrom', message: 'The lowest likelihood to review must be below the likelihood for a match' }]) }
      let left: Table, right: Table | null
      try {
        left = mapExtract(readExtract(upload.left_csv, upload.left_name), input.left, upload.left_name)
        right = upload.kind === 'link' ? mapExtract(readExtract(upload.right_csv!, upload.right_name!), input.right ?? {}, upload.right_name!) : upload.kind === 'register' ? await registerRecords(ctx) : null
      } catch (err) {
        if (err instanceof LinkageInputError) return { ok: false, errors: formErrors([{ field: 'left-id', message: err.message }]) }
        throw err
      }
      if (right) {
        const common = Object.keys(left.columns).filter((c) => c in right!.columns)
        if (common.length < 3) return { ok: false, errors: formErrors([{ field: 'left-id', message: 'Map at least two of the same fields in both files' }]) }
      }
      return execute(ctx, {
        name: upload.name,
        kind: upload.kind,
        leftName: upload.left_name,
        rightName: upload.kind === 'register' ? 'Lantern’s people' : upload.right_name,
        idColumn: input.left.id!,
        mapping: { left: input.left, right: input.right },
        left,
        right,
        reviewFrom: input.reviewFrom,
        matchFrom: input.matchFrom,
        people: upload.kind === 'register' ? 'right' : 'none',
        uploadId,
      })
    },

    /**
     * Deduplicates Lantern's own people, those the analyst may see (merged records left out), with
     * no upload: the pairs name the two people, so the review queue leads on to a comparison and
     * merge. Pairs already recorded as not the same person, or rejected in an earlier such run, are
     * left out.
     */
    async peopleRun(ctx: RequestContext, input: { name: string; reviewFrom: number; matchFrom: number }): Promise<Result<string>> {
      await access.authorise(ctx, 'linkage:run')
      if (input.reviewFrom >= input.matchFrom) return { ok: false, errors: formErrors([{ field: 'reviewFrom', message: 'The lowest likelihood to review must be below the likelihood for a match' }]) }
      const people = await registerRecords(ctx)
      if (people.length < 2) return { ok: false, errors: formErrors([{ field: 'name', message: 'You may see fewer than two people in Lantern, so there is nothing to compare' }]) }
      return execute(ctx, {
        name: input.name,
        kind: 'people',
        leftName: 'Lantern’s people',
        rightName: null,
        idColumn: 'id',
        mapping: { left: Object.fromEntries(ENTRY_COLUMNS.map((c) => [c, c])), right: null },
        left: people,
        right: null,
        reviewFrom: input.reviewFrom,
        matchFrom: input.matchFrom,
        people: 'both',
        exclude: await settledPairs(),
      })
    },

    async list(ctx: RequestContext) {
      await access.authorise(ctx, 'linkage:run')
      return db
        .selectFrom('linkage_runs as r')
        .innerJoin('users as u', 'u.id', 'r.created_by')
        .select(['r.id', 'r.name', 'r.kind', 'r.left_name', 'r.right_name', 'r.left_rows', 'r.right_rows', 'r.candidate_pairs', 'r.match_pairs', 'r.review_pairs', 'r.created_at', 'u.name as created_by_name'])
        .select((eb) => eb.selectFrom('linkage_run_pairs as q').select((e) => e.fn.countAll<number>().as('n')).whereRef('q.run_id', '=', 'r.id').where('q.band', '=', 'review').where('q.decision', 'is', null).as('waiting'))
        .where(runOfOwnAgency(ctx.user!))
        .orderBy('r.created_at', 'desc')
        .limit(100)
        .execute()
    },

    async view(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'linkage:run')
      const run = await db.selectFrom('linkage_runs as r').innerJoin('users as u', 'u.id', 'r.created_by').selectAll('r').select('u.name as created_by_name').where('r.id', '=', id).where(runOfOwnAgency(ctx.user!)).executeTakeFirst()
      if (!run) throw new NotFoundError()
      const pairs = await db
        .selectFrom('linkage_run_pairs as p')
        .leftJoin('users as u', 'u.id', 'p.decided_by')
        .select(['p.id', 'p.id_left', 'p.id_right', 'p.probability', 'p.band', 'p.decision', 'p.decided_at', 'u.name as decided_by_name', 'p.record_left', 'p.record_right', 'p.person_left', 'p.person_right'])
        .where('p.run_id', '=', id)
        .where(pairVisible(ctx.user!))
        .orderBy('p.band', 'desc')
        .orderBy('p.probability', 'desc')
        .limit(2000)
        .execute()
      await audit.record(ctx, { action: 'view', recordType: 'linkage_run', recordId: id })
      const oneList = run.right_name === null
      return {
        run,
        clusters: pairClusters(
          pairs.filter((p) => !p.decision),
          oneList,
        ).filter((c) => c.pairs.some((p) => p.band === 'review')),
        queue: pairs.filter((p) => p.band === 'review' && !p.decision),
        decided: pairs.filter((p) => p.decision),
        accuracy: reviewedAccuracy(pairs),
        matches: pairs.filter((p) => p.band === 'match' && !p.decision),
        canMerge: ctx.user!.permissions.has('linkage:merge'),
      }
    },

    async pair(ctx: RequestContext, runId: string, pairId: string) {
      await access.authorise(ctx, 'linkage:run')
      const run = await visibleRun(ctx, runId)
      const pair = await db.selectFrom('linkage_run_pairs as p').selectAll('p').where('p.id', '=', pairId).where('p.run_id', '=', runId).where(pairVisible(ctx.user!)).executeTakeFirst()
      if (!pair) throw new NotFoundError()
      await audit.record(ctx, { action: 'view', recordType: 'linkage_pair', recordId: pairId, details: { runId } })
      return { run, pair, canMerge: ctx.user!.permissions.has('linkage:merge') }
    },

    /** The records that may be one person, and every pair between them still waiting, to decide together. */
    async cluster(ctx: RequestContext, runId: string, pairId: string) {
      await access.authorise(ctx, 'linkage:run')
      const run = await visibleRun(ctx, runId)
      const cluster = await clusterOf(ctx, run, pairId)
      if (!cluster) throw new NotFoundError()
      await audit.record(ctx, { action: 'view', recordType: 'linkage_pair', recordId: cluster.key, details: { runId, cluster: cluster.pairs.map((p) => p.id) } })
      return { run, cluster }
    },

    /**
     * Decides a cluster at once: one decision for each of its pairs, refused (answers kept) unless
     * every pair waiting in it has one, so that no pair of the cluster is left behind unseen.
     */
    async decideCluster(ctx: RequestContext, runId: string, pairId: string, decisions: Record<string, PairDecision | undefined>): Promise<Result<number>> {
      await access.authorise(ctx, 'linkage:run')
      const run = await visibleRun(ctx, runId)
      const cluster = await clusterOf(ctx, run, pairId)
      if (!cluster) throw new NotFoundError()
      const missing = cluster.pairs.filter((p) => !decisions[p.id])
      if (missing.length) return { ok: false, errors: formErrors(missing.map((p) => ({ field: `decision-${p.id}`, message: `Select whether ${recordName(p.record_left)} and ${recordName(p.record_right)} are the same person` }))) }
      await decideAll(ctx, runId, cluster.pairs.map((p) => ({ pairId: p.id, decision: decisions[p.id]! })))
      return { ok: true, value: cluster.pairs.length }
    },

    /** Accept or reject a pair; returns the next pair waiting in the queue, if any. */
    async decide(ctx: RequestContext, runId: string, pairId: string, decision: PairDecision): Promise<string | null> {
      await access.authorise(ctx, 'linkage:run')
      await visibleRun(ctx, runId)
      await decideAll(ctx, runId, [{ pairId, decision }])
      const next = await db.selectFrom('linkage_run_pairs as p').select('p.id').where('p.run_id', '=', runId).where('p.band', '=', 'review').where('p.decision', 'is', null).where(pairVisible(ctx.user!)).orderBy('p.probability', 'desc').executeTakeFirst()
      return next?.id ?? null
    },
  }
}
