import { statements } from '../migration.ts'

/**
 * Traceability: a resolution, recommendation or request linked to the strategy actions that
 * answer it and the indicators that show progress on it, so each can be followed both ways. The
 * links hold no personal data (an item, an action, an indicator, and who linked them).
 */
export default statements(
  `create table scrutiny_item_actions (
     item_id uuid not null references scrutiny_items(id),
     action_id uuid not null references strategy_actions(id) on delete cascade,
     linked_by uuid references users(id),
     linked_at timestamptz not null default now(),
     primary key (item_id, action_id)
   )`,
  `create index scrutiny_item_actions_action on scrutiny_item_actions (action_id)`,
  `create table scrutiny_item_indicators (
     item_id uuid not null references scrutiny_items(id),
     indicator_id uuid not null references indicators(id) on delete cascade,
     linked_by uuid references users(id),
     linked_at timestamptz not null default now(),
     primary key (item_id, indicator_id)
   )`,
  `create index scrutiny_item_indicators_indicator on scrutiny_item_indicators (indicator_id)`,
)
