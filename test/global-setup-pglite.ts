import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { openDatabase } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedTestDemo } from './support/templates.ts'

/**
 * Run by test/global-setup.ts as its own process: PGlite's WebAssembly holds its thread while it
 * works, so on the same thread it would stall the PostgreSQL templates being prepared meanwhile.
 * Writes migrated.tar and demo.tar (one in-memory PGlite, dumped after migrating and after
 * seeding) into the folder it is given.
 */
const dir = process.argv[2]
if (!dir) throw new Error('usage: global-setup-pglite.ts <folder>')
const handle = await openDatabase({})
const dump = async (file: string) => writeFileSync(path.join(dir, file), Buffer.from(await (await handle.dumpDataDir!()).arrayBuffer()))
try {
  await migrateToLatest(handle.db)
  await dump('migrated.tar')
  await seedTestDemo(handle.db)
  await dump('demo.tar')
} finally {
  await handle.close()
}
