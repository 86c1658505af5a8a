import { statements } from '../migration.ts'

/**
 * The history of a network entity (a line, place, vehicle or group) beyond its links: each change
 * of its details, with who made it and which fields changed, shown on the entity's timeline. The
 * audit trail records the same change for oversight; this is the entity's own story. A person
 * entity's history is the register's person timeline.
 */
export default statements(
  `create table network_entity_events (
     id uuid primary key default gen_random_uuid(),
     entity_id uuid not null references network_entities(id),
     at timestamptz not null default now(),
     kind text not null check (kind in ('updated')),
     summary text not null,
     actor_id uuid references users(id)
   )`,
  `create index network_entity_events_entity on network_entity_events (entity_id, at desc)`,
)
