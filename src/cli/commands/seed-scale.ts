import type { Command } from 'commander'
import { SCALES } from '../../modules/register/scales.ts'
import { UserError } from '../errors.ts'
import { withDatabase } from '../context.ts'
import { checkDateOption, wholeNumberOption } from '../options.ts'

type ActionHandler = (args: unknown[]) => unknown

/**
 * `lantern seed --scale county`: adds the generated county (20,000 children and young people,
 * 5,000 adults, 60,000 assessments, 30,000 missing episodes over 15 areas) for load tests. With
 * `--demo` too, the demo partnership is loaded first and the county builds on it.
 *
 * `seed` itself belongs to foundation.ts (loaded first, files are sorted); this adds the option
 * and runs the demo's own action for --demo.
 */
export function register(program: Command) {
  const seed = program.commands.find((c) => c.name() === 'seed')
  if (!seed) throw new Error('seed-scale: the seed command (src/cli/commands/foundation.ts) must be registered first')
  const demoAction = (seed as unknown as { _actionHandler: ActionHandler | null })._actionHandler
  if (typeof demoAction !== 'function') throw new Error('seed-scale: cannot find the seed command’s action')
  seed
    .option('--scale <size>', `a generated county for load tests: ${Object.keys(SCALES).join(' or ')} (county: 20,000 children, 5,000 adults, 60,000 assessments, 30,000 missing episodes)`)
    .option('--today <date>', 'the day the generated county is relative to (YYYY-MM-DD), for the same data on another day')
    .action(async (options: { demo?: boolean; scale?: string; seed: string; today?: string }) => {
      checkDateOption('--today', options.today)
      if (!options.scale) {
        if (options.today) throw new UserError('--today is for a generated county (--scale); the demo tells its story from LANTERN_TODAY')
        await demoAction.call(seed, [])
        return
      }
      const spec = SCALES[options.scale]
      if (!spec) throw new UserError(`unknown scale "${options.scale}": use ${Object.keys(SCALES).join(' or ')}`)
      const [{ loadConfig }, { seedScale }] = await Promise.all([import('../../config.ts'), import('../../modules/register/scale-seed.ts')])
      if (loadConfig().mode === 'production') throw new UserError('generated data is refused in production mode')
      const seedNumber = wholeNumberOption('--seed', options.seed)
      if (options.demo) await demoAction.call(seed, [])
      await withDatabase(async ({ db }) => {
        const started = Date.now()
        try {
          const summary = await seedScale(db, spec, {
            seed: seedNumber,
            today: options.today ? new Date(`${options.today}T12:00:00Z`) : new Date(),
            log: (m) => console.log(`  ${m} (${((Date.now() - started) / 1000).toFixed(1)} s)`),
          })
          console.log(
            `Loaded the generated ${options.scale}: ${summary.children.toLocaleString('en-GB')} children, ${summary.adults.toLocaleString('en-GB')} adults, ${summary.assessments.toLocaleString('en-GB')} assessments, ${summary.missingEpisodes.toLocaleString('en-GB')} missing episodes over ${summary.areas} areas, ${summary.users} workers, in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
          )
        } catch (err) {
          if (err instanceof Error && /already holds a generated county|no screening tool/.test(err.message)) throw new UserError(err.message)
          throw err
        }
      })
    })
}
