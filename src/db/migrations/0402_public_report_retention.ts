import { statements } from '../migration.ts'

/**
 * Retention of reports from the public (see docs/public.md, "Retention").
 *
 * A closed report is deleted by `lantern retention apply` once its retention period has passed.
 * `public_reports` refuses updates (0400), so nothing here touches its rows: a legal hold is part
 * of the staff's triage state, and what the indicators need of a deleted report, its month, area
 * and channel, is kept as a count in `public_report_retained_counts`. That table names no report
 * and carries no time, so the anonymity guarantees of 0400 hold for it too.
 */
export default statements(
  `alter table public_report_triage
     add column legal_hold_reason text check (length(legal_hold_reason) between 1 and 1000),
     add column legal_hold_by uuid references users(id),
     add column legal_hold_at timestamptz,
     add constraint public_report_triage_legal_hold check ((legal_hold_reason is null) = (legal_hold_at is null))`,
  `alter table public_report_events drop constraint public_report_events_kind_check`,
  `alter table public_report_events add constraint public_report_events_kind_check
     check (kind in ('assigned','urgency','note','action','linked','unlinked','closed','reopened','hold_placed','hold_lifted'))`,
  `create index public_report_triage_closed_at on public_report_triage (closed_at) where status = 'closed'`,
  `create table public_report_retained_counts (
     month date not null check (month = date_trunc('month', month)::date),
     area_id uuid references areas(id),
     channel text not null check (channel in ('online','phone_101','crimestoppers','other')),
     reports integer not null check (reports > 0),
     constraint public_report_retained_counts_key unique nulls not distinct (month, area_id, channel)
   )`,
  // Counts only ever grow: a purge adds to them, nothing takes away from the published history.
  `create function public_report_retained_counts_grow_only() returns trigger language plpgsql as $$
   begin
     if tg_op = 'UPDATE' and new.month = old.month and new.area_id is not distinct from old.area_id
        and new.channel = old.channel and new.reports >= old.reports then
       return new;
     end if;
     raise exception 'retained report counts only grow: % is not allowed', tg_op using errcode = 'insufficient_privilege';
   end
   $$`,
  `create trigger public_report_retained_counts_grow_only before update or delete on public_report_retained_counts
     for each row execute function public_report_retained_counts_grow_only()`,
)
