import type { Logger } from 'pino'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { LanternModule } from '../modules/types.ts'
import type { DemoSeed } from './context.ts'
import { Random } from './random.ts'
import { seedFoundation } from './foundation.ts'
import { DEFAULT_DEMO_SEED } from './defaults.ts'

export { DEFAULT_DEMO_SEED }

/** True when the database holds no agencies yet: a new installation. */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('agencies').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return Number(row.n) === 0
}

/**
 * Loads the whole demo story in one transaction: the foundation's partnership, then each
 * capability's part in module order. Deterministic for a given seed; dates are relative to today.
 */
export async function seedDemo(db: Db, modules: LanternModule[], options: { seed?: number; today?: Date; logger?: Logger } = {}) {
  await db.transaction().execute(async (trx) => {
    const seed: DemoSeed = {
      db: trx,
      random: new Random(options.seed ?? DEFAULT_DEMO_SEED),
      today: options.today ?? new Date(),
      logger: options.logger,
      refs: { areas: {}, agencies: {}, teams: {}, users: {} },
    }
    await seedFoundation(seed)
    for (const module of modules) {
      if (module.seedDemo) {
        options.logger?.info(`demo data: ${module.name}`)
        await module.seedDemo(seed)
      }
    }
  })
}

/** Production must not run with the demo's well-known passwords. */
export async function activeDemoAccounts(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select(sql<number>`count(*)`.as('n'))
    .where('demo_account', '=', true)
    .where('active', '=', true)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
