import { statements } from '../migration.ts'

/**
 * Multi-agency case notes. A note is never edited or deleted (a correction is a new note), and
 * carries a sensitivity marking: 'police_only' notes are shown to police users only, everywhere.
 */
export default statements(
  `create table person_notes (
     id uuid primary key default gen_random_uuid(),
     person_id uuid not null references people(id),
     kind text not null check (kind in ('visit', 'direct_work', 'contact', 'meeting', 'intelligence', 'other')),
     occurred_on date not null,
     body text not null check (length(btrim(body)) between 1 and 10000),
     sensitivity text not null default 'standard' check (sensitivity in ('standard', 'police_only')),
     author_id uuid not null references users(id),
     author_agency_id uuid not null references agencies(id),
     created_at timestamptz not null default now()
   )`,
  `create index person_notes_person on person_notes (person_id, occurred_on desc, created_at desc)`,
  `insert into role_permissions (role_id, permission) values
     ('practitioner', 'note:create'), ('manager', 'note:create'), ('analyst', 'note:create')`,
)
