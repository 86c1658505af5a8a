import type { Command } from 'commander'
import { UserError } from '../errors.ts'
import { withDatabase } from '../context.ts'

/**
 * `lantern retention apply`: deletes reports from the public that were closed longer ago than the
 * retention period (Administration, Report retention; 24 months unless changed), except those
 * under a legal hold or linked to an open record. Their monthly counts are kept for the
 * indicators. Run it from cron, for example once a night; running it again deletes nothing more.
 * `--dry-run` lists what would go (references and dates only) and deletes nothing.
 */
export function register(program: Command) {
  const retention = program.command('retention').description('Retention of personal data: delete what is no longer kept')

  retention
    .command('apply')
    .description('Delete closed reports from the public past their retention period (keeping their monthly counts)')
    .option('--dry-run', 'list what would be deleted, and delete nothing')
    .action(async (options: { dryRun?: boolean }) => {
      // Imported when it runs, so `lantern --help` loads neither the database nor the web app.
      const [{ RetentionSettingError }, { commandServices }] = await Promise.all([import('../../modules/public/retention.ts'), import('../services.ts')])
      await withDatabase(async ({ db }, ctx) => {
        const service = await (await commandServices(db)).retention()
        try {
          const day = (d: Date) => d.toISOString().slice(0, 10)
          const plan = options.dryRun ? await service.plan() : await service.apply(ctx)
          const period = `${plan.months} month${plan.months === 1 ? '' : 's'}`
          const kept = `Kept: ${plan.keptLegalHold} under a legal hold, ${plan.keptOpenRecord} linked to an open record.`
          if (options.dryRun) {
            console.log(`Reports from the public closed before ${day(plan.closedBefore)} (retention ${period}): ${plan.due.length} would be deleted.`)
            for (const r of plan.due) console.log(`  ${r.reference}  received ${r.received_on}  closed ${day(r.closed_at)}`)
            console.log(kept)
            console.log('Nothing was deleted (--dry-run).')
          } else {
            console.log(`Deleted ${plan.due.length} report${plan.due.length === 1 ? '' : 's'} from the public closed before ${day(plan.closedBefore)} (retention ${period}); their monthly counts are kept for the indicators. ${kept}`)
          }
        } catch (err) {
          if (err instanceof RetentionSettingError) throw new UserError(err.message)
          throw err
        }
      })
    })
}
