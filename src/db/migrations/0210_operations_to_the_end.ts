import { statements } from '../migration.ts'

/**
 * Operations carried to their end (docs/joint-operations.md): an operation is concluded with what it
 * achieved and may be reopened by a manager; an activity is corrected or withdrawn, and a target
 * withdrawn, with a reason that is kept, never deleted; every such change goes to
 * `operation_changes` with the record as it was.
 *
 * A referral for safeguarding is an activity of its own, counted as the Home Office counts
 * "individuals referred for safeguarding".
 *
 * An NRM referral recorded as an operation activity IS the child's referral: the activity points at
 * the row in `nrm_referrals`. Activities recorded before this point to the child's live referral made
 * within 30 days of the activity (the nearest), or, where the child has none, to a referral created
 * here from the activity (first responder: the operation's lead agency), so that no child has two.
 */
const withdrawable = (table: string) => [
  `alter table ${table}
     add column withdrawn_at timestamptz,
     add column withdrawn_by uuid references users(id),
     add column withdrawn_reason text check (withdrawn_reason is null or length(withdrawn_reason) between 1 and 1000)`,
  `alter table ${table} add constraint ${table}_withdrawn_whole
     check ((withdrawn_at is null) = (withdrawn_by is null) and (withdrawn_at is null) = (withdrawn_reason is null))`,
]

export default statements(
  `alter table operations
     add column conclusion text check (conclusion is null or length(conclusion) between 1 and 4000),
     add column concluded_by uuid references users(id),
     add column concluded_at timestamptz`,
  `alter table operation_activities drop constraint operation_activities_kind_check`,
  `alter table operation_activities add constraint operation_activities_kind_check
     check (kind in ('warrant', 'arrest', 'seizure', 'safeguarding_visit', 'safeguarding_referral', 'closure_order', 'cawn', 'nrm_referral', 'line_closure'))`,
  ...withdrawable('operation_targets'),
  ...withdrawable('operation_activities'),
  `alter table operation_activities
     add column nrm_referral_id uuid references nrm_referrals(id),
     add column version integer not null default 1`,
  `alter table operation_activities add constraint operation_activities_nrm_kind check (nrm_referral_id is null or kind = 'nrm_referral')`,
  `create unique index operation_activities_nrm on operation_activities (nrm_referral_id) where nrm_referral_id is not null`,

  // The data moved: each NRM activity on a person to that person's referral.
  `update operation_activities a set nrm_referral_id = (
     select n.id from nrm_referrals n join network_entities e on e.person_id = n.person_id
      where e.id = a.entity_id and n.voided_at is null and abs(n.referred_on - a.occurred_on) <= 30
        and not exists (select 1 from operation_activities b where b.nrm_referral_id = n.id)
      order by abs(n.referred_on - a.occurred_on), n.referred_on limit 1)
   where a.kind = 'nrm_referral' and a.nrm_referral_id is null`,
  `with made as (
     select a.id as activity_id, gen_random_uuid() as referral_id, e.person_id, a.occurred_on, o.lead_agency_id, a.description, a.recorded_by, a.recorded_at
       from operation_activities a join network_entities e on e.id = a.entity_id join operations o on o.id = a.operation_id
      where a.kind = 'nrm_referral' and a.nrm_referral_id is null and e.person_id is not null
   ), referrals as (
     insert into nrm_referrals (id, person_id, referred_on, first_responder_agency_id, exploitation_types, notes, created_by, created_at, updated_by, updated_at)
     select referral_id, person_id, occurred_on, lead_agency_id, '["criminal"]', nullif(description, ''), recorded_by, recorded_at, recorded_by, recorded_at from made
     returning id
   )
   update operation_activities a set nrm_referral_id = m.referral_id from made m where m.activity_id = a.id`,

  `create table operation_changes (
     id uuid primary key default gen_random_uuid(),
     operation_id uuid not null references operations(id),
     kind text not null check (kind in ('edited', 'concluded', 'reopened', 'corrected', 'withdrawn')),
     record_type text not null check (record_type in ('operation', 'activity', 'target')),
     record_id uuid not null,
     entity_id uuid references network_entities(id),
     reason text check (reason is null or length(reason) between 1 and 1000),
     before jsonb not null default '{}',
     changed_by uuid references users(id),
     changed_at timestamptz not null default now()
   )`,
  `create index operation_changes_op on operation_changes (operation_id, changed_at)`,
  `insert into role_permissions (role_id, permission) values ('manager', 'operation:reopen')`,
)
