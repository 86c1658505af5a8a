/**
 * "Is this one of these?" at county scale: p50/p95/p99 of the duplicate check on entry (index
 * lookup, need-to-know SQL, explanation and audit) against the county-scale seed (demo + 25,000
 * generated people) on the PostgreSQL server, in a throwaway database.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/linkage-entry.ts [--queries 300]
 */
import pino from 'pino'
import { testDatabaseKinds } from '../test/support/databases.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { modules } from '../src/modules/index.ts'
import { SCALES, seedScale } from '../src/modules/register/scale-seed.ts'
import { auditService } from '../src/audit/service.ts'
import { accessService } from '../src/access/service.ts'
import { usersStore } from '../src/auth/users-store.ts'
import { loadConfig } from '../src/config.ts'
import { entryIndex, entryService } from '../src/modules/linkage/entry.ts'

const queries = Number(process.argv[process.argv.indexOf('--queries') + 1]) || 300
const kinds = testDatabaseKinds()
const kind = kinds[kinds.length - 1]
if (kind.name !== 'postgres') console.warn('TEST_DATABASE_URL is not set: measuring on PGlite')
const database = await kind.create()
try {
  const today = new Date('2026-11-23T10:00:00Z')
  let t = performance.now()
  await seedDemo(database.db, modules, { today })
  await seedScale(database.db, SCALES.county, { seed: 1, today })
  console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  const db = database.db
  const audit = auditService(db)
  const access = accessService(db, audit)
  const service = entryService({ db, config: loadConfig({ NODE_ENV: 'test', LANTERN_MODE: 'demo', LOG_LEVEL: 'silent' }), logger: pino({ level: 'silent' }), access, audit })
  const users = usersStore(db)
  const officer = (await users.findByEmail('officer@lantern.test'))!
  const ctx = { user: (await users.currentUser(officer.id))!, requestId: 'bench' }
  t = performance.now()
  const built = await entryIndex(db)
  console.log(`first index build (training the model): ${(performance.now() - t).toFixed(0)} ms over ${built.size.toLocaleString('en-GB')} people`)
  const sample = await db.selectFrom('people').select(['given_name', 'family_name', 'date_of_birth', 'gender']).orderBy('id').limit(queries).execute()
  const times: number[] = []
  let withMatches = 0
  for (const [i, p] of sample.entries()) {
    // Half typed as recorded, half with a spelling change, as a practitioner might.
    const given = i % 2 ? p.given_name : p.given_name.replace(/a/, 'e')
    const start = performance.now()
    const found = await service.check(ctx, { givenName: given, familyName: p.family_name, dateOfBirth: p.date_of_birth, gender: p.gender, postcode: null, nhsNumber: null })
    times.push(performance.now() - start)
    if (found.length) withMatches++
  }
  times.sort((a, b) => a - b)
  const q = (x: number) => times[Math.min(times.length - 1, Math.floor(x * times.length))].toFixed(1)
  console.log(`${times.length} checks: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${times[times.length - 1].toFixed(1)} ms; ${withMatches} showed matches`)
  // After a change: the next check rebuilds the index (model kept in the database).
  await db.updateTable('people').set({ updated_at: new Date() }).where('id', '=', (await db.selectFrom('people').select('id').limit(1).executeTakeFirstOrThrow()).id).execute()
  t = performance.now()
  await service.check(ctx, { givenName: 'Jaden', familyName: 'Price', dateOfBirth: null, gender: 'male', postcode: null, nhsNumber: null })
  console.log(`first check after a change (index rebuilt): ${(performance.now() - t).toFixed(0)} ms`)
} finally {
  await database.dispose()
}
