import { statements } from '../migration.ts'

/**
 * Missing episodes: when a child was reported missing and found, where (found out of area is
 * flagged), who found them, the concerns that came with it, and the return-home interview, due
 * within 72 hours of being found.
 */
export default statements(
  `create table missing_episodes (
     id uuid primary key default gen_random_uuid(),
     person_id uuid not null references people(id),
     reported_missing_at timestamptz not null,
     missing_from_area_id uuid references areas(id),
     police_reference text,
     found_at timestamptz,
     found_area_id uuid references areas(id),
     found_location text,
     found_out_of_area boolean not null default false,
     found_by text check (found_by in ('police', 'parent_or_carer', 'returned_themselves', 'professional', 'other')),
     found_by_detail text,
     concerns jsonb not null default '[]',
     notes text,
     rhi_offered_at timestamptz,
     rhi_held_at timestamptz,
     rhi_held_by text,
     rhi_agency_id uuid references agencies(id),
     rhi_declined boolean not null default false,
     rhi_notes text,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     updated_by uuid references users(id),
     updated_at timestamptz not null default now(),
     version integer not null default 1,
     check (found_at is null or found_at >= reported_missing_at),
     check (rhi_offered_at is null or (found_at is not null and rhi_offered_at >= found_at)),
     check (rhi_held_at is null or (found_at is not null and rhi_held_at >= found_at)),
     check (found_area_id is not null or not found_out_of_area)
   )`,
  `create index missing_episodes_person on missing_episodes (person_id, reported_missing_at desc)`,
  `create index missing_episodes_reported on missing_episodes (reported_missing_at)`,
)
