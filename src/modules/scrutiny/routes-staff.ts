import type { Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { scrutinyService } from './service.ts'
import { strategyService } from './strategy.ts'
import { eventsService } from './events.ts'
import { traceService } from './trace.ts'
import { M, type StaffContext } from './staff/forms.ts'
import { bodyRoutes } from './staff/bodies.ts'
import { exportRoutes } from './staff/exports.ts'
import { meetingRoutes } from './staff/meetings.ts'
import { itemRoutes } from './staff/items.ts'
import { fileRoutes } from './staff/files.ts'
import { outboxRoutes } from './staff/outbox.ts'
import { programmeRoutes } from './staff/programme.ts'
import { eventRoutes } from './staff/events.ts'

/**
 * The staff side of scrutiny under /scrutiny/manage: every page behind sign-in and a permission.
 * The services are built once here; each journey's routes live in staff/, registered in this order.
 */
export function scrutinyStaffRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const scrutiny = scrutinyService(deps)
  const staff: StaffContext = {
    routes,
    deps,
    scrutiny,
    strategy: strategyService(deps, scrutiny),
    events: eventsService(deps),
    tracing: traceService(deps, scrutiny),
  }

  routes.get(M, { anyOf: ['scrutiny:view', 'events:edit'] }, async (req, res) => {
    const canEvents = req.ctx.user!.permissions.has('events:edit')
    const overview = req.ctx.user!.permissions.has('scrutiny:view') ? await scrutiny.overview(req.ctx) : null
    if (!overview) return res.redirect(`${M}/events`)
    res.render('scrutiny/views/staff/overview.njk', { ...overview, canEvents, canCreate: req.ctx.user!.permissions.has('scrutiny:edit') })
  })
  for (const register of [bodyRoutes, exportRoutes, meetingRoutes, itemRoutes, fileRoutes, outboxRoutes, programmeRoutes, eventRoutes]) register(staff)

  return routes.router
}
