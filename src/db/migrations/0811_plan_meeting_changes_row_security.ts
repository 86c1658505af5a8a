import { rowSecurity, statements } from '../migration.ts'

/**
 * Need-to-know on a meeting's history (0181): a change holds the meeting as it was, so it is seen
 * exactly where its meeting is (0776: by someone who may see every person discussed).
 */
export default statements(...rowSecurity('plan_meeting_changes', `exists (select 1 from plan_meetings m where m.id = meeting_id)`))
