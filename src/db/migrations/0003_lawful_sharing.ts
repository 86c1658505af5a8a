import { statements } from '../migration.ts'

// Lawful sharing and read-only break glass (issue 14). The facts stay plain columns on
// record_shares and break_glass, so the row-level security policies can state the same rule as
// decide() (docs/security.md, "Need-to-know rule").
export default statements(
  // Oversight bodies (the panel, the commissioner's office) hold no personal data and receive no shares.
  `alter table agencies add column holds_personal_data boolean not null default true`,
  `update agencies set holds_personal_data = false where kind = 'oversight'`,
  // The terms of a share. Shares made before this migration have none recorded; the register shows them.
  `alter table record_shares
     add column purpose text,
     add column legal_basis text check (legal_basis in ('children_act_1989_s17','children_act_1989_s47','crime_and_disorder_act_1998_s115',
                                                        'dpa_2018_sch8_safeguarding','working_together_2023','consent')),
     add column review_on date,
     add column expires_at timestamptz,
     add column revoked_by uuid references users(id),
     add column revoke_reason text`,
  // A share gives access while it is neither revoked nor past its expiry: the one definition every query uses.
  `create view live_record_shares as
     select * from record_shares where revoked_at is null and (expires_at is null or expires_at > now())`,
  `alter table break_glass
     add column owner_agency_id uuid references agencies(id),
     add column reviewed_by uuid references users(id),
     add column reviewed_at timestamptz,
     add column review_outcome text check (review_outcome in ('appropriate','not_appropriate')),
     add column review_note text,
     add constraint break_glass_review_complete check ((reviewed_at is null) = (review_outcome is null) and (reviewed_at is null) = (reviewed_by is null))`,
  `create index break_glass_owner on break_glass (owner_agency_id, granted_at desc)`,
  `create index break_glass_unreviewed on break_glass (granted_at desc) where reviewed_at is null`,
  // Someone who finds that another agency may hold a record asks it for access; the owner decides.
  `create table access_requests (
     id uuid primary key default gen_random_uuid(),
     record_type text not null,
     record_id uuid not null,
     owner_agency_id uuid not null references agencies(id),
     requested_by uuid not null references users(id),
     requester_agency_id uuid not null references agencies(id),
     purpose text not null,
     legal_basis text not null check (legal_basis in ('children_act_1989_s17','children_act_1989_s47','crime_and_disorder_act_1998_s115',
                                                      'dpa_2018_sch8_safeguarding','working_together_2023','consent')),
     requested_at timestamptz not null default now(),
     status text not null default 'pending' check (status in ('pending','accepted','declined')),
     decided_by uuid references users(id),
     decided_at timestamptz,
     decline_reason text,
     share_id uuid references record_shares(id),
     check ((status = 'pending') = (decided_at is null)),
     check (status <> 'declined' or decline_reason is not null),
     check (status <> 'accepted' or share_id is not null)
   )`,
  `create index access_requests_owner_pending on access_requests (owner_agency_id, requested_at) where status = 'pending'`,
  `create index access_requests_requester on access_requests (requested_by, requested_at desc)`,
  `create unique index access_requests_one_pending on access_requests (record_type, record_id, requested_by) where status = 'pending'`,
)
