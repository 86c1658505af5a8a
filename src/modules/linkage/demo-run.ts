import type { DemoSeed } from '../../demo/context.ts'
import { daysAgo } from '../../demo/context.ts'
import { linkTables, tableFromObjects, type Table } from '../../analytics/linkage/index.ts'
import { withKnownM } from './entry.ts'

const COLUMNS = ['id', 'given_name', 'surname', 'date_of_birth', 'sex', 'postcode']

/** Small, deterministic spelling changes of the kind agencies' systems make of the same child. */
function variant(name: string, pick: number): string {
  const swaps: [RegExp, string][] = [[/ay/, 'ai'], [/ie$/, 'y'], [/y/, 'i'], [/ll/, 'l'], [/ck/, 'k'], [/e$/, ''], [/ph/, 'f']]
  for (let k = 0; k < swaps.length; k++) {
    const [re, to] = swaps[(k + pick) % swaps.length]
    if (re.test(name)) return name.replace(re, to)
  }
  return name.length > 4 ? name.slice(0, -1) : name + 'e'
}

/**
 * A completed bulk run: the council's children's services extract against the police's, built
 * from the demo's children (the police hold some with another spelling, a day and month swapped,
 * or a different postcode), matched with the engine and stored like an analyst's upload, with the
 * uncertain pairs waiting in the review queue.
 */
export async function seedDemoRun(seed: DemoSeed) {
  const { db, refs, random } = seed
  const children = await db
    .selectFrom('people')
    .select(['id', 'given_name', 'family_name', 'date_of_birth', 'gender', 'owner_agency_id'])
    .where('kind', '=', 'child')
    .where('merged_into', 'is', null)
    .orderBy('created_at')
    .orderBy('given_name')
    .orderBy('family_name')
    .execute()
  const postcodes = ['PO9 1AB', 'PO9 4DQ', 'RG21 7LJ', 'SO18 5AB', 'PO1 2EB', 'GU14 6XR', 'SO50 9HE', 'PO12 1QP']
  const council: Record<string, string>[] = []
  const police: Record<string, string>[] = []
  children.forEach((c, i) => {
    const postcode = postcodes[i % postcodes.length]
    const sex = c.gender === 'female' ? 'F' : 'M'
    if (c.owner_agency_id === refs.agencies.county || i % 3 !== 0) {
      council.push({ id: `HCC-${String(40100 + i)}`, given_name: c.given_name, surname: c.family_name, date_of_birth: c.date_of_birth ?? '', sex, postcode })
    }
    if (i % 2 === 0 || c.owner_agency_id === refs.agencies.police) {
      const r = random.int(0, 9)
      let given = c.given_name
      let surname = c.family_name
      let dob = c.date_of_birth ?? ''
      let pc = postcode
      if (r <= 2) given = variant(given, r)
      else if (r === 3) surname = variant(surname, r)
      else if (r === 4 && dob) dob = `${dob.slice(0, 5)}${dob.slice(8, 10)}-${dob.slice(5, 7)}`.replace(/-(\d\d)-(\d\d)$/, (_, a: string, b: string) => (Number(a) <= 12 ? `-${a}-${b}` : `-${b}-${a}`))
      else if (r === 5) pc = postcodes[(i + 3) % postcodes.length]
      else if (r === 6) {
        given = variant(given, 1)
        pc = ''
      } else if (r === 7) dob = ''
      police.push({ id: `HIOW-${String(7100000 + i * 13)}`, given_name: given, surname, date_of_birth: dob, sex, postcode: pc })
    }
  })
  const left: Table = tableFromObjects(council, COLUMNS)
  const right: Table = tableFromObjects(police, COLUMNS)
  const trained = linkTables(left, right, { idColumn: 'id', settings: { seed: 7 } })
  const result = linkTables(left, right, { idColumn: 'id', model: withKnownM(trained.model, Math.max(left.length, right.length)) })
  const reviewFrom = 0.1
  const matchFrom = 0.9
  const pairs = [...result.matches(reviewFrom)]
  const byId = (rows: Record<string, string>[]) => new Map(rows.map((r) => [r.id, r]))
  const councilById = byId(council)
  const policeById = byId(police)
  const run = await db
    .insertInto('linkage_runs')
    .values({
      name: 'Council and police children, autumn extract',
      kind: 'link',
      left_name: 'hcc-childrens-services.csv',
      right_name: 'hiow-police-nominals.csv',
      id_column: 'id',
      mapping: JSON.stringify({ left: Object.fromEntries(COLUMNS.map((c) => [c, c])), right: Object.fromEntries(COLUMNS.map((c) => [c, c])), mSource: 'experience' }),
      settings: JSON.stringify(result.model.settings),
      model: JSON.stringify(result.model),
      review_from: reviewFrom,
      match_from: matchFrom,
      left_rows: left.length,
      right_rows: right.length,
      candidate_pairs: result.blocking.candidatePairs,
      blocking: JSON.stringify(result.blocking),
      match_pairs: pairs.filter((p) => p.probability >= matchFrom).length,
      review_pairs: pairs.filter((p) => p.probability < matchFrom).length,
      seconds: 0.4,
      created_by: refs.users.analyst,
      agency_id: refs.agencies.police,
      created_at: daysAgo(seed.today, 3),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (pairs.length) {
    await db
      .insertInto('linkage_run_pairs')
      .values(
        pairs.map((p) => ({
          run_id: run.id,
          id_left: p.idLeft,
          id_right: p.idRight,
          probability: p.probability,
          match_weight: p.matchWeight,
          band: p.probability >= matchFrom ? ('match' as const) : ('review' as const),
          record_left: JSON.stringify(councilById.get(p.idLeft)),
          record_right: JSON.stringify(policeById.get(p.idRight)),
          explanation: JSON.stringify(result.explain(p.idLeft, p.idRight)),
          person_left: null,
          person_right: null,
        })),
      )
      .execute()
  }
  refs.linkage.run = run.id
}
