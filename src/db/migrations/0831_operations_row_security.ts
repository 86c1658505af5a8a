import { rowSecurity, statements } from '../migration.ts'

/**
 * Need-to-know on the operation itself (0200): its name, summary and conclusion say whom and what it
 * is after. Seen by the agencies taking part, as its pages decide: the lead, a partner, a share of the
 * operation or a live break glass on it. This is `lantern_takes_part` (0790) written out over the row's
 * own columns, because that function reads this table and would call this policy again from inside it.
 *
 * Any user who may record operations may insert one (its partners are written just after it, and the
 * service puts the recorder's agency among them); they then read and change it only while taking part.
 * The application inserts without RETURNING for that reason: RETURNING is read under the policy.
 */
const takesPart = `lead_agency_id = (select lantern_agency())
  or exists (select 1 from operation_partners p where p.operation_id = operations.id and p.agency_id = (select lantern_agency()))
  or lantern_shared('operation', id) or lantern_break_glass('operation', id)`

export default statements(...rowSecurity('operations', takesPart, { insert: `(select lantern_holds('operation:edit'))` }))
