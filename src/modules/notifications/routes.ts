import type { Request, Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { parseForm } from '../../web/forms.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { pageNumber } from '../../web/pagination.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import type { ModuleDeps } from '../types.ts'
import { notificationsService } from './service.ts'
import { emailChoiceSchema, listQuerySchema, watchSchema } from './schemas.ts'

const PAGE_SIZE = 25

const EMAIL_ITEMS = [
  { value: 'off', text: 'Do not e-mail me', hint: 'See notifications in Lantern only' },
  { value: 'immediate', text: 'E-mail me as they arrive', hint: 'At most one message every few minutes' },
  { value: 'daily', text: 'A daily summary', hint: 'One message each morning, if anything is new' },
]

export function notificationsRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const notifications = notificationsService(deps)

  routes.get('/notifications', { signedIn: true }, async (req, res) => {
    const { show } = listQuerySchema.parse(req.query)
    const page = pageNumber(req.query)
    const { rows, more } = await notifications.list(req.ctx, { unreadOnly: show === 'unread', page, pageSize: PAGE_SIZE })
    res.render('notifications/views/list.njk', { rows, more, page, show })
  })

  // Opening a notification marks it read, then goes to the record (a path inside Lantern, checked by the table).
  routes.get('/notifications/:id/open', { signedIn: true }, async (req, res) => {
    const target = await notifications.open(req.ctx, req.params.id)
    if (!target) throw new NotFoundError()
    res.redirect(target)
  })

  routes.post('/notifications/:id/read', { signedIn: true }, async (req, res) => {
    await notifications.markRead(req.ctx, [req.params.id])
    flash(req, { type: 'success', text: 'Marked as read' })
    res.redirect('/notifications')
  })

  routes.post('/notifications/read-all', { signedIn: true }, async (req, res) => {
    const n = await notifications.markRead(req.ctx, 'all')
    flash(req, { type: 'success', text: n ? `${n} notification${n === 1 ? '' : 's'} marked as read` : 'Nothing was unread' })
    res.redirect('/notifications')
  })

  async function settingsPage(req: Request, extra: Record<string, unknown> = {}) {
    return { emailAvailable: notifications.emailAvailable, items: EMAIL_ITEMS, values: { email: await notifications.emailChoice(req.ctx) }, ...extra }
  }
  routes.get('/account/notifications', { signedIn: true }, async (req, res) => {
    res.render('notifications/views/settings.njk', await settingsPage(req))
  })
  routes.post('/account/notifications', { signedIn: true }, async (req, res) => {
    const parsed = parseForm(emailChoiceSchema, req.body)
    if (!parsed.ok) return res.status(400).render('notifications/views/settings.njk', await settingsPage(req, { errors: parsed.errors, values: req.body }))
    await notifications.setEmailChoice(req.ctx, parsed.value.email)
    flash(req, { type: 'success', text: 'Your notification settings are saved' })
    res.redirect('/account/notifications')
  })

  routes.post('/network/entities/:id/watch', { permission: 'network:view' }, async (req, res) => {
    const parsed = parseForm(watchSchema, req.body)
    if (!parsed.ok) return res.redirect(`/network/entities/${req.params.id}`)
    if (!(await notifications.setWatch(req.ctx, req.params.id, parsed.value.watch === 'on'))) throw new NotFoundError()
    flash(req, { type: 'success', text: parsed.value.watch === 'on' ? 'You are watching this: a new link to it will notify you' : 'You no longer watch this' })
    res.redirect(`/network/entities/${req.params.id}`)
  })

  return routes.router
}
