import { rowSecurity, statements } from '../migration.ts'

/**
 * A member of the public may follow a public tracker item by e-mail, with no account: they give an
 * address, confirm it from the e-mail they are sent (double opt-in), and every message carries an
 * unsubscribe link. The token in those links is their only authority. Unsubscribing deletes the
 * row; an address never confirmed is deleted after 7 days.
 *
 * E-mail addresses are personal data: row-level security lets the application role at none of
 * these rows. The follow pages act on them as the owner (runAsOwner) once the token or the form
 * says which; the reminders job runs as the owner anyway.
 */
const ownerOnly = (table: string) => rowSecurity(table, 'false')

export default statements(
  `create table scrutiny_followers (
     id uuid primary key default gen_random_uuid(),
     item_id uuid not null references scrutiny_items(id),
     email text not null check (length(email) between 3 and 320),
     token text not null unique check (token ~ '^[A-Za-z0-9_-]{43}$'),
     confirmed_on date,
     requested_on date not null,
     -- The public entries already told about (ids of history, responses and evidence, and the
     -- due date of an overdue spell): what is new is what is not in here, whatever its clock says.
     seen jsonb not null default '{}'
   )`,
  `create unique index scrutiny_followers_item_email on scrutiny_followers (item_id, lower(email))`,
  `create table scrutiny_follower_messages (
     id uuid primary key default gen_random_uuid(),
     follower_id uuid not null references scrutiny_followers(id) on delete cascade,
     kind text not null check (kind in ('confirm', 'update')),
     subject text not null,
     body text not null,
     status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
     attempts integer not null default 0,
     transport text,
     last_error text,
     created_on date not null
   )`,
  ...ownerOnly('scrutiny_followers'),
  ...ownerOnly('scrutiny_follower_messages'),
)
