import { statements } from '../migration.ts'

/**
 * An episode recorded in error is voided, never deleted: it keeps every field, gains who voided it,
 * when and why, and is left out of every count. Once voided it is frozen: the database refuses any
 * change to it except the person it belongs to moving (a merge) or that person changing hands,
 * so no path (a form, the API, a script) can quietly edit or un-void it.
 *
 * `lantern_keep_voided` is shared with NRM referrals (0171), which sorts after this file.
 */
export default statements(
  `alter table missing_episodes
     add column voided_at timestamptz,
     add column voided_by uuid references users(id),
     add column void_reason text check (void_reason is null or length(void_reason) between 1 and 1000)`,
  `alter table missing_episodes add constraint missing_episodes_void_whole
     check ((voided_at is null) = (voided_by is null) and (voided_at is null) = (void_reason is null))`,
  `create or replace function lantern_keep_voided() returns trigger language plpgsql as $$
     begin
       if (to_jsonb(new) - 'person_id' - 'person_owner_agency_id') is distinct from (to_jsonb(old) - 'person_id' - 'person_owner_agency_id') then
         raise exception 'a voided % cannot be changed', tg_table_name using errcode = 'check_violation';
       end if;
       return new;
     end $$`,
  `create trigger missing_episodes_keep_voided before update on missing_episodes
     for each row when (old.voided_at is not null) execute function lantern_keep_voided()`,
)
