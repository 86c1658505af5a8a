import { statements } from '../migration.ts'

/**
 * The subject access export (docs/register.md, "Subject access"): the right to disclose everything
 * an agency holds about a person, for the information governance officer (the data protection
 * lead who answers the request) and team managers. src/access/policy.ts keeps it to the agency that
 * owns the record: a share or a justification never passes on the right to disclose.
 */
export default statements(
  `insert into role_permissions (role_id, permission) values
     ('information_governance', 'person:disclose'),
     ('manager', 'person:disclose')`,
)
