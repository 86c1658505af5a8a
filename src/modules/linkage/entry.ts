import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import { runAsOwner } from '../../db/scope.ts'
import type { ModuleDeps } from '../types.ts'
import type { CurrentUser, RequestContext } from '../../kernel/context.ts'
import { deduplicate, defaultSettings, MatchIndex, parseModel, tableFromObjects, type LinkageModel, type MatchCandidate, type QueryRecord } from '../../analytics/linkage/index.ts'
import { visibleTo } from '../people/index.ts'
import { currentAge, displayName, personRef } from '../people/index.ts'

/** The columns Lantern's people are matched on; names the engine's defaults recognise. */
export const ENTRY_COLUMNS = ['id', 'given_name', 'surname', 'date_of_birth', 'sex', 'postcode', 'nhs_number', 'police_nominal', 'upn'] as const

/**
 * Identifiers an agency gives one person only: two records holding different ones are, almost
 * always, two people, so any difference counts against a match (no "one digit out" level: a
 * police force's nominal numbers run in sequence, and a mistyped NHS number fails its check digit).
 */
export const STRONG_IDENTIFIERS = ['nhs_number', 'police_nominal', 'upn'] as const
export type EntryRecord = Record<(typeof ENTRY_COLUMNS)[number], string | null>

/** Below this a candidate is not worth a practitioner's attention on the entry form. */
export const ENTRY_THRESHOLD = 0.3

/** An instance's index and where it stands against the database. */
export interface EntryIndex {
  index: MatchIndex
  /** People in the index. */
  size: number
  /** Milliseconds the last full build took. */
  builtMs: number
  /** Full builds so far (the first, and any after a long pause or a flood of changes). */
  builds: number
  /** Checks that found changed people and updated the index in place, and how many people they touched. */
  updates: number
  updatedPeople: number
  /** The database snapshot the index reflects (every change committed before it is in). */
  snapshot: string
  /** Database time of that snapshot. */
  syncedAt: Date
}

/**
 * An instance that has not looked for longer than this rebuilds instead of reading the changes, as
 * they may have been pruned (after PRUNE_AFTER).
 */
const STALE_AFTER_MS = 12 * 3600_000
const PRUNE_AFTER = '1 day'
/** More changed people than this at once (an import, a bulk merge) and a rebuild is quicker. */
const MAX_IN_PLACE = (size: number) => Math.max(1000, Math.floor(size / 10))

interface Slot {
  current?: EntryIndex
  /** The last sync started, and one not yet started that later callers share. */
  tail?: Promise<EntryIndex>
  next?: Promise<EntryIndex>
  prunedAt: number
}

/** Per process, per database. */
const indexes = new WeakMap<Db, Slot>()

async function snapshotNow(db: Db): Promise<{ snapshot: string; now: Date }> {
  const { rows } = await sql<{ snapshot: string; now: Date }>`select pg_current_snapshot()::text as snapshot, now() as now`.execute(db)
  return rows[0]
}

/**
 * The people changed since `snapshot` (written by transactions it did not see, committed now) and
 * the current snapshot, read together in one statement so that nothing falls between them.
 */
async function changesSince(db: Db, snapshot: string): Promise<{ snapshot: string; now: Date; changed: string[] }> {
  const { rows } = await sql<{ snapshot: string; now: Date; changed: string[] | string }>`
    select pg_current_snapshot()::text as snapshot, now() as now,
      (select coalesce(json_agg(distinct c.person_id), '[]'::json) from linkage_entry_changes c
        where c.txid >= pg_snapshot_xmin(${snapshot}::pg_snapshot) and not pg_visible_in_snapshot(c.txid, ${snapshot}::pg_snapshot)) as changed`.execute(db)
  const row = rows[0]
  return { snapshot: row.snapshot, now: row.now, changed: typeof row.changed === 'string' ? (JSON.parse(row.changed) as string[]) : row.changed }
}

