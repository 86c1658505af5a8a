import { rowSecurity, statements } from '../migration.ts'

/**
 * Alerts and notifications (src/modules/notifications). A notification names a child or a network
 * entity, so it is personal data: its recipient alone reads it, and only while they may still see
 * the person or entity it is about (a share revoked takes its notifications with it). A watch on a
 * network entity is the analyst's own. The scan's cursors hold times only.
 */

const protect = (table: string, visible: string) => rowSecurity(table, visible, { policy: 'own' })

export default statements(
  `create table notifications (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references users(id) on delete cascade,
     kind text not null check (kind in ('missing-reported','missing-found','rhi-due','red-awaiting','note-added','intelligence-added','watch-hit')),
     person_id uuid references people(id) on delete cascade,
     entity_id uuid references network_entities(id) on delete cascade,
     text text not null check (length(text) between 1 and 300),
     href text not null check (href like '/%'),
     event_key text not null check (length(event_key) between 1 and 200),
     created_at timestamptz not null default now(),
     read_at timestamptz,
     emailed_at timestamptz,
     constraint notifications_once unique (user_id, event_key)
   )`,
  `create index notifications_by_user on notifications (user_id, created_at desc)`,
  `create index notifications_unread on notifications (user_id) where read_at is null`,
  `create index notifications_to_email on notifications (user_id) where emailed_at is null`,
  `create table notification_settings (
     user_id uuid primary key references users(id) on delete cascade,
     email text not null default 'off' check (email in ('off','immediate','daily')),
     updated_at timestamptz not null default now()
   )`,
  `create table network_watches (
     user_id uuid not null references users(id) on delete cascade,
     entity_id uuid not null references network_entities(id) on delete cascade,
     created_at timestamptz not null default now(),
     primary key (user_id, entity_id)
   )`,
  `create index network_watches_entity on network_watches (entity_id)`,
  `create table notification_cursors (
     source text primary key,
     scanned_to timestamptz not null
   )`,
  ...protect(
    'notifications',
    `user_id = lantern_viewer()
     and (person_id is null or exists (select 1 from people p where p.id = person_id))
     and (entity_id is null or exists (select 1 from network_entities e where e.id = entity_id))`,
  ),
  ...protect('notification_settings', `user_id = lantern_viewer()`),
  ...protect('network_watches', `user_id = lantern_viewer() and exists (select 1 from network_entities e where e.id = entity_id)`),
)
