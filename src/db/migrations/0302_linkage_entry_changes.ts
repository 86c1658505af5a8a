import { statements } from '../migration.ts'

/**
 * Which people changed, for the duplicate check's match index: every Lantern instance keeps one in
 * memory and, on each check, asks for the people changed since it last looked and updates its
 * index in place instead of rebuilding it.
 *
 * Rows are written by triggers on everything the index reads (a person's names, date of birth and
 * sex; their addresses; their identifiers), so every way of changing them is covered: the people
 * pages, merges and unmerges, imports, seeds. Each row carries the id of the transaction that wrote
 * it; a reader keeps the snapshot it last read at and asks for rows its snapshot did not see, so a
 * transaction that commits after a later one is still found (a sequence number would skip it).
 * No foreign key: the row of a deleted person must still be written. Rows older than a day are
 * pruned by the instances; an instance that has not looked for that long rebuilds its index.
 */
export default statements(
  `create table linkage_entry_changes (
     id bigint generated always as identity primary key,
     person_id uuid not null,
     txid xid8 not null default pg_current_xact_id(),
     at timestamptz not null default clock_timestamp()
   )`,
  `create index linkage_entry_changes_txid on linkage_entry_changes (txid)`,
  `create index linkage_entry_changes_at on linkage_entry_changes (at)`,
  `create function linkage_entry_people_changed() returns trigger language plpgsql as $$
   begin
     if tg_op = 'INSERT' then
       insert into linkage_entry_changes (person_id) select distinct id from new_rows;
     elsif tg_op = 'DELETE' then
       insert into linkage_entry_changes (person_id) select distinct id from old_rows;
     else
       -- Only what the index reads: a new risk rating or review date changes nothing there.
       insert into linkage_entry_changes (person_id)
         select distinct n.id from new_rows n join old_rows o on o.id = n.id
          where (n.given_name, n.family_name, n.date_of_birth, n.gender) is distinct from (o.given_name, o.family_name, o.date_of_birth, o.gender);
     end if;
     return null;
   end $$`,
  `create function linkage_entry_details_changed() returns trigger language plpgsql as $$
   begin
     if tg_op = 'INSERT' then
       insert into linkage_entry_changes (person_id) select distinct person_id from new_rows;
     elsif tg_op = 'DELETE' then
       insert into linkage_entry_changes (person_id) select distinct person_id from old_rows;
     else
       insert into linkage_entry_changes (person_id) select person_id from new_rows union select person_id from old_rows;
     end if;
     return null;
   end $$`,
  `create trigger linkage_entry_insert after insert on people referencing new table as new_rows for each statement execute function linkage_entry_people_changed()`,
  `create trigger linkage_entry_update after update on people referencing old table as old_rows new table as new_rows for each statement execute function linkage_entry_people_changed()`,
  `create trigger linkage_entry_delete after delete on people referencing old table as old_rows for each statement execute function linkage_entry_people_changed()`,
  `create trigger linkage_entry_insert after insert on person_addresses referencing new table as new_rows for each statement execute function linkage_entry_details_changed()`,
  `create trigger linkage_entry_update after update on person_addresses referencing old table as old_rows new table as new_rows for each statement execute function linkage_entry_details_changed()`,
  `create trigger linkage_entry_delete after delete on person_addresses referencing old table as old_rows for each statement execute function linkage_entry_details_changed()`,
  `create trigger linkage_entry_insert after insert on person_identifiers referencing new table as new_rows for each statement execute function linkage_entry_details_changed()`,
  `create trigger linkage_entry_update after update on person_identifiers referencing old table as old_rows new table as new_rows for each statement execute function linkage_entry_details_changed()`,
  `create trigger linkage_entry_delete after delete on person_identifiers referencing old table as old_rows for each statement execute function linkage_entry_details_changed()`,
)
