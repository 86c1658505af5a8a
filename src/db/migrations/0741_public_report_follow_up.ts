import { rowSecurity, statements } from '../migration.ts'

/**
 * An optional, anonymous way back to a report: the reporter is shown a long random receipt once;
 * only its SHA-256 hash is kept. With it they can add information and read the questions staff
 * ask. Nothing here has a time of day: additions carry the date only, as reports do, and so do
 * questions (a question's time would date the reporter's visit that answered it). Staff asking a
 * question are audited as for any other act on a report.
 *
 * Row-level security: staff see and write these rows only with reports:triage, as the triage pages
 * do. The reporter has no account: the routes check the receipt and then read and write as the
 * owner (runAsOwner), the receipt being the reporter's only authority.
 */
const triage = `lantern_holds('reports:triage')`

const protect = (table: string) => rowSecurity(table, triage)

export default statements(
  `create table public_report_receipts (
     report_id uuid primary key references public_reports(id) on delete cascade,
     receipt_hash text not null unique check (receipt_hash ~ '^[0-9a-f]{64}$')
   )`,
  `create table public_report_questions (
     id uuid primary key default gen_random_uuid(),
     report_id uuid not null references public_reports(id) on delete cascade,
     text text not null check (length(text) between 1 and 2000),
     asked_on date not null,
     asked_by uuid not null references users(id)
   )`,
  `create index public_report_questions_report on public_report_questions (report_id)`,
  `create table public_report_additions (
     id uuid primary key default gen_random_uuid(),
     report_id uuid not null references public_reports(id) on delete cascade,
     position integer not null,
     text text not null check (length(text) between 1 and 5000),
     added_on date not null,
     unique (report_id, position)
   )`,
  ...protect('public_report_receipts'),
  ...protect('public_report_questions'),
  ...protect('public_report_additions'),
)
