import { statements } from '../migration.ts'

/**
 * A notification carries the visibility of the record it was made from. The scan (the
 * notifications module) tells a person only after reading the source as them; this keeps it so
 * afterwards: each notification names its source, and its recipient reads it only while they may
 * still read that source under the source's own policy (a share revoked, a link's end withdrawn, a
 * plan action's meeting gaining a subject they may not see). Before, only the person or entity it
 * named was checked, so the alert outlived the record it told of.
 *
 * Older rows are given their source from their event key, which has always begun with it. The
 * columns are named with their table in the policy: network_links has a source_id of its own.
 */
const SOURCES = ['missing_episodes', 'person_notes', 'risk_assessments', 'network_links', 'plan_actions']
const readable = `case notifications.source_table ${SOURCES.map((t) => `when '${t}' then exists (select 1 from ${t} s where s.id = notifications.source_id)`).join(' ')} else false end`
const own = `user_id = lantern_viewer()
     and (person_id is null or exists (select 1 from people p where p.id = person_id))
     and (entity_id is null or exists (select 1 from network_entities e where e.id = entity_id))
     and ${readable}`

export default statements(
  `alter table notifications add column source_table text, add column source_id uuid`,
  `update notifications set
     source_table = case split_part(event_key, ':', 1) when 'note' then 'person_notes' when 'watch' then 'network_links' when 'plan-action' then 'plan_actions'
                      when 'red-awaiting' then 'risk_assessments' else 'missing_episodes' end,
     source_id = split_part(event_key, ':', 2)::uuid`,
  `alter table notifications alter column source_table set not null, alter column source_id set not null,
     add constraint notifications_source_table check (source_table in (${SOURCES.map((t) => `'${t}'`).join(', ')}))`,
  `alter policy notifications_own on notifications using (${own}) with check (${own})`,
)
