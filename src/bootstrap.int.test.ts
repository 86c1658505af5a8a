import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from './config.ts'
import { createLogger } from './web/logger.ts'
import { openConfiguredDatabase, prepareDatabase, resolveSessionSecret } from './bootstrap.ts'

const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-data-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('starting Lantern on the embedded database', () => {
  it('loads the demo into a new data folder once, and a second start keeps every change', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, LANTERN_MODE: 'demo' })
    const logger = createLogger('silent')

    const first = await openConfiguredDatabase(config)
    await prepareDatabase(config, first.db, logger)
    const secret = await resolveSessionSecret(config, first.db)
    await first.db.insertInto('agencies').values({ name: 'Added before the restart', short_name: 'Restart', kind: 'other' }).execute()
    const counts = await first.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(counts.n).toBeGreaterThan(0)
    await first.close()

    const second = await openConfiguredDatabase(config)
    await prepareDatabase(config, second.db, logger)
    const agency = await second.db.selectFrom('agencies').select('name').where('short_name', '=', 'Restart').execute()
    expect(agency).toEqual([{ name: 'Added before the restart' }])
    const after = await second.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(after.n).toBe(counts.n)
    expect(await resolveSessionSecret(config, second.db)).toBe(secret)
    await second.close()
  }, 300_000)

  it('refuses to start in production while a demo account is active', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, LANTERN_MODE: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://unused/unused' })
    const handle = await openConfiguredDatabase({ ...config, databaseUrl: undefined })
    await expect(prepareDatabase(config, handle.db, createLogger('silent'))).rejects.toThrow(/demo account/)
    await handle.close()
  }, 120_000)
})
