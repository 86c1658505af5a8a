import { statements } from '../migration.ts'

/**
 * The names police.uk has used for a force, mapped to the force area's name in Lantern. police.uk
 * files keep the name a force had when the month was published ("Falls within: Hampshire
 * Constabulary" in 2017-19, "Hampshire and Isle of Wight Constabulary" since), so one force's month
 * must be found under any of them, or the same crimes are counted twice.
 */
export default statements(
  `create table police_force_names (
     name text primary key check (name = btrim(name) and name <> ''),
     force_name text not null check (force_name <> name)
   )`,
  `create unique index police_force_names_lower on police_force_names (lower(name))`,
  `insert into police_force_names (name, force_name) values
     ('Hampshire Constabulary', 'Hampshire and Isle of Wight Constabulary'),
     ('Devon and Cornwall Police', 'Devon & Cornwall Police'),
     ('Devon and Cornwall Constabulary', 'Devon & Cornwall Police')`,
)
