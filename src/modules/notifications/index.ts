/** The notifications module's public surface: whether a user watches an entity, for its page. */
export { notificationsService, type NotificationsService } from './service.ts'