const ENTRY_RECORD_SQL = sql`
    select p.id::text as id, p.given_name, p.family_name as surname, p.date_of_birth::text as date_of_birth,
      case when p.gender in ('female', 'male') then p.gender else null end as sex,
      (select a.postcode from person_addresses a where a.person_id = p.id and a.postcode is not null order by a.from_date desc nulls last, a.created_at desc limit 1) as postcode,
      (select i.value from person_identifiers i where i.person_id = p.id and i.scheme = 'nhs_number' order by i.created_at limit 1) as nhs_number,
      (select i.value from person_identifiers i where i.person_id = p.id and i.scheme = 'police_nominal' order by i.created_at limit 1) as police_nominal,
      (select i.value from person_identifiers i where i.person_id = p.id and i.scheme = 'upn' order by i.created_at limit 1) as upn
    from people p`

/** Every person as the matcher sees them (or only these): names, date of birth, sex, latest postcode, strong identifiers. */
export async function loadEntryRecords(db: Db, ids?: readonly string[]): Promise<EntryRecord[]> {
  if (!ids) return (await sql<EntryRecord>`${ENTRY_RECORD_SQL}`.execute(db)).rows
  const out: EntryRecord[] = []
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500)
    out.push(...(await sql<EntryRecord>`${ENTRY_RECORD_SQL} where p.id in (${sql.join(chunk)})`.execute(db)).rows)
  }
  return out
}

/** v2: police nominal and pupil numbers, strong identifiers compared exactly, u never below what the register can show. */
const MODEL_ID = 'people-entry-v2'

/** The engine's defaults for these columns, with strong identifiers compared as "the same or not". */
function entrySettings() {
  const defaults = defaultSettings([...ENTRY_COLUMNS], 'id')
  const strong = new Set<string>(STRONG_IDENTIFIERS)
  return {
    seed: 2026,
    comparisons: defaults.comparisons.map((c) => (strong.has(c.column) ? { column: c.column, comparison: 'exact', kind: 'identifier' as const } : c)),
    // Each name alone, by how it sounds: a search by name ("Kyle Mash") has nothing else to block on.
    blockingRules: [...defaults.blockingRules, [{ column: 'given_name', transform: 'metaphone' as const }], [{ column: 'surname', transform: 'metaphone' as const }]],
    trainingRules: defaults.trainingRules,
  }
}

/**
 * The model: trained once without labels on the people table (the engine's default settings for
 * these columns) and kept in the database, so every instance scores with the same weights.
 */
async function entryModel(db: Db, records: EntryRecord[]): Promise<LinkageModel> {
  const stored = await db.selectFrom('linkage_entry_model').select('model').where('id', '=', MODEL_ID).executeTakeFirst()
  if (stored) return parseModel(stored.model)
  const run = deduplicate(tableFromObjects(records, [...ENTRY_COLUMNS]), { idColumn: 'id', settings: entrySettings() })
  await db
    .insertInto('linkage_entry_model')
    .values({ id: MODEL_ID, model: JSON.stringify(withKnownM(run.model, records.length, ALREADY_RECORDED)), trained_on: records.length })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  const winner = await db.selectFrom('linkage_entry_model').select('model').where('id', '=', MODEL_ID).executeTakeFirstOrThrow()
  return parseModel(winner.model)
}

/**
 * How often two records of the same person agree at each level, from experience of agencies' data
 * (a name spelt the same most of the time, a transposed date now and then). EM needs thousands of
 * duplicate pairs to learn these, which a partnership's register does not hold (the demo has one),
 * so the entry check takes m from here and u (chance agreement) from the register itself.
 */
const KNOWN_M: Record<string, number> = {
  exact: 0.85,
  exactOtherColumn: 0.02,
  jaroWinkler: 0.05,
  doubleMetaphone: 0.02,
  damerauLevenshtein: 0.03,
  dateTransposed: 0.03,
  sameYear: 0.04,
  postcodeSector: 0.08,
  postcodeDistrict: 0.05,
  postcodeArea: 0.03,
  else: 0.02,
}

/**
 * How often a person about to be recorded is already recorded: the prior is this spread over the
 * register. Taking it as certain (1 / size) made every near match in a small register look sure.
 */
const ALREADY_RECORDED = 0.1

/** A different NHS, police nominal or pupil number on two records of one person: a rare slip. */
const STRONG_IDENTIFIER_DIFFERS_M = 0.005

/**
 * `share`: how likely a record is to have a match at all among the `size` others: for two extracts
 * of one population, every record may (1); for a person about to be recorded, ALREADY_RECORDED.
 */
