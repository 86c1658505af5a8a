import { rowSecurity, statements } from '../migration.ts'

/**
 * Need-to-know on an operation's history (0210). A change names what it changed: it is seen by the
 * agencies taking part in the operation (lead, partners, a share or break glass, as the operation's
 * pages decide), and where it concerns a person or other entity, only by those who may see that
 * entity (its own policy, 0760).
 */
const agency = `(select lantern_agency())`
const viewer = `(select lantern_viewer())`
const takesPart = (operationId: string) =>
  `exists (select 1 from operations o where o.id = ${operationId} and (o.lead_agency_id = ${agency}
     or exists (select 1 from operation_partners p where p.operation_id = o.id and p.agency_id = ${agency})
     or exists (select 1 from live_record_shares s where s.record_type = 'operation' and s.record_id = o.id and (s.agency_id = ${agency} or s.user_id = ${viewer}))
     or ((select lantern_holds('break-glass')) and exists (select 1 from break_glass g where g.record_type = 'operation' and g.record_id = o.id and g.user_id = ${viewer} and g.expires_at > now()))))`

export default statements(
  ...rowSecurity('operation_changes', `${takesPart('operation_id')} and (entity_id is null or exists (select 1 from network_entities e where e.id = entity_id))`),
)
