import { statements } from '../migration.ts'

/**
 * The indicators' inputs counter (migration 0850) moved at commit, once per transaction.
 *
 * Two rows are locked until commit by writers: the audit chain's head (every audit event, 0800)
 * and this counter (every change to what a judgement reads). 0850 moved the counter at each
 * write, so a transaction that audited and then wrote an input, beside one that wrote an input and
 * then audited, held one row each and waited for the other's: a deadlock, one of them cancelled.
 * Services happened to write before auditing; nothing made them.
 *
 * Now a write to an input only marks its transaction (a row in `indicator_input_marks`, no shared
 * lock), and a deferred trigger on the mark moves the counter as the transaction commits, after
 * every statement of it, so the counter is always the last row a transaction locks and it holds it
 * for the commit alone: nothing that holds it then waits for the chain head. The counter still
 * moves in the same transaction as the change (a judgement kept under the new number is of the new
 * data), and a long job that writes inputs (the derived series) no longer holds it for its whole run.
 */
export default statements(
  `create table indicator_input_marks (
     id bigint generated always as identity primary key
   )`,
  `alter table indicator_input_marks enable row level security`,
  `alter table indicator_input_marks force row level security`,
  `do $$ begin execute format('create policy indicator_input_marks_owner on indicator_input_marks to %I using (true) with check (true)', current_user); end $$`,
  // A setting local to the transaction says it is marked already (a rolled-back savepoint takes
  // the setting and its mark back together).
  `create or replace function lantern_indicator_inputs_changed() returns trigger language plpgsql security definer set search_path = public as $$
     begin
       if current_setting('lantern.indicator_inputs_marked', true) is distinct from 'on' then
         perform set_config('lantern.indicator_inputs_marked', 'on', true);
         insert into indicator_input_marks default values;
       end if;
       return null;
     end $$`,
  `create function lantern_indicator_inputs_commit() returns trigger language plpgsql security definer set search_path = public as $$
     begin
       update indicator_inputs set version = version + 1;
       delete from indicator_input_marks where id = new.id;
       return null;
     end $$`,
  `create constraint trigger indicator_input_marks_commit after insert on indicator_input_marks
     deferrable initially deferred for each row execute function lantern_indicator_inputs_commit()`,
)
