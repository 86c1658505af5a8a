import type { DemoSeed } from '../../demo/context.ts'
import { daysAgo, demoAt, isoDate } from '../../demo/context.ts'
import { DemoEvents } from '../people/index.ts'
import { meetingHeldSummary } from './rules.ts'
import { plansStore, type NewMeeting } from './store.ts'
import type { Attendee } from './tables.ts'

/**
 * A MACE meeting about Kyle and Jayden, twelve days ago, that agreed to disrupt the JAY line (a
 * warning notice, the cuckooed flat), and a strategy discussion about Kyle three weeks ago whose
 * safety plan visit, owned by his social worker, is now overdue: on the Willow Team's Home and on
 * Kyle's plan.
 */
export async function seedPlans(seed: DemoSeed) {
  const { db, refs, today } = seed
  const store = plansStore(db)
  const events = new DemoEvents()
  const day = (n: number) => isoDate(daysAgo(today, n))
  const who = (name: string, role: string, agency: string, attended = true): Attendee => ({ name, role, agencyId: refs.agencies[agency], attended })

  async function meeting(spec: Omit<NewMeeting, 'agencyId' | 'userId' | 'at' | 'heldOn'> & { daysAgo: number; by: string; agency: string }) {
    const at = demoAt(today, spec.daysAgo, '16:30')
    const id = await store.insertMeeting({ ...spec, heldOn: day(spec.daysAgo), agencyId: refs.agencies[spec.agency], userId: refs.users[spec.by], at })
    for (const personId of spec.subjectIds) {
      events.add({ personId, kind: 'plan-meeting', summary: meetingHeldSummary(spec.kind, day(spec.daysAgo), spec.chair), actorId: refs.users[spec.by], at, refType: 'plan_meeting', refId: id })
    }
    return id
  }

  const mace = await meeting({
    kind: 'mace',
    daysAgo: 12,
    chair: 'DI Sarah Collins',
    chairAgencyId: refs.agencies.police,
    subjectIds: [refs.people.kyle, refs.people.jayden],
    attendees: [
      who('DC Jo Harris', 'MET team', 'police'),
      who('Sam Okafor', 'Social worker, Willow Team', 'county'),
      who('Priya Natarajan', 'Team manager, Willow Team', 'county'),
      who('Hannah Evans', 'Safeguarding nurse', 'nhs', false),
    ],
    decisions:
      'Kyle and Jayden are both linked to the JAY line, run from Lambeth into Havant and Portsmouth. Agreed: disrupt the line through the adults around it, ' +
      'protect the cuckooed flat in Leigh Park, and review both children’s risk at the next MACE in four weeks.',
    by: 'officer',
    agency: 'police',
  })
  await store.insertAction({ meeting_id: mace, description: 'Serve a Child Abduction Warning Notice on the JAY line’s holder in respect of Kyle', owner_user_id: refs.users.officer, due_on: day(-9), target_entity_id: refs.network?.jayLine ?? null, created_by: refs.users.officer })
  await store.insertAction({ meeting_id: mace, description: 'Visit Gary Pike at the flat in Leigh Park with housing and agree a closure order application', owner_agency_id: refs.agencies.havant, due_on: day(-16), target_entity_id: refs.network?.garyFlat ?? null, created_by: refs.users.officer })
  await store.insertAction({ meeting_id: mace, description: 'Share Jayden’s placement details with the Southampton MET team', owner_user_id: refs.users.practitioner, due_on: day(8), status: 'done', closed_at: demoAt(today, 9, '11:00'), closed_by: refs.users.practitioner, created_by: refs.users.officer })

  const strategy = await meeting({
    kind: 'strategy',
    daysAgo: 21,
    chair: 'Priya Natarajan',
    chairAgencyId: refs.agencies.county,
    subjectIds: [refs.people.kyle],
    attendees: [who('Priya Natarajan', 'Team manager, Willow Team', 'county'), who('Sam Okafor', 'Social worker, Willow Team', 'county'), who('DC Jo Harris', 'MET team', 'police')],
    decisions: 'Section 47 enquiry to continue. Kyle’s safety plan to be agreed with him and his mother at home; police to flag the address.',
    by: 'manager',
    agency: 'county',
  })
  await store.insertAction({ meeting_id: strategy, description: 'Agree Kyle’s safety plan with him and his mother at home', owner_user_id: refs.users.practitioner, due_on: day(5), created_by: refs.users.manager })
  await store.insertAction({ meeting_id: strategy, description: 'Flag Kyle’s home address on police systems', owner_user_id: refs.users.officer, due_on: day(18), status: 'done', closed_at: demoAt(today, 19, '09:15'), closed_by: refs.users.officer, created_by: refs.users.manager })
  await events.flush(db)
}
