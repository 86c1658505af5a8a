import { rowSecurity, statements } from '../migration.ts'

/**
 * Need-to-know on merges of person records and the matcher's own tables (0300, 0302, 0304), as the
 * merge service allows them: a merge, what it moved, and a "not the same person" decision are seen
 * by whoever sees either record (the person's own policy decides), and a merge also by an agency
 * asked to agree to it, which may see only its own record until it agrees. An agreement is seen by
 * its agency and with its merge.
 *
 * "Asked to agree" reads the agreements as the owner (`lantern_merge_asks`, security definer): the
 * agreements' policy reads the merges, and a policy may not reach back into itself.
 *
 * The match index's change log is written by a trigger on people in every request that changes a
 * person, and read only by the index's sync, as the owner: the application role may insert and
 * nothing else. The match model (name frequencies) is read and written by that sync alone: a
 * policy for the owner only, so the application role reads no row.
 */
const eitherPerson = (a: string, b: string) => `exists (select 1 from people p where p.id = ${a}) or exists (select 1 from people p where p.id = ${b})`
const ownerOnly = (table: string) => [
  `alter table ${table} enable row level security`,
  `alter table ${table} force row level security`,
  `do $$ begin execute format('create policy ${table}_owner on ${table} to %I using (true) with check (true)', current_user); end $$`,
]

export default statements(
  `create function lantern_merge_asks(merge uuid) returns boolean language sql stable security definer set search_path = public as
     $$ select exists (select 1 from linkage_merge_agreements g where g.merge_id = merge and g.agency_id = lantern_agency()) $$`,
  `grant execute on function lantern_merge_asks(uuid) to lantern_app`,
  ...rowSecurity('linkage_merges', `${eitherPerson('survivor_id', 'merged_id')} or lantern_merge_asks(id)`),
  ...rowSecurity('linkage_merge_moves', `exists (select 1 from linkage_merges m where m.id = merge_id)`),
  ...rowSecurity('linkage_merge_agreements', `agency_id = (select lantern_agency()) or exists (select 1 from linkage_merges m where m.id = merge_id)`),
  ...rowSecurity('linkage_not_same', eitherPerson('person_a', 'person_b')),
  ...ownerOnly('linkage_entry_changes'),
  `create policy linkage_entry_changes_written on linkage_entry_changes for insert to lantern_app with check (true)`,
  ...ownerOnly('linkage_entry_model'),
)
