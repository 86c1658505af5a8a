import { statements } from '../migration.ts'

// A team manager answers for their agency's records, so they see who has looked at one (from the
// audit trail: who, when, on what footing), without the search terms and details of each event.
export default statements(`insert into role_permissions (role_id, permission) values ('manager', 'person:viewers')`)