export function withKnownM(model: LinkageModel, size: number, share = 1): LinkageModel {
  const strong = new Set<string>(STRONG_IDENTIFIERS)
  const comparisons = model.comparisons.map((trained, c) => {
    const spec = model.settings.comparisons[c]
    const identifier = spec.kind === 'identifier' || strong.has(spec.column)
    const raw = spec.levels.map((level, k) =>
      k === 0 ? 0 : identifier && level.type === 'exact' ? 0.95 : strong.has(spec.column) && level.type === 'else' ? STRONG_IDENTIFIER_DIFFERS_M : (KNOWN_M[level.type] ?? 0.02),
    )
    const total = raw.reduce((a, b) => a + b, 0)
    const m = raw.map((x) => x / total)
    // A near agreement is never stronger evidence than an exact one: where the register is too
    // small to show how often a level happens by chance, its u is raised until it weighs no more.
    const exact = spec.levels[1]?.type === 'exact' ? trained.levels[1] : null
    const ceiling = exact?.u ? m[1] / exact.u : Infinity
    const levels = trained.levels.map((level, k) => {
      if (k === 0) return { ...level, m: null }
      const u = k > 1 && level.u !== null && spec.levels[k].type !== 'else' ? Math.max(level.u, m[k] / ceiling) : level.u
      return { ...level, m: m[k], u }
    })
    return { ...trained, levels }
  })
  return { ...model, comparisons, prior: share / Math.max(size, 2) }
}

/** The people a user may see and that are not merged into another record, as the matcher sees them. */
export async function loadVisibleEntryRecords(db: Db, user: Pick<CurrentUser, 'id' | 'agencyId'>): Promise<EntryRecord[]> {
  return (await sql<EntryRecord>`${ENTRY_RECORD_SQL} where p.merged_into is null and ${visibleTo(user, 'p')} order by p.id`.execute(db)).rows
}

async function build(db: Db, previous?: EntryIndex): Promise<EntryIndex> {
  const started = performance.now()
  // The snapshot first: whatever commits after it is read again at the next check.
  const { snapshot, now } = await snapshotNow(db)
  const records = await loadEntryRecords(db)
  const model = await entryModel(db, records)
  const index = MatchIndex.build(model, tableFromObjects(records, [...ENTRY_COLUMNS]))
  return {
    index,
    size: index.size,
    builtMs: performance.now() - started,
    builds: (previous?.builds ?? 0) + 1,
    updates: previous?.updates ?? 0,
    updatedPeople: previous?.updatedPeople ?? 0,
    snapshot,
    syncedAt: now,
  }
}

/** Brings the index up to date: the people changed since its snapshot, re-read and put in place. */
async function sync(db: Db, slot: Slot): Promise<EntryIndex> {
  const current = slot.current
  if (!current) return (slot.current = await build(db))
  const { snapshot, now, changed } = await changesSince(db, current.snapshot)
  if (now.getTime() - current.syncedAt.getTime() > STALE_AFTER_MS || changed.length > MAX_IN_PLACE(current.size)) {
    return (slot.current = await build(db, current))
  }
  if (changed.length) {
    const fresh = new Map((await loadEntryRecords(db, changed)).map((r) => [r.id, r]))
    for (const id of changed) {
      const record = fresh.get(id)
      if (record) current.index.upsert(record)
      else current.index.remove(id)
    }
    current.updates++
    current.updatedPeople += changed.length
    current.size = current.index.size
  }
  current.snapshot = snapshot
  current.syncedAt = now
  if (Date.now() - slot.prunedAt > 3600_000) {
    slot.prunedAt = Date.now()
    await db.deleteFrom('linkage_entry_changes').where('at', '<', sql<Date>`now() - ${PRUNE_AFTER}::interval`).execute()
  }
  return current
}

/**
 * The index, up to date with every change committed before the call: one small query when nothing
 * changed; the changed people re-read and updated in place when something did (another instance's
 * changes included, since the changes are read from the database). Syncs run one at a time per
 * process; callers that arrive while one waits to start share it.
 */
