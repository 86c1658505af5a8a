import { statements } from '../migration.ts'

/**
 * Which areas are the partnership's own, and how many people live in each (for rates). Only areas
 * in the partnership are offered on the public report form. Earlier police.uk imports created an
 * area for every local authority a border row named, with a code made up from its name ("LA-…"):
 * those neighbours are marked outside the partnership so they leave the public form at once; an
 * administrator can correct any area on the areas page.
 */
export default statements(
  `alter table areas add column in_partnership boolean not null default true`,
  `alter table areas add column population integer check (population >= 0)`,
  `update areas set in_partnership = false where code like 'LA-%'`,
)
