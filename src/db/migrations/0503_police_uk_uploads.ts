import { statements } from '../migration.ts'

/**
 * police.uk files uploaded and previewed, waiting for the person who uploaded them to confirm the
 * import: removed by the import they confirm (in its transaction), when cancelled, or after a day.
 */
export default statements(
  `create table police_uk_uploads (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references users(id),
     preview jsonb not null,
     created_at timestamptz not null default now()
   )`,
  `create index police_uk_uploads_created on police_uk_uploads (created_at)`,
  `create table police_uk_upload_files (
     upload_id uuid not null references police_uk_uploads(id) on delete cascade,
     position integer not null,
     name text not null,
     content bytea not null,
     primary key (upload_id, position)
   )`,
)
