import { statements } from '../migration.ts'

/**
 * Exploitation risk screening: the screening tool as versioned data, and every assessment made
 * with it (drafts included). An assessment records the tool version it used and, once submitted,
 * the computed score, level and the explanation, so the history never changes when the tool does.
 */
export default statements(
  `create table screening_tools (
     version integer primary key check (version > 0),
     definition jsonb not null,
     change_note text not null,
     created_by uuid references users(id),
     created_at timestamptz not null default now()
   )`,
  `create table risk_assessments (
     id uuid primary key default gen_random_uuid(),
     person_id uuid not null references people(id),
     tool_version integer not null references screening_tools(version),
     kind text not null default 'initial' check (kind in ('initial', 'review')),
     status text not null default 'draft' check (status in ('draft', 'awaiting_confirmation', 'final', 'discarded')),
     answers jsonb not null default '{}',
     computed_score integer,
     computed_level text check (computed_level in ('red', 'amber', 'green')),
     explanation jsonb,
     final_level text check (final_level in ('red', 'amber', 'green')),
     override_reason text,
     analysis text,
     review_due date,
     started_by uuid references users(id),
     started_at timestamptz not null default now(),
     updated_by uuid references users(id),
     updated_at timestamptz not null default now(),
     submitted_by uuid references users(id),
     submitted_at timestamptz,
     confirmed_by uuid references users(id),
     confirmed_at timestamptz,
     confirmation_outcome text check (confirmation_outcome in ('confirmed', 'changed')),
     confirmation_note text,
     version integer not null default 1,
     check (status in ('draft', 'discarded') or (submitted_at is not null and final_level is not null and computed_level is not null)),
     check (final_level is null or computed_level is null or final_level = computed_level or override_reason is not null or confirmation_outcome = 'changed'),
     check (status <> 'awaiting_confirmation' or final_level = 'red')
   )`,
  // At most one screening in progress (a draft, or a Red awaiting its manager) per child.
  `create unique index risk_assessments_one_open on risk_assessments (person_id) where status in ('draft', 'awaiting_confirmation')`,
  `create index risk_assessments_person on risk_assessments (person_id, submitted_at desc)`,
  `create index risk_assessments_submitted on risk_assessments (submitted_at) where status in ('final', 'awaiting_confirmation')`,
)
