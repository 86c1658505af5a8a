import { statements } from '../migration.ts'

/** An action agreed at a multi-agency meeting is assigned to a person: they are told (src/modules/notifications). */
export default statements(
  `alter table notifications drop constraint notifications_kind_check`,
  `alter table notifications add constraint notifications_kind_check
     check (kind in ('missing-reported','missing-found','rhi-due','red-awaiting','note-added','intelligence-added','watch-hit','review-prompted','plan-action-assigned'))`,
)
