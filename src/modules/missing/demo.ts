import type { DemoSeed } from '../../demo/context.ts'
import { DemoEvents } from '../people/index.ts'
import { demoAt } from '../../demo/context.ts'
import { foundOutOfArea, type Concern } from './rules.ts'
import { foundSummary, reportedSummary, rhiSummary } from './summaries.ts'
import type { FoundBy } from './tables.ts'
import { missingDemoStore } from './demo-store.ts'

type When = [daysAgo: number, time: string]

interface EpisodeSpec {
  missing: When
  found?: When
  /** ONS code of the area found in. */
  foundArea?: string
  location?: string
  foundBy?: FoundBy
  detail?: string
  concerns?: Concern[]
  notes?: string
  by: string
  rhiOffered?: When
  rhiHeld?: When
  rhiBy?: string
  rhiAgency?: string
  rhiNotes?: string
  declined?: boolean
}

/**
 * Missing episodes: Kyle found in Portsmouth with drugs and cash; Jayden, placed in Southampton,
 * missing again and again and found in Havant, his last return-home interview overdue; and episodes
 * across the caseload, most found within a day and interviewed within 72 hours.
 */
export async function seedMissing(seed: DemoSeed) {
  const { db, refs, today, random } = seed
  const store = missingDemoStore(db)
  const byId = new Map((await store.people()).map((p) => [p.id, p]))
  const areaNames = await store.areaNames()
  const events = new DemoEvents()
  const at = (w: When | undefined) => (w ? demoAt(today, w[0], w[1]) : null)

  async function episode(personId: string, e: EpisodeSpec) {
    const person = byId.get(personId)!
    const foundAreaId = e.foundArea ? refs.areas[e.foundArea] : null
    const outOfArea = foundOutOfArea(foundAreaId, person)
    const [missingAt, foundAt, offeredAt, heldAt] = [at(e.missing), at(e.found), at(e.rhiOffered), at(e.rhiHeld)]
    const row = await store.insertEpisode({
      person_id: personId,
      reported_missing_at: missingAt!,
      missing_from_area_id: person.current_area_id,
      police_reference: `44${random.digits(6)}`,
      found_at: foundAt,
      found_area_id: foundAreaId,
      found_location: e.location ?? null,
      found_out_of_area: outOfArea,
      found_by: foundAt ? (e.foundBy ?? 'police') : null,
      found_by_detail: e.detail ?? null,
      concerns: JSON.stringify(e.concerns ?? []),
      notes: e.notes ?? null,
      rhi_offered_at: offeredAt,
      rhi_held_at: heldAt,
      rhi_held_by: e.rhiBy ?? (heldAt ? 'Sam Okafor, social worker' : null),
      rhi_agency_id: heldAt || offeredAt ? refs.agencies[e.rhiAgency ?? 'county'] : null,
      rhi_declined: e.declined ?? false,
      rhi_notes: e.rhiNotes ?? null,
      created_by: refs.users[e.by],
      created_at: missingAt!,
      updated_by: refs.users[e.by],
      updated_at: heldAt ?? foundAt ?? missingAt!,
      version: 1 + (foundAt ? 1 : 0) + (heldAt || offeredAt ? 1 : 0),
    })
    const ref = { refType: 'missing_episode', refId: row.id }
    events.add({ personId, kind: 'missing-reported', summary: reportedSummary(missingAt!), actorId: refs.users[e.by], at: missingAt!, ...ref })
    if (foundAt) {
      events.add({ personId, kind: 'missing-found', summary: foundSummary({ foundAt, foundBy: e.foundBy ?? 'police' }, areaNames.get(foundAreaId!), outOfArea), actorId: refs.users[e.by], at: foundAt, ...ref })
    }
    const rhiAt = heldAt ?? (e.declined ? (offeredAt ?? foundAt) : offeredAt)
    if (rhiAt) {
      const summary = rhiSummary({ heldAt, heldBy: e.rhiBy ?? 'Sam Okafor, social worker', offeredAt, declined: !heldAt && Boolean(e.declined) }, false)
      events.add({ personId, kind: 'return-home-interview', summary, actorId: refs.users[e.by], at: rhiAt, ...ref })
    }
  }

  const p = refs.people
  // Kyle: missing from Havant three times; the last, found in Portsmouth with drugs and cash.
  await episode(p.kyle, { missing: [95, '22:10'], found: [94, '07:30'], foundArea: 'E07000090', location: 'A friend’s house, Leigh Park', foundBy: 'returned_themselves', by: 'practitioner', rhiHeld: [93, '16:00'], rhiNotes: 'Said he stayed with a friend. Would not say who drove him home.' })
  await episode(p.kyle, { missing: [60, '19:45'], found: [59, '11:20'], foundArea: 'E07000090', location: 'Havant bus station', foundBy: 'parent_or_carer', detail: 'His mum', concerns: ['phones'], by: 'practitioner', rhiHeld: [58, '15:00'] })
  await episode(p.kyle, {
    missing: [24, '18:40'],
    found: [23, '02:15'],
    foundArea: 'E06000044',
    location: 'Flat on Somers Road, Southsea',
    foundBy: 'police',
    detail: 'PC Mark Doyle, on a warrant at the address',
    concerns: ['drugs', 'cash', 'phones', 'with_adults', 'trap_house'],
    notes: '14 wraps of crack cocaine and £420 in cash. Two adults at the address arrested.',
    by: 'officer',
    rhiOffered: [23, '10:00'],
    rhiHeld: [22, '14:30'],
    rhiNotes: 'Kyle said he owed money to “Jay” after a bag was taken from him, and was told to work it off.',
  })
  // Jayden: placed in Southampton by Lambeth, missing again and again and found in Havant.
  const jaydenEpisodes: [number, number, string, string][] = [
    [80, 79, 'E07000090', 'Leigh Park'],
    [62, 61, 'E06000045', 'Southampton Central station'],
    [45, 44, 'E07000090', 'A flat in Leigh Park used for dealing'],
    [30, 29, 'E07000090', 'Havant railway station'],
    [12, 11, 'E06000044', 'Commercial Road, Portsmouth'],
  ]
  for (const [m, f, area, location] of jaydenEpisodes) {
    await episode(p.jayden, { missing: [m, '21:00'], found: [f, '16:30'], foundArea: area, location, foundBy: 'police', concerns: area === 'E06000045' ? [] : ['with_adults', 'travel'], by: 'officer', rhiHeld: [f - 2, '11:00'], rhiBy: 'Lee Grant, independent return home interviewer', rhiAgency: 'county' })
  }
  await episode(p.jayden, {
    missing: [6, '21:30'],
    found: [5, '14:30'],
    foundArea: 'E07000090',
    location: 'Park Parade, Leigh Park',
    foundBy: 'police',
    concerns: ['drugs', 'with_adults', 'trap_house'],
    notes: 'Found at the same flat as in October. Placement informed.',
    by: 'officer',
    rhiOffered: [4, '10:00'],
  })
  // Ellie came home by herself once; the interview was held.
  await episode(p.ellie, { missing: [50, '20:00'], found: [50, '23:40'], foundArea: 'E07000088', location: 'Home', foundBy: 'returned_themselves', by: 'practitioner', rhiHeld: [48, '16:00'], rhiNotes: 'Was at the park with older teenagers; said she lost track of time.' })
  // Mason, long ago, before the risk came down.
  await episode(p.mason, { missing: [190, '23:00'], found: [189, '09:00'], foundArea: 'E06000044', foundBy: 'police', concerns: ['drugs'], by: 'officer', rhiHeld: [188, '13:00'], rhiBy: 'DC Jo Harris', rhiAgency: 'police' })

  // The wider caseload: more episodes for higher risk; one child missing now.
  const county = ['E07000084', 'E07000085', 'E07000086', 'E07000087', 'E07000088', 'E07000089', 'E07000090', 'E07000091', 'E07000092', 'E07000093', 'E07000094', 'E06000044', 'E06000045', 'E06000046']
  const risk = refs.crowdRisk ?? {}
  let stillMissing = 1
  for (let i = 1; i <= 48; i++) {
    const key = `child${i}`
    const personId = p[key]
    if (!personId) continue
    const person = byId.get(personId)!
    const profile = risk[key] ?? 'green'
    if (profile === 'red' && stillMissing > 0) {
      // Missing now: reported yesterday evening, not yet found.
      await episode(personId, { missing: [1, '19:30'], by: 'officer2', notes: 'Left the placement after a phone call; believed to be in Portsmouth.' })
      stillMissing--
    }
    const n = profile === 'red' ? random.int(2, 5) : profile === 'amber' ? random.int(0, 3) : random.chance(0.25) ? 1 : 0
    const days = Array.from({ length: n }, () => random.int(6, 200)).sort((a, b) => b - a)
    const home = Object.entries(refs.areas).find(([, id]) => id === person.current_area_id)?.[0] ?? 'E07000090'
    for (const d of days) {
      const away = random.chance(profile === 'red' ? 0.45 : 0.15)
      const foundArea = away ? random.pick(county.filter((c) => c !== home)) : home
      const concerns: Concern[] = profile === 'green' ? [] : random.shuffle(['drugs', 'cash', 'phones', 'with_adults', 'travel'] as Concern[]).slice(0, random.int(0, profile === 'red' ? 3 : 1))
      // Missing in the evening, found the next morning; the interview offered that afternoon and
      // mostly held within 72 hours.
      const rhi = random.weighted<'held' | 'late' | 'declined'>([
        ['held', 85],
        ['late', 10],
        ['declined', 5],
      ])
      await episode(personId, {
        missing: [d, `${random.int(17, 23)}:${random.pick(['00', '15', '30', '45'])}`],
        found: [d - 1, `${random.int(6, 11)}:${random.pick(['00', '20', '40'])}`],
        foundArea,
        foundBy: random.pick(['police', 'police', 'parent_or_carer', 'returned_themselves'] as FoundBy[]),
        concerns,
        by: random.pick(['officer', 'officer2', 'practitioner']),
        rhiOffered: [d - 1, '14:00'],
        rhiHeld: rhi === 'held' ? [d - 1 - random.int(1, 2), '15:00'] : rhi === 'late' ? [d - 5, '15:00'] : undefined,
        declined: rhi === 'declined',
      })
    }
  }
  await events.flush(db)
}
