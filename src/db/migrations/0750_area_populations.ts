import { statements } from '../migration.ts'

/**
 * How many people lived in each area, year by year (ONS mid-year estimates), for rates per 1,000
 * residents. A financial year's rate uses the estimate for the middle of its first calendar year
 * (2025/26 uses mid-2025), or the latest estimate before it; an area with no estimate falls back to
 * the single figure on the areas page. Aggregate figures about places, no personal data: no
 * row-level security is needed, and the application role gets the table by default privileges.
 */
export default statements(
  `create table area_populations (
     area_id uuid not null references areas(id) on delete cascade,
     year integer not null check (year between 1900 and 2200),
     population integer not null check (population > 0),
     source text,
     updated_at timestamptz not null default now(),
     primary key (area_id, year)
   )`,
)
