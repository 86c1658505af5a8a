import type { RequestContext } from '../../kernel/context.ts'
import { deliverPending, outbox, queueReminders, type NotificationSender } from './notifications.ts'
import type { ScrutinyCore } from './service-core.ts'

/** The outbox of request and reminder e-mails, as staff see and run it. */
export function outboxService(core: ScrutinyCore) {
  const { db, access, audit, config } = core.deps
  const { sender, today } = core
  return {
    async outbox(ctx: RequestContext) {
      await access.authorise(ctx, 'scrutiny:edit')
      return { rows: await outbox(db), transport: sender.transport, delivers: sender.delivers }
    },

    /** Queues due reminders and delivers the outbox now (what `lantern scrutiny reminders` does). */
    async runReminders(ctx: RequestContext, also?: (sender: NotificationSender, day: string) => Promise<{ queued: number } | null>) {
      await access.authorise(ctx, 'scrutiny:edit')
      const day = today()
      const queued = await queueReminders(db, day, { baseUrl: config.publicBaseUrl })
      const delivered = await deliverPending(db, sender, day)
      const followers = also ? await also(sender, day) : null
      await audit.record(ctx, { action: 'run', recordType: 'scrutiny_reminders', details: { queued, ...delivered, followerUpdates: followers?.queued ?? null } })
      return { queued, ...delivered, delivers: sender.delivers }
    },
  }
}
