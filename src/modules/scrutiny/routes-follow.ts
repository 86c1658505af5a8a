import type { Request } from 'express'
import { rateLimit } from 'express-rate-limit'
import type { GuardedRouter } from '../../web/routes.ts'
import { parseForm } from '../../web/forms.ts'
import type { ModuleDeps } from '../types.ts'
import { followService } from './follow.ts'
import { senderFromConfig } from './notifications.ts'
import type { publicScrutiny } from './public.ts'
import { baseUrl } from './public-address.ts'
import { followSchema } from './schemas.ts'

/** Following an item by e-mail, on the public tracker: double opt-in, an unsubscribe link, no account. */
export function followRoutes(routes: GuardedRouter, deps: ModuleDeps, pub: ReturnType<typeof publicScrutiny>) {
  const sender = senderFromConfig(deps.config, deps.logger)
  const follows = (req: Request) => followService(deps.db, sender, { baseUrl: baseUrl(deps, req), today: () => deps.clock.today() })
  // In memory, per address, for minutes: enough to stop one address flooding another with confirmations.
  const followLimiter = rateLimit({ windowMs: 10 * 60_000, limit: 10, standardHeaders: 'draft-8', legacyHeaders: false })
  routes.get('/scrutiny/:slug/items/:itemId/follow', { public: true }, async (req, res) => {
    res.render('scrutiny/views/public/follow.njk', { ...(await pub.item(req.params.slug, req.params.itemId)), values: {} })
  })
  routes.post('/scrutiny/:slug/items/:itemId/follow', { public: true }, followLimiter, async (req, res) => {
    const page = await pub.item(req.params.slug, req.params.itemId)
    const parsed = parseForm(followSchema, req.body)
    if (!parsed.ok) return res.status(400).render('scrutiny/views/public/follow.njk', { ...page, values: req.body, errors: parsed.errors })
    await follows(req).request(page.item, parsed.value.email)
    res.render('scrutiny/views/public/follow-result.njk', { ...page, result: 'requested', delivers: sender.delivers })
  })
  routes.get('/scrutiny/follow/:token/confirm', { public: true }, async (req, res) => {
    const confirmed = await follows(req).confirm(req.params.token)
    if (!confirmed) return res.status(404).render('scrutiny/views/public/follow-result.njk', { result: 'unknown' })
    const item = await pub.itemById(confirmed.itemId)
    res.render('scrutiny/views/public/follow-result.njk', { ...item, result: 'confirmed', unsubscribe: confirmed.unsubscribe })
  })
  routes.get('/scrutiny/follow/:token/unsubscribe', { public: true }, async (req, res) => {
    const removed = await follows(req).unsubscribe(req.params.token)
    res.status(removed ? 200 : 404).render('scrutiny/views/public/follow-result.njk', { result: removed ? 'unsubscribed' : 'unknown' })
  })
}
