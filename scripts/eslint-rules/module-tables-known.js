/**
 * The queries modules make on other modules' tables, allowed by the lantern-modules/module-tables
 * rule (scripts/eslint-rules/module-tables.js): by the module that queries, the tables it reads and
 * the tables it writes (a table written may be read too). Each one predates the rule; the list may
 * only shrink, as the query moves behind the owning module's index.ts. A new cross-module query
 * fails the lint.
 */
export const MODULE_TABLE_READS = {
  calls: ['network_entities'],
  geo: ['crimes'],
  indicators: ['missing_episodes', 'network_entities', 'nrm_referrals', 'operation_activities', 'operation_outcomes', 'operations', 'people', 'public_report_retained_counts', 'public_reports', 'risk_assessments'],
  missing: ['people'],
  network: ['people'],
  operations: ['network_entities', 'nrm_referrals'],
  people: ['network_links', 'operation_activities', 'operation_targets', 'operations', 'public_report_links', 'public_report_triage', 'public_reports'],
  plans: ['network_entities', 'people'],
  public: ['network_entities', 'network_links', 'operation_activities', 'operation_targets', 'operations'],
  referrals: ['people'],
  register: ['missing_episodes', 'people', 'person_aliases', 'person_identifiers', 'screening_tools'],
  risk: ['people'],
  scrutiny: ['indicators', 'strategy_actions', 'strategy_objectives'],
  sharing: ['network_entities', 'people'],
}

export const MODULE_TABLE_WRITES = {
  geo: ['network_entities', 'network_entity_events'],
  linkage: ['people', 'person_addresses', 'person_aliases', 'person_identifiers', 'person_notes'],
  network: ['operation_activities', 'operation_outcomes', 'operation_partners', 'operation_targets', 'operations'],
  people: ['cawn_breaches', 'cawns', 'missing_episodes', 'network_entities', 'nrm_referrals', 'risk_assessments'],
}
