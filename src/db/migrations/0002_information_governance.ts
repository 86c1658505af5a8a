import { statements } from '../migration.ts'

// The information governance officer (data protection lead) answers for lawful sharing and for the
// audit trail's contents. Administrators keep the system running and see audit metadata only.
export default statements(
  `insert into roles (id, name, description, sees_personal_data) values
     ('information_governance', 'Information governance officer',
      'Data protection lead: the data-sharing register, break-glass reviews and the audit trail in full', false)`,
  `insert into role_permissions (role_id, permission) values
     ('information_governance', 'admin:audit'),
     ('information_governance', 'audit:details'),
     ('information_governance', 'sharing:register'),
     ('information_governance', 'aggregates:view'),
     ('information_governance', 'scrutiny:view')`,
)
