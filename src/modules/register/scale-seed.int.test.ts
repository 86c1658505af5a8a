import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { Command } from 'commander'
import { testDatabaseKinds, type TestDatabase } from '../../../test/support/databases.ts'
import { usersStore } from '../../auth/users-store.ts'
import { register as registerFoundation } from '../../cli/commands/foundation.ts'
import { register as registerSeedScale } from '../../cli/commands/seed-scale.ts'
import { SCALES, seedScale } from './scale-seed.ts'
import { registerStore } from './store.ts'
import { registerFilterSchema } from './schemas.ts'

const TODAY = new Date('2026-11-23T12:00:00Z')
const spec = SCALES.test

describe.each(testDatabaseKinds())('the generated county on $name', (kind) => {
  let a: TestDatabase
  // A second database for the determinism check, on the server only: an embedded one costs many
  // seconds to create and the check is the same.
  let b: TestDatabase | undefined
  beforeAll(async () => {
    a = await kind.create()
    await seedScale(a.db, spec, { seed: 7, today: TODAY })
    if (kind.name === 'postgres') {
      b = await kind.create()
      await seedScale(b.db, spec, { seed: 7, today: TODAY })
    }
  })
  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()])
  })

  it('writes exactly the numbers asked for, over 15 areas', async () => {
    const n = async (q: string) => Number((await sql.raw<{ n: number }>(q).execute(a.db)).rows[0].n)
    expect(await n(`select count(*) as n from people where kind = 'child'`)).toBe(spec.children)
    expect(await n(`select count(*) as n from people where kind = 'adult'`)).toBe(spec.adults)
    expect(await n(`select count(*) as n from risk_assessments`)).toBe(spec.assessments)
    expect(await n(`select count(*) as n from missing_episodes`)).toBe(spec.missingEpisodes)
    expect(await n(`select count(distinct home_area_id) as n from people`)).toBe(15)
  })

  it('keeps every person’s rating in step with their latest assessment, and every episode consistent', async () => {
    const mismatched = await sql<{ n: number }>`
      select count(*) as n from people p
      join lateral (select final_level, review_due from risk_assessments r where r.person_id = p.id order by submitted_at desc limit 1) l on true
      where p.current_rag is distinct from l.final_level or p.next_review_due is distinct from l.review_due`.execute(a.db)
    expect(Number(mismatched.rows[0].n)).toBe(0)
    const early = await sql<{ n: number }>`select count(*) as n from person_events e join people p on p.id = e.person_id where e.at < p.created_at`.execute(a.db)
    expect(Number(early.rows[0].n)).toBe(0)
    const overlapping = await sql<{ n: number }>`
      select count(*) as n from missing_episodes m join missing_episodes n on n.person_id = m.person_id and n.id <> m.id
      where n.reported_missing_at > m.reported_missing_at and n.reported_missing_at < coalesce(m.found_at, 'infinity')`.execute(a.db)
    expect(Number(overlapping.rows[0].n)).toBe(0)
    const levels = await sql<{ current_rag: string | null; n: number }>`select current_rag, count(*) as n from people where kind = 'child' group by 1`.execute(a.db)
    const by = Object.fromEntries(levels.rows.map((r) => [r.current_rag ?? 'none', Number(r.n)]))
    // Most rated children are Green or Amber; Red is the smaller group.
    expect(by.red).toBeLessThan(by.green + by.amber)
  })

  it.runIf(kind.name === 'postgres')('is the same county for the same seed and day', async () => {
    const fingerprint = (db: TestDatabase['db']) =>
      sql<{ f: string }>`select md5(string_agg(id::text || given_name || family_name || date_of_birth::text || coalesce(current_rag, '-'), ',' order by id)) as f from people`.execute(db)
    expect((await fingerprint(a.db)).rows[0].f).toBe((await fingerprint(b!.db)).rows[0].f)
  })

  it('refuses to generate a second county into the same database', async () => {
    await expect(seedScale(a.db, spec, { seed: 8, today: TODAY })).rejects.toThrow(/already holds a generated county/)
  })

  it('gives each worker a caseload the register can list under need-to-know', async () => {
    const worker = await a.db.selectFrom('users').select('id').where('email', 'like', 'practitioner.%@scale.lantern.test').orderBy('email').limit(1).executeTakeFirstOrThrow()
    const user = (await usersStore(a.db).currentUser(worker.id))!
    const result = await registerStore(a.db).search(user, registerFilterSchema.parse({ kind: 'all' }), '2026-11-23', new Date('2026-11-23T12:00:00Z'))
    const visible = await sql<{ n: number }>`
      select count(*) as n from people p where p.owner_agency_id = ${user.agencyId}
        or exists (select 1 from record_shares s where s.record_type = 'person' and s.record_id = p.id and s.agency_id = ${user.agencyId})`.execute(a.db)
    expect(result.total).toBe(Number(visible.rows[0].n))
    expect(result.total).toBeGreaterThan(0)
  })
})

describe('lantern seed --scale', () => {
  it('adds --scale and --today to the seed command', () => {
    const program = new Command()
    registerFoundation(program)
    registerSeedScale(program)
    const seed = program.commands.find((c) => c.name() === 'seed')!
    expect(seed.options.map((o) => o.long)).toEqual(expect.arrayContaining(['--demo', '--seed', '--scale', '--today']))
  })
})
