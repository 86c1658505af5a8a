import type { LanternModule } from '../types.ts'
import { peopleRoutes } from './routes.ts'
import { seedPeople } from './demo.ts'
import { recordRetentionService } from './record-retention.ts'
import { systemContext } from '../../kernel/context.ts'
import { closureService } from './closure.ts'

export const peopleModule: LanternModule = {
  name: 'people',
  nav: [
    { text: 'Subject access', href: '/subject-access', permission: 'person:disclose', order: 87 },
    { text: 'Record retention', href: '/admin/record-retention', permission: 'admin:config', order: 93 },
  ],
  staffRoutes: peopleRoutes,
  seedDemo: seedPeople,
  worklists: (deps) => {
    const closure = closureService(deps)
    return (ctx) => closure.worklists(ctx)
  },
  // Closed records past their retention period are anonymised each night at 02:30 UTC.
  jobs: (deps) => [
    {
      name: 'people.record-retention',
      every: { seconds: 86400, offsetSeconds: 2.5 * 3600 },
      async run() {
        await recordRetentionService(deps).apply(systemContext('job:people.record-retention'))
      },
    },
  ],
}
