import { statements } from '../migration.ts'

/** Uploaded extracts between "upload" and "choose the columns": removed when the run is made. */
export default statements(
  `create table linkage_uploads (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references users(id),
     name text not null,
     kind text not null check (kind in ('dedupe', 'link', 'register')),
     left_name text not null,
     left_csv text not null,
     right_name text,
     right_csv text,
     created_at timestamptz not null default now()
   )`,
  `create index linkage_uploads_user on linkage_uploads (user_id, created_at)`,
)
