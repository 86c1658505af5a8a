import type { Command } from 'commander'
import { UserError } from '../errors.ts'
import { withDatabase } from '../context.ts'

/**
 * `lantern worker`: runs background and scheduled jobs (notifications, digests, reminders,
 * retention) until stopped, beside any number of web instances on a PostgreSQL server. Run as many
 * as you like: each job runs once across all of them. On the embedded database the server runs
 * jobs itself; this command is for when no server is running there.
 * `--once` runs what is due now and stops (for a scheduler, or to check a deployment).
 */
export function register(program: Command) {
  program
    .command('worker')
    .description('Run background jobs (notifications, digests, reminders, retention) until stopped')
    .option('--once', 'queue the scheduled jobs due now, run every ready job, then stop')
    .option('--concurrency <n>', 'jobs run at once (PostgreSQL server only)', '2')
    .action(async (options: { once?: boolean; concurrency: string }) => {
      const concurrency = Number(options.concurrency)
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new UserError('--concurrency must be a whole number from 1 to 16')
      const [{ jobRunner }, { modules }, { commandServices }] = await Promise.all([import('../../composition.ts'), import('../../modules/index.ts'), import('../services.ts')])
      await withDatabase(async (handle) => {
        const { deps } = await commandServices(handle.db)
        const runner = jobRunner(deps, modules, { concurrency: handle.kind === 'pglite' ? 1 : concurrency })
        if (options.once) {
          await runner.schedule()
          const ran = await runner.drain()
          const { failed } = runner.stats
          console.log(`Ran ${ran} job${ran === 1 ? '' : 's'}${failed ? `; ${failed} failed and will be tried again (see Administration, Background jobs)` : ''}.`)
          if (failed) process.exitCode = 2
          return
        }
        runner.start()
        await new Promise<void>((resolve) => {
          const stop = () => resolve()
          process.once('SIGINT', stop)
          process.once('SIGTERM', stop)
        })
        await runner.stop()
      })
    })
}
