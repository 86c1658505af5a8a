import { statements } from '../migration.ts'

/**
 * Concerns reported by the public, their triage by partnership staff, and the editable public
 * information pages.
 *
 * Anonymity is structural: `public_reports` has no timestamp column at all (only the day it was
 * received), no address, user agent or cookie column, and its rows cannot be updated, so the text
 * stays exactly as submitted. Everything staff add (assignment, urgency, notes, actions, links,
 * closure) lives in separate tables with their own times and authors.
 */
export default statements(
  `create table public_report_imports (
     id uuid primary key default gen_random_uuid(),
     channel text not null check (channel in ('phone_101','crimestoppers','other')),
     file_name text not null,
     row_count integer not null check (row_count > 0),
     imported_by uuid not null references users(id),
     imported_at timestamptz not null default now()
   )`,
  `create table public_reports (
     id uuid primary key default gen_random_uuid(),
     reference text not null unique check (reference ~ '^[A-Z0-9]{4}-[A-Z0-9]{4}$'),
     journey_token text unique check (journey_token is null or length(journey_token) between 16 and 100),
     channel text not null check (channel in ('online','phone_101','crimestoppers','other')),
     external_reference text check (length(external_reference) <= 100),
     import_id uuid references public_report_imports(id),
     received_on date not null,
     what_happened text not null check (length(what_happened) between 1 and 5000),
     where_happened text check (length(where_happened) <= 1000),
     area_id uuid references areas(id),
     when_happened text check (when_happened in ('now','today','week','month','longer','ongoing')),
     when_detail text check (length(when_detail) <= 1000),
     who_involved text check (length(who_involved) <= 3000),
     child_at_risk text check (child_at_risk in ('yes','no','not_sure')),
     anything_else text check (length(anything_else) <= 5000),
     anonymous boolean not null,
     contact_name text check (length(contact_name) <= 200),
     contact_phone text check (length(contact_phone) <= 40),
     contact_email text check (length(contact_email) <= 320),
     check (not anonymous or (contact_name is null and contact_phone is null and contact_email is null)),
     check (channel <> 'online' or journey_token is not null),
     check (channel = 'online' or import_id is not null)
   )`,
  `create unique index public_reports_external_reference on public_reports (channel, external_reference) where external_reference is not null`,
  `create index public_reports_received_on on public_reports (received_on desc)`,
  `create index public_reports_area_received on public_reports (area_id, received_on)`,
  `create function public_reports_as_submitted() returns trigger language plpgsql as $$
   begin
     raise exception 'a public report is kept exactly as submitted: % is not allowed', tg_op using errcode = 'insufficient_privilege';
   end
   $$`,
  `create trigger public_reports_no_update before update on public_reports
     for each row execute function public_reports_as_submitted()`,
  `create table public_report_triage (
     report_id uuid primary key references public_reports(id) on delete cascade,
     status text not null default 'new' check (status in ('new','in_progress','closed')),
     urgency text check (urgency in ('immediate','high','medium','low')),
     assigned_to uuid references users(id),
     closed_at timestamptz,
     closed_by uuid references users(id),
     closing_summary text check (length(closing_summary) <= 2000),
     updated_at timestamptz not null default now(),
     updated_by uuid references users(id),
     check ((status = 'closed') = (closed_at is not null))
   )`,
  `create index public_report_triage_open on public_report_triage (status, urgency)`,
  `create index public_report_triage_assigned on public_report_triage (assigned_to) where status <> 'closed'`,
  `create table public_report_events (
     id bigint generated always as identity primary key,
     report_id uuid not null references public_reports(id) on delete cascade,
     kind text not null check (kind in ('assigned','urgency','note','action','linked','unlinked','closed','reopened')),
     user_id uuid references users(id),
     at timestamptz not null default now(),
     urgency text check (urgency in ('immediate','high','medium','low')),
     action text check (action in ('police_intelligence','safeguarding_referral','no_further_action','other')),
     note text check (length(note) <= 4000),
     details jsonb
   )`,
  `create index public_report_events_report on public_report_events (report_id, at)`,
  `create function public_report_events_append_only() returns trigger language plpgsql as $$
   begin
     raise exception 'the triage history is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
   end
   $$`,
  `create trigger public_report_events_no_update before update on public_report_events
     for each row execute function public_report_events_append_only()`,
  `create table public_report_links (
     id uuid primary key default gen_random_uuid(),
     report_id uuid not null references public_reports(id) on delete cascade,
     entity_type text not null check (entity_type ~ '^[a-z_]+$'),
     entity_id uuid not null,
     note text check (length(note) <= 1000),
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     removed_at timestamptz,
     removed_by uuid references users(id),
     removed_reason text check (length(removed_reason) <= 1000)
   )`,
  `create unique index public_report_links_active on public_report_links (report_id, entity_type, entity_id) where removed_at is null`,
  `create index public_report_links_entity on public_report_links (entity_type, entity_id) where removed_at is null`,
  `create table public_pages (
     id uuid primary key default gen_random_uuid(),
     path text not null unique check (path ~ '^/[a-z0-9-]+(/[a-z0-9-]+)?$'),
     section text not null check (section in ('signs','help')),
     sort_order integer not null default 100,
     current_version integer not null default 1 check (current_version >= 1),
     created_at timestamptz not null default now()
   )`,
  `create table public_page_versions (
     id uuid primary key default gen_random_uuid(),
     page_id uuid not null references public_pages(id),
     version integer not null check (version >= 1),
     title text not null check (length(title) between 1 and 200),
     summary text not null check (length(summary) <= 500),
     body text not null check (length(body) <= 50000),
     change_note text not null check (length(change_note) between 1 and 500),
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     unique (page_id, version)
   )`,
  `create function public_page_versions_kept() returns trigger language plpgsql as $$
   begin
     raise exception 'page versions are kept as history: % is not allowed', tg_op using errcode = 'insufficient_privilege';
   end
   $$`,
  `create trigger public_page_versions_no_change before update or delete on public_page_versions
     for each row execute function public_page_versions_kept()`,
)
