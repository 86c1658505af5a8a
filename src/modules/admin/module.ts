import { auditArchive, auditArchiveDir } from '../../audit/archive.ts'
import { systemContext } from '../../kernel/context.ts'
import type { LanternModule } from '../types.ts'
import { adminRoutes } from './routes.ts'

export const adminModule: LanternModule = {
  name: 'admin',
  nav: [{ text: 'Administration', href: '/admin', permission: ['admin:users', 'admin:audit'], order: 90 }],
  staffRoutes: adminRoutes,
  // Each night at 00:30 UTC the audit trail's coming months are made, and months past the
  // administrator's retention (none unless set) exported and detached. Partitions follow the
  // database's real time, as the trail's timestamps do, not the casework clock.
  jobs: (deps) => [
    {
      name: 'audit.partitions',
      every: { seconds: 86400, offsetSeconds: 1800 },
      retryDelaySeconds: 600,
      async run() {
        const archive = auditArchive(deps.db, deps.audit)
        const now = new Date()
        await archive.ensureMonths(now)
        await archive.applyRetention(systemContext('job:audit.partitions'), now, auditArchiveDir(deps.config.dataDir))
      },
    },
  ],
}
