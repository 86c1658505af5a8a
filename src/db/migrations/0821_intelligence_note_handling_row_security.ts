import { statements } from '../migration.ts'

/**
 * Need-to-know by handling code on intelligence notes (grades of migration 0221). A C-coded note
 * is read by its author's agency and by the agencies listed as meeting its conditions, and by no
 * one else, as a C-coded network link is; on top of the person's own need-to-know and the
 * police-only marking (migration 0760). The note's "note added" event on the person's timeline is
 * seen exactly where the note is, so that nobody learns that a note they may not read exists.
 */
const viewer = `(select lantern_viewer())`
const agency = `(select lantern_agency())`
const holds = (permission: string) => `(select lantern_holds('${permission}'))`
const policeCleared = `(select lantern_agency_kind()) = 'police'`
const seesPerson = `${holds('person:view')} and (person_owner_agency_id = ${agency}
     or person_id in (select s.record_id from live_record_shares s where s.record_type = 'person' and (s.agency_id = ${agency} or s.user_id = ${viewer}))
     or person_id in (select g.record_id from break_glass g where g.record_type = 'person' and g.user_id = ${viewer} and g.expires_at > now() and ${holds('break-glass')}))`

const note = `${seesPerson} and (sensitivity <> 'police_only' or ${policeCleared})
     and (grade_handling is distinct from 'C' or author_agency_id = ${agency} or ${agency} = any(handling_agency_ids))`
const event = `${seesPerson} and (not police_only or ${policeCleared})
     and (ref_type is distinct from 'network_link' or exists (select 1 from network_links l where l.id = ref_id))
     and (ref_type is distinct from 'person_note' or exists (select 1 from person_notes n where n.id = ref_id))`

export default statements(
  `alter policy person_notes_need_to_know on person_notes using (${note}) with check (${note})`,
  `alter policy person_events_need_to_know on person_events using (${event}) with check (${event})`,
)
