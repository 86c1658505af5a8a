import type { LanternModule } from '../types.ts'
import { scrutinyPublicRoutes } from './routes-public.ts'
import { scrutinyStaffRoutes } from './routes-staff.ts'
import { seedScrutiny } from './seed.ts'
import { deliverPending, queueReminders, senderFromConfig } from './notifications.ts'
import { runFollowerUpdates } from './follow.ts'

/**
 * Scrutiny and governance: the bodies that hold the partnership to account, their meetings,
 * resolutions, recommendations and requests tracked to an answer in public, the strategy group's
 * work programme, and awareness events. Public tracker at /scrutiny; staff pages at /scrutiny/manage.
 */
export const scrutinyModule: LanternModule = {
  name: 'scrutiny',
  nav: [{ text: 'Scrutiny', href: '/scrutiny/manage', permission: ['scrutiny:view', 'events:edit'], order: 70 }],
  publicRoutes: scrutinyPublicRoutes,
  staffRoutes: scrutinyStaffRoutes,
  seedDemo: seedScrutiny,
  // What `lantern scrutiny reminders` does, four times a day: queueing is idempotent per reminder.
  jobs: (deps) => [
    {
      name: 'scrutiny.reminders',
      every: { seconds: 6 * 3600 },
      async run() {
        const day = deps.clock.today()
        const sender = senderFromConfig(deps.config, deps.logger)
        await queueReminders(deps.db, day, { baseUrl: deps.config.publicBaseUrl })
        await deliverPending(deps.db, sender, day)
        // Followers' updates need the public address for their links: without it they wait, as the command says.
        if (deps.config.publicBaseUrl) await runFollowerUpdates(deps.db, sender, day, deps.config.publicBaseUrl)
      },
    },
  ],
}
