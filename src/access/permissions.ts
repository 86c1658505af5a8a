/**
 * Every permission Lantern checks. Which role holds which permission is data (table
 * role_permissions), granted by migrations and shown to administrators; this list is the vocabulary.
 */
export const PERMISSIONS = {
  'person:view': 'See a child or adult of concern and their records',
  'person:create': 'Record a new child or adult of concern',
  'person:edit': 'Change a person’s records',
  'person:search': 'Search for people',
  'person:share': 'Share a case with another agency or person',
  'person:export': 'Export personal data as CSV',
  'person:viewers': 'See who has looked at a record your agency owns',
  'person:close': 'Approve closing or reopening a record your agency owns',
  'person:disclose': 'Export everything your agency holds about a person, for a subject access request',
  'note:create': 'Add case notes to a person’s record',
  'register:view': 'Use the risk register',
  'team:view': 'See the team’s caseload',
  'assessment:create': 'Screen a child and record a risk level',
  'assessment:confirm-red': 'Confirm a Red rating',
  'network:view': 'See network intelligence',
  'network:edit': 'Record entities and links',
  'network:export': 'Export network data',
  'operation:edit': 'Record joint operations',
  'operation:reopen': 'Reopen a concluded joint operation',
  'linkage:run': 'Run bulk record matching',
  'linkage:merge': 'Merge and unmerge person records',
  'linkage:confirm-merge': 'Confirm a merge of records with conflicting details',
  'reports:triage': 'Triage concerns reported by the public',
  'reports:summary': 'See counts of reports from the public, without their words or who made them',
  'aggregates:view': 'See counts and dashboards without names',
  'indicators:view': 'See indicators and trends',
  'indicators:edit': 'Maintain indicators and targets',
  'indicators:import': 'Import crime data and indicator values',
  'strategy:edit': 'Maintain the partnership strategy',
  'report:publish': 'Publish performance reports',
  'content:edit': 'Edit the public information pages',
  'scrutiny:view': 'See the scrutiny tracker',
  'scrutiny:edit': 'Record meetings, recommendations and actions',
  'scrutiny:respond': 'Record responses to recommendations and requests',
  'events:edit': 'Record awareness events, invitations and attendance',
  'break-glass': 'See a record outside need-to-know by recording a justification',
  'admin:users': 'Manage users and their roles',
  'admin:agencies': 'Manage agencies and teams',
  'admin:audit': 'Search and export the audit trail (who, when, what kind of record)',
  'audit:details': 'Read search terms, reasons and details in the audit trail',
  'sharing:register': 'See the data-sharing register and review break-glass access',
  'admin:config': 'Change the screening tool and other configuration',
  'admin:api-tokens': 'Issue and revoke API tokens',
} as const

export type Permission = keyof typeof PERMISSIONS

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value)
}
