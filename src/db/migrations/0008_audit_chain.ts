import { statements } from '../migration.ts'

/**
 * The audit trail becomes a hash chain, and names the API token an event was made with.
 *
 * Each row's `hash` is SHA-256 (hex) of the previous row's hash followed by the row's canonical
 * content (`audit_event_content`); `chain_seq` is its place in the chain. The first row's
 * previous hash is the genesis, 64 zeros. Rows written before this migration are chained here, in
 * id order, as the first links after the genesis. `lantern audit verify` recomputes the chain.
 *
 * Appends are serialised by the single row of `audit_chain_head` (the last place and hash): the
 * insert trigger updates it, so a second transaction writing an event waits for the first to
 * commit or roll back. Its row lock is what orders the chain, not the id sequence, which
 * concurrent transactions draw in any order. The trigger is SECURITY DEFINER, so the
 * application's role needs no right on the head, and it overwrites any `chain_seq` or `hash` an
 * insert supplies.
 *
 * A column added to audit_events later must be added to audit_event_content too (in a migration
 * that keeps old rows' content as it was), or it is not covered by the chain.
 */
export default statements(
  `alter table audit_events add column token_id uuid, add column token_name text, add column chain_seq bigint, add column hash text`,
  `create function audit_event_content(e audit_events) returns text language sql stable
   set search_path = pg_catalog, public as $$
     select jsonb_build_array(
       e.id, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.user_id, e.user_email, e.agency_id,
       e.action, e.record_type, e.record_id, e.request_id, e.method, e.path, e.reason, e.details, e.token_id, e.token_name
     )::text
   $$`,
  `create table audit_chain_head (
     only_row boolean primary key default true check (only_row),
     seq bigint not null,
     hash text not null check (hash ~ '^[0-9a-f]{64}$')
   )`,
  `alter table audit_events disable trigger audit_events_no_update_delete`,
  `do $$
   declare
     e audit_events;
     n bigint := 0;
     h text := repeat('0', 64);
   begin
     for e in select * from audit_events order by id loop
       n := n + 1;
       h := encode(sha256(convert_to(h || audit_event_content(e), 'UTF8')), 'hex');
       update audit_events set chain_seq = n, hash = h where id = e.id;
     end loop;
     insert into audit_chain_head (seq, hash) values (n, h);
   end
   $$`,
  `alter table audit_events enable trigger audit_events_no_update_delete`,
  `alter table audit_events alter column chain_seq set not null, alter column hash set not null`,
  `create unique index audit_events_chain_seq on audit_events (chain_seq)`,
  `create function audit_events_chain() returns trigger language plpgsql security definer
   set search_path = pg_catalog, public as $$
   declare
     content text := audit_event_content(new);
   begin
     update audit_chain_head
        set seq = seq + 1, hash = encode(sha256(convert_to(hash || content, 'UTF8')), 'hex')
      returning seq, hash into new.chain_seq, new.hash;
     return new;
   end
   $$`,
  `create trigger audit_events_chain before insert on audit_events for each row execute function audit_events_chain()`,
  // Where the application role exists already (migration 0700 ran first), it gets no rights here.
  `do $$ begin
     if exists (select 1 from pg_roles where rolname = 'lantern_app') then revoke all on audit_chain_head from lantern_app; end if;
   end $$`,
)
