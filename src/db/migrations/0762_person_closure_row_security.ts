import { statements } from '../migration.ts'

/**
 * Requests to close or reopen a record (0121) are part of the person's record: seen exactly where
 * the person is, as every table that hangs off a person (0701, 0760).
 */
const visible = `exists (select 1 from people p where p.id = person_id)`

export default statements(
  `alter table person_closure_requests enable row level security`,
  `alter table person_closure_requests force row level security`,
  `do $$ begin execute format('create policy person_closure_requests_owner on person_closure_requests to %I using (true) with check (true)', current_user); end $$`,
  `create policy person_closure_requests_need_to_know on person_closure_requests to lantern_app using (${visible}) with check (${visible})`,
)
