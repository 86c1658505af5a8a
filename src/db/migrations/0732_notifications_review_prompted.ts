import { statements } from '../migration.ts'

/** A serious missing episode prompts a review: its holder is told (src/modules/notifications). */
export default statements(
  `alter table notifications drop constraint notifications_kind_check`,
  `alter table notifications add constraint notifications_kind_check
     check (kind in ('missing-reported','missing-found','rhi-due','red-awaiting','note-added','intelligence-added','watch-hit','review-prompted'))`,
)