export function entryIndex(db: Db): Promise<EntryIndex> {
  let slot = indexes.get(db)
  if (!slot) indexes.set(db, (slot = { prunedAt: 0 }))
  const s = slot
  if (s.next) return s.next
  const previous = s.tail
  const started = { run: undefined as Promise<EntryIndex> | undefined }
  const run = (async () => {
    await previous?.catch(() => undefined)
    // From here on the sync's query is under way: later callers need a sync of their own.
    if (s.next === started.run) s.next = undefined
    // The index is the process's, shared by every user: it is read whole, as the owner, whoever's
    // request happens to bring it up to date (under their row security it held only what they see).
    // Each answer is filtered to the asker's need to know before it is shown.
    return runAsOwner('the match index holds every person; answers are filtered by need-to-know', () => sync(db, s))
  })()
  started.run = run
  s.next = run
  s.tail = run
  return run
}

export interface EntryQuery {
  givenName: string
  familyName: string
  dateOfBirth: string | null
  gender: string
  postcode: string | null
  nhsNumber: string | null
  policeNominal?: string | null
}

/** A name as typed, as a query: the last word the surname, the rest the given names; null for one word. */
export function nameQuery(text: string): QueryRecord | null {
  const words = text.trim().split(/\s+/).filter(Boolean)
  if (words.length < 2) return null
  return { id: null, given_name: words.slice(0, -1).join(' '), surname: words[words.length - 1], date_of_birth: null, sex: null, postcode: null, nhs_number: null, police_nominal: null, upn: null }
}

export function queryRecord(q: EntryQuery): QueryRecord {
  return {
    id: null,
    given_name: q.givenName,
    surname: q.familyName,
    date_of_birth: q.dateOfBirth,
    sex: q.gender === 'female' || q.gender === 'male' ? q.gender : null,
    postcode: q.postcode,
    nhs_number: q.nhsNumber?.replace(/\s/g, '') ?? null,
    police_nominal: q.policeNominal ?? null,
    upn: null,
  }
}

export interface EntryMatch {
  id: string
  name: string
  dateOfBirth: string | null
  age: number | null
  gender: string
  ownerAgency: string
  homeArea: string | null
  currentArea: string | null
  rag: string | null
  probability: number
  reasons: { field: string; label: string; weight: number }[]
}

export interface PersonMatch extends EntryMatch {
  /** Recorded as not the same person: a merge would be refused. */
  notSame: boolean
  /** A merge of the two waiting for a manager. */
  pendingMerge: string | null
}

/** Below this a candidate is not shown on a person's "Check for duplicates" page (a deliberate search, so lower than on entry). */
export const PERSON_THRESHOLD = 0.1

/**
 * "Is this one of these?": existing people, among those the user may see (need-to-know), who may
 * be the person about to be recorded. Audited as a search.
 */
