import { rowSecurity, statements } from '../migration.ts'

/**
 * Need-to-know on reports from the public (0400), the last tables of personal data without it: the
 * report's words and the reporter's contact details, its triage state and history, the batches
 * imported from 101 and Crimestoppers, and its links to records. Staff see and write them only with
 * `reports:triage`, as the triage pages decide (0761 took it from partnership officers, whose role
 * is aggregates).
 *
 * A link says which record a report is about and why: it is part of that record, seen only by those
 * who see the record (the person's or network entity's own policy decides), and so is the history
 * entry that made or removed it, which carries the same reason.
 *
 * Three readers are not a triage officer, and read as the owner (runAsOwner), each protected
 * another way: the visitor submitting a report (the journey token is their authority), the counts
 * and word-free summaries for partnership officers and indicators, and the retention rule, which is
 * the partnership's over every report whoever looks.
 */
// Read once per statement, not once a row (as 0760 writes the viewer's settings).
const triage = `(select lantern_holds('reports:triage'))`

export default statements(
  // Not security definer: the person's and the entity's own policies apply to the viewer.
  `create function lantern_sees_report_target(rtype text, rid uuid) returns boolean language sql stable as
     $$ select case when rtype = 'person' then exists (select 1 from people p where p.id = rid)
                    else exists (select 1 from network_entities e where e.id = rid and e.kind = rtype) end $$`,
  `grant execute on function lantern_sees_report_target(text, uuid) to lantern_app`,
  ...rowSecurity('public_reports', triage),
  ...rowSecurity('public_report_imports', triage),
  ...rowSecurity('public_report_triage', triage),
  ...rowSecurity('public_report_links', `${triage} and lantern_sees_report_target(entity_type, entity_id)`),
  ...rowSecurity(
    'public_report_events',
    `${triage} and (kind not in ('linked', 'unlinked')
       or lantern_sees_report_target(details->>'entityType',
            case when details->>'entityId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (details->>'entityId')::uuid end))`,
  ),
)
