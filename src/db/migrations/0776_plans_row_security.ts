import { rowSecurity, statements } from '../migration.ts'

/**
 * Need-to-know on multi-agency meetings (0180). A meeting is seen only by someone who may see every
 * person discussed at it, under the people table's own policy (owning agency, shares, break glass):
 * a user who may not see a child never learns that a meeting about them exists. An action is seen
 * exactly where its meeting is.
 */
const seesEverySubject = `(select lantern_holds('person:view'))
  and not exists (select 1 from unnest(subject_ids) as s(id) where not exists (select 1 from people p where p.id = s.id))`

export default statements(
  `alter table plan_actions add constraint plan_actions_target_entity_id_fkey foreign key (target_entity_id) references network_entities(id)`,
  ...rowSecurity('plan_meetings', seesEverySubject),
  ...rowSecurity('plan_actions', `exists (select 1 from plan_meetings m where m.id = meeting_id)`),
)
