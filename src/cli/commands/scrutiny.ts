import type { Command } from 'commander'
import { readFile } from 'node:fs/promises'
import { UserError } from '../errors.ts'
import { withDatabase } from '../context.ts'
import { checkDateOption } from '../options.ts'
import type { CurrentUser } from '../../kernel/context.ts'

// Each action imports what it needs when it runs, so `lantern` starts without loading the web app.
const common = () => Promise.all([import('../../config.ts'), import('../../web/logger.ts'), import('../../modules/scrutiny/domain.ts')])

/**
 * `lantern scrutiny reminders`: queue the reminders due today and deliver the outbox. Lantern has
 * no timer of its own for this: run it from cron (or any scheduler) once or twice a day. Safe to
 * run as often as you like; a reminder is never queued twice.
 *
 * `lantern scrutiny import-moderngov`: import a ModernGov GetMeeting file into a body.
 */
export function register(program: Command) {
  const scrutiny = program.command('scrutiny').description('Scrutiny trackers: reminders and imports')

  scrutiny
    .command('reminders')
    .description('Queue reminders before and after response due dates, then send the outbox (email with SMTP_URL set, the log otherwise)')
    .option('--today <date>', 'the day to work from, YYYY-MM-DD (default: today in England)')
    .option('--queue-only', 'queue reminders but send nothing')
    .action(async (options: { today?: string; queueOnly?: boolean }) => {
      checkDateOption('--today', options.today)
      const [[{ loadConfig }, { createLogger }], { senderFromConfig, queueReminders, deliverPending }, { clockFor }, { runFollowerUpdates }] = await Promise.all([
        common(),
        import('../../modules/scrutiny/notifications.ts'),
        import('../../kernel/clock.ts'),
        import('../../modules/scrutiny/follow.ts'),
      ])
      const config = loadConfig()
      const day = options.today ?? clockFor(config.today).today()
      const sender = senderFromConfig(config, createLogger(config.logLevel))
      await withDatabase(async ({ db }) => {
        const queued = await queueReminders(db, day, { baseUrl: config.publicBaseUrl })
        if (options.queueOnly) {
          console.log(`${day}: queued ${queued} reminder(s); nothing sent (--queue-only).`)
          return
        }
        const result = await deliverPending(db, sender, day)
        const how = sender.delivers ? 'by email' : 'to the log only (SMTP_URL is not set)'
        console.log(
          `${day}: queued ${queued} reminder(s); sent ${result.sent} ${how}; ${result.retrying} to retry; ${result.failed} failed; ${result.cancelled} no longer needed.`,
        )
        if (config.publicBaseUrl) {
          const followers = await runFollowerUpdates(db, sender, day, config.publicBaseUrl)
          console.log(`${day}: ${followers.queued} follower update(s) queued; ${followers.sent} sent ${how}.`)
        } else {
          console.log(`${day}: follower updates wait: set PUBLIC_BASE_URL so their links work.`)
        }
        if (result.failed) process.exitCode = 2
      })
    })

  scrutiny
    .command('import-moderngov')
    .description('Import a meeting and its agenda items from a ModernGov GetMeeting XML file')
    .requiredOption('--body <slug-or-code>', 'the scrutiny body, by its public slug or its short code')
    .argument('<file>', 'the saved answer of mgWebService.asmx/GetMeeting')
    .action(async (file: string, options: { body: string }) => {
      const [{ parseGetMeeting, ModernGovFormatError }, { bodiesStore }, { commandServices }] = await Promise.all([
        import('../../modules/scrutiny/moderngov.ts'),
        import('../../modules/scrutiny/bodies-store.ts'),
        import('../services.ts'),
      ])
      let buffer: Buffer
      try {
        buffer = await readFile(file)
      } catch {
        throw new UserError(`cannot read ${file}`)
      }
      try {
        parseGetMeeting(buffer)
      } catch (err) {
        if (err instanceof ModernGovFormatError) throw new UserError(`${file}: ${err.message}`)
        throw err
      }
      await withDatabase(async ({ db }, ctx) => {
        const body = await bodiesStore(db).bodyBySlugOrCode(options.body)
        if (!body) throw new UserError(`no scrutiny body with the slug or code "${options.body}"`)
        // The command line acts as the system, with the permissions the import needs, audited as such.
        const system: CurrentUser = {
          id: '00000000-0000-0000-0000-000000000000',
          email: 'cli@lantern.invalid',
          name: 'Lantern command line',
          agencyId: body.support_agency_id ?? body.agency_id ?? '',
          agencyName: 'Lantern command line',
          agencyKind: 'other',
          teamId: null,
          teamName: null,
          role: 'system',
          roleName: 'System',
          permissions: new Set(['scrutiny:view', 'scrutiny:edit']),
          seesPersonalData: false,
        }
        const service = await (await commandServices(db, { quiet: true })).scrutiny()
        const result = await service.importModernGov({ ...ctx, user: system }, body.id, { originalname: file, mimetype: 'application/xml', size: buffer.length, buffer })
        if (!result.ok) throw new UserError(result.errors.errorList.map((e) => e.text).join('; '))
        const r = result.value
        console.log(`${r.created ? 'Imported' : 'Updated'} meeting into ${body.name}: ${r.added} agenda item(s) added, ${r.updated} updated, ${r.documents} document link(s), ${r.restricted} restricted.`)
      })
    })
}
