import { runFollowerUpdates } from '../follow.ts'
import { runAsOwner } from '../../../db/scope.ts'
import { M, saved, type StaffContext } from './forms.ts'

/** The outbox of reminders, and running it now. */
export function outboxRoutes({ routes, deps, scrutiny }: StaffContext) {
  routes.get(`${M}/outbox`, { permission: 'scrutiny:edit' }, async (req, res) => {
    res.render('scrutiny/views/staff/outbox.njk', await scrutiny.outbox(req.ctx))
  })
  routes.post(`${M}/outbox/run`, { permission: 'scrutiny:edit' }, async (req, res) => {
    // Followers' updates need the public address for their links: without it they wait.
    const base = deps.config.publicBaseUrl
    const r = await scrutiny.runReminders(req.ctx, (sender, day) =>
      base ? runAsOwner('the followers’ addresses, for their update e-mails', () => runFollowerUpdates(deps.db, sender, day, base)) : Promise.resolve(null),
    )
    const went = r.delivers ? `${r.sent} e-mailed` : `${r.sent} written to the log only (no mail server)`
    saved(req, res, `${r.queued} reminder${r.queued === 1 ? '' : 's'} queued; ${went}, ${r.retrying + r.failed} could not be sent, ${r.cancelled} no longer needed.`, `${M}/outbox`)
  })
}
