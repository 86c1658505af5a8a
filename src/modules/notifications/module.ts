import type { LanternModule } from '../types.ts'
import { notificationsRoutes } from './routes.ts'
import { notificationsService } from './service.ts'

/**
 * Alerts and notifications: in-app (a count in the header, /notifications) and by e-mail as they
 * arrive or as a daily summary (/account/notifications), made by jobs on the job runner.
 */
export const notificationsModule: LanternModule = {
  name: 'notifications',
  staffRoutes: notificationsRoutes,
  staffLocals: (deps) => {
    const service = notificationsService(deps)
    return async (ctx) => ({ unreadNotifications: await service.unreadCount(ctx) })
  },
  jobs: (deps) => {
    const service = notificationsService(deps)
    return [
      { name: 'notifications.scan', every: { seconds: 60 }, retryDelaySeconds: 30, run: async () => void (await service.scan()) },
      { name: 'notifications.email', every: { seconds: 300 }, retryDelaySeconds: 120, run: async () => void (await service.email('immediate')) },
      // 07:00 UTC: 7 or 8 in the morning in England.
      { name: 'notifications.digest', every: { seconds: 86400, offsetSeconds: 7 * 3600 }, retryDelaySeconds: 600, run: async () => void (await service.email('daily')) },
    ]
  },
}
