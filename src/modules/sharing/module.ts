import type { LanternModule } from '../types.ts'
import { sharingRoutes } from './routes.ts'
import { sharingService } from './service.ts'
import { seedSharing } from './demo.ts'

export const sharingModule: LanternModule = {
  name: 'sharing',
  nav: [
    { text: 'Sharing', href: '/sharing', permission: 'person:view', order: 45 },
    { text: 'Data-sharing register', href: '/sharing/register', permission: 'sharing:register', order: 88 },
    { text: 'Break-glass reviews', href: '/sharing/break-glass', permission: 'sharing:register', order: 89 },
  ],
  staffRoutes: sharingRoutes,
  notices: (deps) => {
    const sharing = sharingService(deps)
    return (ctx) => sharing.notices(ctx)
  },
  worklists: (deps) => {
    const sharing = sharingService(deps)
    return (ctx) => sharing.worklists(ctx)
  },
  seedDemo: seedSharing,
}
