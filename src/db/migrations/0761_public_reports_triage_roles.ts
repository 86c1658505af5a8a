import { statements } from '../migration.ts'

/**
 * Reports from the public name children, adults and places, and often the reporter: they are
 * personal data, read and triaged by roles that hold it (managers and analysts). A partnership
 * officer's role is aggregates, so they keep counts and a summary of each report without its words
 * or who made it (`reports:summary`), and no longer the text, contact details or the links to
 * records (issue 14: the leak canary found them reading all three).
 */
export default statements(
  `delete from role_permissions where role_id = 'partnership_officer' and permission = 'reports:triage'`,
  `insert into role_permissions (role_id, permission) values
     ('partnership_officer', 'reports:summary'),
     ('manager', 'reports:summary'),
     ('analyst', 'reports:summary')
   on conflict do nothing`,
)
