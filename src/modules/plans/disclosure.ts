import type { ModuleDeps, SubjectAccessPart } from '../types.ts'
import { meetingKindText } from './rules.ts'
import { plansStore } from './store.ts'

/**
 * The meetings a person was discussed at, for their subject access export: exactly the meetings
 * the requester's agency may open (every person discussed visible to it, as on the meeting page),
 * each with its actions and corrections. The other people discussed are counted, never named.
 */
export function plansSubjectAccess({ db }: ModuleDeps): SubjectAccessPart {
  const store = plansStore(db)
  return {
    section: 'planMeetings',
    title: 'Strategy discussions, MACE meetings and conferences',
    async read(person) {
      const [meetings, agencies] = await Promise.all([store.meetingsForDisclosure(person.id), store.agencyNames()])
      const agencyName = new Map(agencies.map((a) => [a.id, a.name]))
      return meetings.map(({ subject_ids, recorded_by_agency_id, attendees, actions: listed, changes, ...m }) => {
        const actions = listed ?? []
        return {
        ...m,
        created_at: m.created_at.toISOString(),
        kind: meetingKindText(m.kind),
        attendees: attendees.map((a) => ({ name: a.name, role: a.role, agency: a.agencyId ? (agencyName.get(a.agencyId) ?? 'Unknown agency') : null, attended: a.attended })),
        other_people_discussed: subject_ids.length - 1,
        corrections: changes ?? [],
        actions: actions.map(({ targets_another: _t, ...a }) => a),
        flags: [
          (subject_ids.length > 1 || actions.some((a) => a.targets_another)) && 'third_party',
          recorded_by_agency_id !== person.ownerAgencyId && 'other_agency',
          'free_text',
        ].filter((f): f is string => Boolean(f)),
        }
      })
    },
    census: (personId) => store.meetingsHeldAbout(personId),
  }
}
