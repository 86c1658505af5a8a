import { statements } from '../migration.ts'

/** The public feed reads the newest items, responses and status changes first. */
export default statements(
  `create index scrutiny_items_created on scrutiny_items (created_at desc)`,
  `create index scrutiny_responses_recorded on scrutiny_responses (recorded_at desc)`,
  `create index scrutiny_status_history_changed on scrutiny_status_history (changed_at desc)`,
  `create index scrutiny_status_history_item_id on scrutiny_status_history (item_id, id)`,
)
