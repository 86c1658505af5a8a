import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../web/context.ts'
import { deduplicate, MatchIndex, parseModel, tableFromObjects, type LinkageModel, type QueryRecord } from '../../analytics/linkage/index.ts'
import { visibleTo } from '../people/store.ts'
import { currentAge, displayName } from '../people/service.ts'

/** The columns Lantern's people are matched on; names the engine's defaults recognise. */
export const ENTRY_COLUMNS = ['id', 'given_name', 'surname', 'date_of_birth', 'sex', 'postcode', 'nhs_number'] as const
export type EntryRecord = Record<(typeof ENTRY_COLUMNS)[number], string | null>

/** Below this a candidate is not worth a practitioner's attention on the entry form. */
export const ENTRY_THRESHOLD = 0.3

interface Built {
  key: string
  index: MatchIndex
  size: number
  builtMs: number
}

/** Per process, per database: the index and what the database looked like when it was built. */
const indexes = new WeakMap<Db, { current?: Built; building?: Promise<Built> }>()

/**
 * A fingerprint of everything the index reads: it changes whenever a person is added, edited
 * (version and updated_at move), merged or unmerged, or an identifier or address is added. One
 * cheap aggregate query; two instances compare against the same database, so they never disagree
 * for longer than one check.
 */
async function fingerprint(db: Db): Promise<string> {
  const { rows } = await sql<{ k: string }>`
    select concat_ws('|', count(*), max(updated_at), sum(version), count(merged_into),
      (select count(*) from person_identifiers where scheme = 'nhs_number'),
      (select count(*) from person_addresses)) as k
    from people`.execute(db)
  return rows[0].k
}

/** Every person as the matcher sees them: names, date of birth, sex, latest postcode, NHS number. */
export async function loadEntryRecords(db: Db): Promise<EntryRecord[]> {
  const { rows } = await sql<EntryRecord>`
    select p.id::text as id, p.given_name, p.family_name as surname, p.date_of_birth::text as date_of_birth,
      case when p.gender in ('female', 'male') then p.gender else null end as sex,
      (select a.postcode from person_addresses a where a.person_id = p.id and a.postcode is not null order by a.from_date desc nulls last, a.created_at desc limit 1) as postcode,
      (select i.value from person_identifiers i where i.person_id = p.id and i.scheme = 'nhs_number' order by i.created_at limit 1) as nhs_number
    from people p`.execute(db)
  return rows
}

const MODEL_ID = 'people-entry-v1'

/**
 * The model: trained once without labels on the people table (the engine's default settings for
 * these columns) and kept in the database, so every instance scores with the same weights.
 */
async function entryModel(db: Db, records: EntryRecord[]): Promise<LinkageModel> {
  const stored = await db.selectFrom('linkage_entry_model').select('model').where('id', '=', MODEL_ID).executeTakeFirst()
  if (stored) return parseModel(stored.model)
  const run = deduplicate(tableFromObjects(records, [...ENTRY_COLUMNS]), { idColumn: 'id', settings: { seed: 2026 } })
  await db
    .insertInto('linkage_entry_model')
    .values({ id: MODEL_ID, model: JSON.stringify(withKnownM(run.model, records.length)), trained_on: records.length })
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

export function withKnownM(model: LinkageModel, size: number): LinkageModel {
  const comparisons = model.comparisons.map((trained, c) => {
    const spec = model.settings.comparisons[c]
    const raw = spec.levels.map((level, k) => (k === 0 ? 0 : level.type === 'exact' && spec.kind === 'identifier' ? 0.95 : (KNOWN_M[level.type] ?? 0.02)))
    const total = raw.reduce((a, b) => a + b, 0)
    return { ...trained, levels: trained.levels.map((level, k) => ({ ...level, m: k === 0 ? null : raw[k] / total })) }
  })
  // A new record is, at most, one of the people already recorded.
  return { ...model, comparisons, prior: 1 / Math.max(size, 2) }
}

async function build(db: Db, key: string): Promise<Built> {
  const started = performance.now()
  const records = await loadEntryRecords(db)
  const model = await entryModel(db, records)
  const index = MatchIndex.build(model, tableFromObjects(records, [...ENTRY_COLUMNS]))
  return { key, index, size: records.length, builtMs: performance.now() - started }
}

/** The current index, rebuilt when the database no longer matches it (one build at a time). */
export async function entryIndex(db: Db): Promise<Built> {
  let slot = indexes.get(db)
  if (!slot) indexes.set(db, (slot = {}))
  const key = await fingerprint(db)
  if (slot.current?.key === key) return slot.current
  const s = slot
  const building =
    s.building ??
    (s.building = build(db, key).finally(() => {
      s.building = undefined
    }))
  const built = await building
  s.current = built
  return built
}

export interface EntryQuery {
  givenName: string
  familyName: string
  dateOfBirth: string | null
  gender: string
  postcode: string | null
  nhsNumber: string | null
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

/**
 * "Is this one of these?": existing people, among those the user may see (need-to-know), who may
 * be the person about to be recorded. Audited as a search.
 */
export function entryService({ db, access, audit }: ModuleDeps) {
  return {
    async check(ctx: RequestContext, q: EntryQuery, options: { limit?: number } = {}): Promise<EntryMatch[]> {
      await access.authorise(ctx, 'person:create')
      const { index } = await entryIndex(db)
      const record = queryRecord(q)
      const found = index.find(record, { threshold: ENTRY_THRESHOLD, limit: 50 })
      let matches: EntryMatch[] = []
      if (found.length) {
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
        matches = found
          .filter((f) => byId.has(f.id))
          .slice(0, options.limit ?? 5)
          .map((f) => {
            const p = byId.get(f.id)!
            const explanation = index.explain(record, f.id)
            return {
              id: p.id,
              name: displayName(p),
              dateOfBirth: p.date_of_birth,
              age: currentAge(p),
              gender: p.gender,
              ownerAgency: p.owner,
              homeArea: p.home,
              currentArea: p.current,
              rag: p.current_rag,
              probability: f.probability,
              reasons: explanation.rows.filter((r) => r.level > 0).map((r) => ({ field: r.column, label: r.label, weight: r.log2Weight })),
            }
          })
      }
      await audit.record(ctx, { action: 'search', recordType: 'person', details: { purpose: 'duplicate-check', shown: matches.map((m) => m.id) } })
      return matches
    },
  }
}

export type EntryService = ReturnType<typeof entryService>
