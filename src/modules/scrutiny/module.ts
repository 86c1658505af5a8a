import type { LanternModule } from '../types.ts'
import { scrutinyPublicRoutes } from './routes-public.ts'
import { scrutinyStaffRoutes } from './routes-staff.ts'
import { seedScrutiny } from './seed.ts'

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
}
