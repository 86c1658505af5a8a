import { statements } from '../migration.ts'

/**
 * The evidence log says only what someone recorded or what Lantern did. "How" is empty unless
 * someone said how (it defaulted to 'system', and the code filled in 'email' for sends and answers
 * nobody described). New entries: a reminder queued, a message Lantern could not send because no
 * e-mail server is configured, and an item becoming overdue. A change of due date keeps the old
 * date, the new one and the reason, so the public history shows a moved deadline in full.
 */
export default statements(
  `alter table scrutiny_evidence alter column channel drop not null`,
  `alter table scrutiny_evidence alter column channel drop default`,
  `alter table scrutiny_evidence drop constraint scrutiny_evidence_event_check`,
  `alter table scrutiny_evidence add constraint scrutiny_evidence_event_check
     check (event in ('made','sent','due_set','reminder_sent','response_received','answered','chased','note',
                      'reminder_queued','not_sent','became_overdue'))`,
  `alter table scrutiny_evidence add column previous_date date`,
  `alter table scrutiny_evidence add column new_date date`,
  `alter table scrutiny_evidence add column reason text`,
)
