import { statements } from '../migration.ts'

/**
 * National Referral Mechanism referrals (a reasonable-grounds, then a conclusive-grounds decision)
 * and Child Abduction Warning Notices served on adults, with their breaches.
 */
export default statements(
  `create table nrm_referrals (
     id uuid primary key default gen_random_uuid(),
     person_id uuid not null references people(id),
     referred_on date not null,
     first_responder_agency_id uuid not null references agencies(id),
     reference text,
     exploitation_types jsonb not null default '[]',
     rg_decision text check (rg_decision in ('positive', 'negative')),
     rg_decision_on date,
     cg_decision text check (cg_decision in ('positive', 'negative')),
     cg_decision_on date,
     notes text,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     updated_by uuid references users(id),
     updated_at timestamptz not null default now(),
     version integer not null default 1,
     check ((rg_decision is null) = (rg_decision_on is null)),
     check ((cg_decision is null) = (cg_decision_on is null)),
     check (rg_decision_on is null or rg_decision_on >= referred_on),
     check (cg_decision is null or (rg_decision = 'positive' and cg_decision_on >= rg_decision_on))
   )`,
  `create index nrm_referrals_person on nrm_referrals (person_id, referred_on desc)`,
  `create index nrm_referrals_referred on nrm_referrals (referred_on)`,
  `create table cawns (
     id uuid primary key default gen_random_uuid(),
     person_id uuid not null references people(id),
     adult_id uuid not null references people(id),
     served_on date not null,
     expires_on date not null,
     served_by_agency_id uuid references agencies(id),
     reference text,
     notes text,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     updated_by uuid references users(id),
     updated_at timestamptz not null default now(),
     version integer not null default 1,
     check (expires_on > served_on),
     check (adult_id <> person_id)
   )`,
  `create index cawns_person on cawns (person_id)`,
  `create index cawns_adult on cawns (adult_id)`,
  `create table cawn_breaches (
     id uuid primary key default gen_random_uuid(),
     cawn_id uuid not null references cawns(id),
     occurred_on date not null,
     description text not null,
     action_taken text,
     created_by uuid references users(id),
     created_at timestamptz not null default now()
   )`,
  `create index cawn_breaches_cawn on cawn_breaches (cawn_id, occurred_on)`,
)
