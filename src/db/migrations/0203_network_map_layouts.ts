import { statements } from '../migration.ts'

/**
 * Where an analyst placed the entities of a network map, for each scope they saved it for (the
 * whole partnership, an operation, an entity's network): their own arrangement comes back the next
 * time they open that scope. Places are in the map's own coordinates, by entity id; entities that
 * have joined the scope since are placed by the layout as usual.
 */
export default statements(
  `create table network_map_layouts (
     user_id uuid not null references users(id),
     scope_key text not null check (length(scope_key) <= 200),
     positions jsonb not null,
     saved_at timestamptz not null default now(),
     primary key (user_id, scope_key)
   )`,
)
