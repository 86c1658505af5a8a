import { statements } from '../migration.ts'

/**
 * The audit trail is partitioned by month of `at` (UTC), so that a region's billion rows a year
 * stay searchable and old months can be exported and detached (src/audit/archive.ts) instead of
 * growing one table for ever.
 *
 * The old table's rows move into the partitioned one unchanged, `id`, `chain_seq` and `hash`
 * included, with no trigger on the way: every link's content is what it was, so the hash chain of
 * migration 0008 goes on from its head. PostgreSQL before 17 has no identity column on a
 * partitioned table, so `id` is drawn from a sequence set past the last id. A unique index must
 * hold the partition key, so `chain_seq` is no longer unique by index: its trigger's lock on
 * the chain head keeps it unique, and `lantern audit verify` would name a repeated place.
 *
 * `audit_events_add_month` makes one month's partition; the migration makes every month that has
 * rows up to three months ahead, and the `audit.partitions` job keeps three months ahead after
 * that. Rows whose month has no partition (a wrong clock, a job runner stopped for months) go to
 * the default partition, so that writing the trail never fails.
 */
export default statements(
  `alter table audit_events rename to audit_events_unpartitioned`,
  `create table audit_events (
     id bigint not null,
     at timestamptz not null default now(),
     user_id uuid,
     user_email text,
     agency_id uuid,
     action text not null,
     record_type text,
     record_id text,
     request_id text,
     method text,
     path text,
     reason text,
     details jsonb,
     token_id uuid,
     token_name text,
     chain_seq bigint not null,
     hash text not null
   ) partition by range (at)`,
  `create table audit_events_default partition of audit_events default`,
  // The application role reaches the trail through its parent only; a partition made later would
  // otherwise get the default privileges of migration 0700, which include update and delete.
  `create function audit_events_add_month(month date) returns boolean language plpgsql
   set search_path = pg_catalog, public as $$
   declare
     first date := date_trunc('month', month)::date;
     name text := 'audit_events_' || to_char(first, 'YYYY_MM');
   begin
     if to_regclass('public.' || name) is not null or exists (select 1 from audit_archives a where a.month = first) then return false; end if;
     if exists (select 1 from audit_events_default d where d.at >= (first::text || ' 00:00:00+00')::timestamptz
                  and d.at < ((first + interval '1 month')::date::text || ' 00:00:00+00')::timestamptz) then
       raise warning 'the audit month % has rows in the default partition: they stay there', to_char(first, 'YYYY-MM');
       return false;
     end if;
     execute format('create table public.%I partition of public.audit_events for values from (%L) to (%L)', name,
       first::text || ' 00:00:00+00', (first + interval '1 month')::date::text || ' 00:00:00+00');
     if exists (select 1 from pg_roles where rolname = 'lantern_app') then execute format('revoke all on public.%I from lantern_app', name); end if;
     return true;
   end
   $$`,
  // What was exported and detached, and the links of detached months that `lantern audit verify`
  // still needs: the one before the first attached place, and any a month boundary interleaved.
  `create table audit_archives (
     month date primary key,
     table_name text not null,
     rows bigint not null,
     first_seq bigint,
     last_seq bigint,
     -- The first place still attached once the month was detached: the verifier starts there.
     attached_from bigint not null,
     file_name text not null,
     file_sha256 text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
     archived_at timestamptz not null default now(),
     archived_by text
   )`,
  `create table audit_archived_links (
     chain_seq bigint primary key,
     hash text not null
   )`,
  `do $$
   declare
     m date;
     last date := (date_trunc('month', now()) + interval '3 months')::date;
   begin
     m := coalesce((select date_trunc('month', min(at) at time zone 'UTC')::date from audit_events_unpartitioned), date_trunc('month', now())::date);
     while m <= last loop
       perform audit_events_add_month(m);
       m := (m + interval '1 month')::date;
     end loop;
   end
   $$`,
  `insert into audit_events (id, at, user_id, user_email, agency_id, action, record_type, record_id, request_id, method, path, reason, details, token_id, token_name, chain_seq, hash)
   select id, at, user_id, user_email, agency_id, action, record_type, record_id, request_id, method, path, reason, details, token_id, token_name, chain_seq, hash
     from audit_events_unpartitioned`,
  `drop function audit_event_content(audit_events_unpartitioned)`,
  `drop table audit_events_unpartitioned`,
  `create sequence audit_events_id_seq owned by audit_events.id`,
  `select setval('audit_events_id_seq', coalesce((select max(id) from audit_events), 0) + 1, false)`,
  `alter table audit_events alter column id set default nextval('audit_events_id_seq')`,
  // The same canonical content as migration 0008's, over the new row type.
  `create function audit_event_content(e audit_events) returns text language sql stable
   set search_path = pg_catalog, public as $$
     select jsonb_build_array(
       e.id, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.user_id, e.user_email, e.agency_id,
       e.action, e.record_type, e.record_id, e.request_id, e.method, e.path, e.reason, e.details, e.token_id, e.token_name
     )::text
   $$`,
  // The trigger runs on the partition, whose row type is its own: the row is cast to the parent's.
  `create or replace function audit_events_chain() returns trigger language plpgsql security definer
   set search_path = pg_catalog, public as $$
   declare
     content text := audit_event_content(row(new.*)::audit_events);
   begin
     update audit_chain_head
        set seq = seq + 1, hash = encode(sha256(convert_to(hash || content, 'UTF8')), 'hex')
      returning seq, hash into new.chain_seq, new.hash;
     return new;
   end
   $$`,
  `alter table audit_events add primary key (id, at)`,
  // The admin search's orders and filters (src/audit/store.ts), each answered by one index.
  `create index audit_events_at on audit_events (at desc, id desc)`,
  `create index audit_events_record on audit_events (record_type, record_id, at desc)`,
  `create index audit_events_user on audit_events (user_id, at desc)`,
  `create index audit_events_user_email on audit_events (lower(user_email) text_pattern_ops, at desc)`,
  `create index audit_events_action on audit_events (action, at desc)`,
  `create index audit_events_chain_seq on audit_events (chain_seq)`,
  `create trigger audit_events_no_update_delete before update or delete on audit_events
     for each row execute function audit_events_append_only()`,
  `create trigger audit_events_no_truncate before truncate on audit_events
     for each statement execute function audit_events_append_only()`,
  `create trigger audit_events_chain before insert on audit_events for each row execute function audit_events_chain()`,
  `do $$ begin
     if exists (select 1 from pg_roles where rolname = 'lantern_app') then
       revoke all on audit_events, audit_archives, audit_archived_links from lantern_app;
       grant select, insert on audit_events to lantern_app;
       grant usage on sequence audit_events_id_seq to lantern_app;
       revoke all on audit_events_default from lantern_app;
     end if;
   end $$`,
)
