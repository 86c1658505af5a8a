import { rowSecurity, statements } from '../migration.ts'

/**
 * Need-to-know on an operation's personal parts (0200, 0210): its targets, activities and outcomes
 * name people, lines and addresses, and say who was arrested, charged or referred. They are seen by
 * the agencies taking part in the operation, as its pages decide (`load` in the operations
 * service): the lead, a partner, a share of the operation or a live break glass on it.
 *
 * The entity itself is not part of the rule, on purpose: an agency taking part sees that an arrest
 * happened against "a record you do not have a need to know for" and counts it in the operation's
 * totals, while the entity's label and details stay behind network_entities' own policy.
 *
 * `lantern_takes_part` is the one statement of "takes part" in the database; operation_changes
 * (0770) wrote it inline and now uses it too.
 */
export default statements(
  `create function lantern_takes_part(op uuid) returns boolean language sql stable as
     $$ select exists (select 1 from operations o where o.id = op and (o.lead_agency_id = lantern_agency()
          or exists (select 1 from operation_partners p where p.operation_id = o.id and p.agency_id = lantern_agency())
          or lantern_shared('operation', o.id) or lantern_break_glass('operation', o.id))) $$`,
  `grant execute on function lantern_takes_part(uuid) to lantern_app`,
  ...['operation_targets', 'operation_activities', 'operation_outcomes'].flatMap((table) => rowSecurity(table, `lantern_takes_part(operation_id)`)),
  `drop policy operation_changes_need_to_know on operation_changes`,
  `create policy operation_changes_need_to_know on operation_changes to lantern_app
     using (lantern_takes_part(operation_id) and (entity_id is null or exists (select 1 from network_entities e where e.id = entity_id)))`,
)
