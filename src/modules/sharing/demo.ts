import type { DemoSeed } from '../../demo/context.ts'
import { BREAK_GLASS_HOURS } from '../../access/service.ts'
import { sharingStore } from './store.ts'

/**
 * Lawful sharing in the story: the safeguarding nurse, who saw Ellie Turner at A&E, has asked the
 * council for her record and waits for an answer (sign in as practitioner@ or manager@ to answer
 * it); and a police officer read Tia Walsh's record on a justification two days ago, which the
 * council's manager sees and information governance reviews.
 */
export async function seedSharing({ db, refs }: DemoSeed) {
  const store = sharingStore(db)
  await store.insertRequest(db, {
    record_type: 'person',
    record_id: refs.people.ellie,
    owner_agency_id: refs.agencies.county,
    requested_by: refs.users.nurse,
    requester_agency_id: refs.agencies.nhs,
    purpose: 'Ellie came to A&E with an older male who would not give his name; we are planning her follow-up with the school nurse',
    legal_basis: 'dpa_2018_sch8_safeguarding',
  })
  // Break glass is a security timer on the real clock, so the justification is dated from the real now.
  await store.insertPastBreakGlass(
    {
      user_id: refs.users.officer2,
      record_type: 'person',
      record_id: refs.people.tia,
      owner_agency_id: refs.agencies.county,
      reason: 'Found with two older males at Fareham station late at night; checking for a missing-from-home report',
    },
    2,
    BREAK_GLASS_HOURS,
  )
}