export function entryService({ db, access, audit, clock }: ModuleDeps) {
  /** The candidates the user may see (and not merged away), most likely first, with what agrees. */
  async function describe(ctx: RequestContext, index: MatchIndex, record: QueryRecord, found: MatchCandidate[], limit: number): Promise<EntryMatch[]> {
    if (!found.length) return []
    const rows = await db
      .selectFrom('people as p')
      .innerJoin('agencies as a', 'a.id', 'p.owner_agency_id')
      .leftJoin('areas as h', 'h.id', 'p.home_area_id')
      .leftJoin('areas as c', 'c.id', 'p.current_area_id')
      .select(['p.id', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.date_of_birth', 'p.approximate_age', 'p.gender', 'p.current_rag', 'a.name as owner', 'h.name as home', 'c.name as current'])
      .where('p.id', 'in', found.map((f) => f.id))
      .where('p.merged_into', 'is', null)
      .where(visibleTo(ctx.user!, 'p'))
      .execute()
    const byId = new Map(rows.map((r) => [r.id, r]))
    return found
      .filter((f) => byId.has(f.id))
      .slice(0, limit)
      .map((f) => {
        const p = byId.get(f.id)!
        const explanation = index.explain(record, f.id)
        return {
          id: p.id,
          name: displayName(p),
          dateOfBirth: p.date_of_birth,
          age: currentAge(p, clock.today()),
          gender: p.gender,
          ownerAgency: p.owner,
          homeArea: p.home,
          currentArea: p.current,
          rag: p.current_rag,
          probability: f.probability,
          // What counts for a match; fields that disagree or are missing are in the comparison's waterfall.
          reasons: explanation.rows.filter((r) => r.level > 0 && r.log2Weight > 0).map((r) => ({ field: r.column, label: r.label, weight: r.log2Weight })),
        }
      })
  }

  return {
    async check(ctx: RequestContext, q: EntryQuery, options: { limit?: number } = {}): Promise<EntryMatch[]> {
      await access.authorise(ctx, 'person:create')
      const { index } = await entryIndex(db)
      const record = queryRecord(q)
      const found = index.find(record, { threshold: ENTRY_THRESHOLD, limit: 50 })
      const matches = await describe(ctx, index, record, found, options.limit ?? 5)
      await audit.record(ctx, { action: 'search', recordType: 'person', details: { purpose: 'duplicate-check', shown: matches.map((m) => m.id) } })
      return matches
    },

    /**
     * People the user may see whose names are like the text typed ("Kyle Mash" finds Kyle Marsh),
     * by the duplicate check's own name comparisons: the names weighed as the check weighs them,
     * those that agree more than chance, the closest first. Audited as a search.
     */
    async byName(ctx: RequestContext, text: string, permission: 'linkage:merge' | 'register:view', options: { limit?: number } = {}): Promise<EntryMatch[]> {
      await access.authorise(ctx, permission)
      const record = nameQuery(text)
      if (!record) return []
      const { index } = await entryIndex(db)
      const found = index.find(record, { threshold: 0, limit: 200 }).filter((f) => f.matchWeight > 0)
      const matches = await describe(ctx, index, record, found, options.limit ?? 10)
      await audit.record(ctx, { action: 'search', recordType: 'person', details: { purpose: 'name-search', via: permission, shown: matches.map((m) => m.id) } })
      return matches
    },

    /**
     * Records that may be the same person as one already recorded, among those the user may see,
     * for "Check for duplicates" on the person's page: the user needs the merge permission and a
     * need to know about the person. Audited as a search about the person.
     */
    async forPerson(ctx: RequestContext, personId: string, options: { limit?: number } = {}): Promise<PersonMatch[]> {
      const person = await db.selectFrom('people').select(['id', 'owner_agency_id', 'merged_into']).where('id', '=', personId).executeTakeFirst()
      if (!person) return access.refuseUnreadable(ctx, 'linkage:merge', 'person', personId)
      await access.authorise(ctx, 'linkage:merge', personRef(person))
      let matches: PersonMatch[] = []
      if (!person.merged_into) {
        const { index } = await entryIndex(db)
        const record = index.record(personId)
        if (record) {
          const found = index.find(record, { threshold: PERSON_THRESHOLD, limit: 100 })
          const described = await describe(ctx, index, record, found, options.limit ?? 20)
          const ids = described.map((m) => m.id)
          const [notSame, pending] = ids.length
            ? await Promise.all([
                db.selectFrom('linkage_not_same').select(['person_a', 'person_b']).where((eb) => eb.or([eb.and([eb('person_a', '=', personId), eb('person_b', 'in', ids)]), eb.and([eb('person_b', '=', personId), eb('person_a', 'in', ids)])])).execute(),
                db.selectFrom('linkage_merges').select(['id', 'survivor_id', 'merged_id']).where('status', '=', 'pending').where((eb) => eb.or([eb.and([eb('survivor_id', '=', personId), eb('merged_id', 'in', ids)]), eb.and([eb('merged_id', '=', personId), eb('survivor_id', 'in', ids)])])).execute(),
              ])
            : [[], []]
          const other = (a: string, b: string) => (a === personId ? b : a)
          const notSameIds = new Set(notSame.map((n) => other(n.person_a, n.person_b)))
          const pendingBy = new Map(pending.map((m) => [other(m.survivor_id, m.merged_id), m.id]))
          matches = described.map((m) => ({ ...m, notSame: notSameIds.has(m.id), pendingMerge: pendingBy.get(m.id) ?? null }))
        }
      }
      await audit.record(ctx, { action: 'search', recordType: 'person', recordId: personId, details: { purpose: 'duplicate-check', shown: matches.map((m) => m.id) } })
      return matches
    },
  }
}

export type EntryService = ReturnType<typeof entryService>
