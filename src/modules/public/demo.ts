import type { DemoSeed } from '../../demo/context.ts'
import { isoDate } from '../../demo/context.ts'
import { publicDemoStore } from './demo-store.ts'
import type { ChildAtRisk, ReportChannel, TriageAction, Urgency, WhenHappened } from './tables.ts'

/**
 * What the public told the partnership over the last half year: the signs in DOMAIN.md, as
 * neighbours, hotel staff and drivers see them. Every report, place and person is invented.
 */
interface DemoReport {
  key: string
  days: number
  area: string | null
  channel: ReportChannel
  what: string
  where: string
  when?: WhenHappened
  whenDetail?: string
  who?: string
  child: ChildAtRisk
  more?: string
  contact?: { name: string; phone?: string; email?: string }
  ext?: string
  triage?: {
    by: string
    urgency?: Urgency
    notes?: string[]
    actions?: [TriageAction, string?][]
    closed?: string
  }
  /** Links to the demo's people and network: [kind, key in refs.people or refs.network, who linked it, why]. */
  links?: ['person' | 'location' | 'line', string, string, string][]
}

const HAVANT = 'E07000090'
const BASINGSTOKE = 'E07000084'

const REPORTS: DemoReport[] = [
  // The Havant flat: many visitors, reported by several neighbours over months, and a 101 call.
  {
    key: 'linden-1', days: 150, area: HAVANT, channel: 'online', child: 'not_sure', when: 'ongoing', whenDetail: 'Every evening for about two weeks',
    what: 'People keep coming to the ground-floor flat opposite me. Ten or more a night, different people each time, they knock, wait a minute and go. Nobody stays.',
    where: 'Ground-floor flat, Dunsbury Way, Leigh Park',
    triage: { by: 'manager', urgency: 'medium', actions: [['police_intelligence', 'Passed to the force intelligence bureau as a possible drug supply address.']], closed: 'Intelligence submitted; address flagged for the neighbourhood team.' },
  },
  {
    key: 'linden-2', days: 118, area: HAVANT, channel: 'online', child: 'yes', when: 'week', whenDetail: 'Tuesday and Thursday after school',
    what: 'Two lads, maybe 14 or 15, not from round here, answering the door at the flat in Dunsbury Way. They look tired and one had a cut on his face. Different visitors again, all hours.',
    where: 'Dunsbury Way, Leigh Park', who: 'Two boys, one tall with a grey tracksuit, one shorter with a black puffer jacket. London accents.',
    triage: { by: 'manager', urgency: 'high', notes: ['Possible children from out of area: checked with the MET team.'], actions: [['safeguarding_referral', 'Referral to children’s services: unknown children at an address of concern.'], ['police_intelligence', 'Shared with MET team for a welfare visit.']], closed: 'Welfare visit made; two children from Lambeth identified and returned home; strategy meeting held.' },
  },
  {
    key: 'linden-3', days: 80, area: HAVANT, channel: 'phone_101', child: 'not_sure', ext: '101-20260905-0412',
    what: 'Caller reports constant visitors to a neighbour’s flat in Dunsbury Way, Leigh Park; the tenant, an older man, has not been seen for weeks and the caller is worried about him.',
    where: 'Dunsbury Way, Leigh Park',
    triage: { by: 'manager', urgency: 'high', actions: [['safeguarding_referral', 'Adult safeguarding referral for the tenant (possible cuckooing).'], ['police_intelligence', 'Linked to the earlier reports about the same flat.']], closed: 'Tenant moved to safe accommodation by the housing provider; closure order being considered by the police.' },
    links: [
      ['person', 'gary', 'analyst', 'The tenant of the flat: Havant council’s adult at risk of cuckooing.'],
      ['location', 'garyFlat', 'analyst', 'The flat the neighbours describe.'],
    ],
  },
  {
    key: 'linden-4', days: 12, area: HAVANT, channel: 'online', child: 'not_sure', when: 'ongoing', whenDetail: 'Started again last week, mostly after 10pm',
    what: 'The visitors are back at the flat in Dunsbury Way. Cars stop outside for a minute with the engine running, someone comes out, leans in the window and goes back in.',
    where: 'Dunsbury Way, Leigh Park, the flat by the bin store', who: 'A silver hatchback and a black Audi, I did not get the registrations.',
    triage: { by: 'manager', urgency: 'high', notes: ['Same address as three earlier reports. Asked the analyst to check for a new deal line.'] },
    links: [
      ['location', 'garyFlat', 'analyst', 'Same flat as three earlier reports.'],
      ['person', 'jay', 'analyst', 'A black Audi is linked to Jay in police intelligence.'],
      ['line', 'jayLine', 'analyst', 'Pattern of short visits fits the JAY line’s deliveries.'],
    ],
  },
  // The Basingstoke hotel: young people not local.
  {
    key: 'hotel-1', days: 96, area: BASINGSTOKE, channel: 'online', child: 'yes', when: 'month', contact: { name: 'Duty manager', email: 'duty.manager@station-lodge.example' },
    what: 'I work at a hotel near the station. A man booked two rooms for a week for “his nephews”, paid cash, and left. The boys are maybe 15 and 16, say they are from London, have lots of phones and have visitors all night.',
    where: 'A hotel near Basingstoke railway station (I can give the name if you call me)', who: 'Two boys 15–16, the man who booked is in his 30s, tall, drove a white Mercedes van.',
    triage: { by: 'manager', urgency: 'immediate', actions: [['police_intelligence', 'Passed to MET team the same day; officers attended.'], ['safeguarding_referral', 'Two children from Croydon and Southwark safeguarded; home authorities informed.']], closed: 'Children safeguarded; adult identified and arrested for drug supply and Modern Slavery Act offences.' },
    links: [['location', 'hotel', 'manager', 'The reporter’s hotel: the Station Lodge.']],
  },
  {
    key: 'hotel-2', days: 40, area: BASINGSTOKE, channel: 'crimestoppers', child: 'yes', ext: 'CS-2026-118204',
    what: 'Young people who are not local are staying at a budget hotel in Basingstoke, booked by an older male, with frequent short visits to the rooms.',
    where: 'Budget hotel, Basingstoke town centre',
    triage: { by: 'analyst', urgency: 'high', actions: [['police_intelligence', 'Graded and added to the intelligence picture for the hotel.']], closed: 'Hotel staff given awareness training; intelligence submitted.' },
    links: [['location', 'hotel', 'analyst', 'Same hotel as the report in August.']],
  },
  {
    key: 'hotel-3', days: 6, area: BASINGSTOKE, channel: 'online', child: 'yes', when: 'today', whenDetail: 'This morning at about 7',
    what: 'A girl, maybe 14, got out of a taxi from London at the hotel by the ring road, with a man who paid the driver in cash. She looked scared and did not speak.',
    where: 'Hotel by the ring road, Basingstoke', who: 'Girl about 14, long dark hair, pink hoodie. Man in his 20s with a beard.',
  },
  // A neighbour who seems no longer in control of their home (cuckooing).
  {
    key: 'cuckoo-1', days: 140, area: 'E07000088', channel: 'online', child: 'no', when: 'month', contact: { name: 'Margaret', phone: '07700 900123' },
    what: 'My neighbour is a vulnerable man who lives alone. Since last month there are new people living in his flat, he hardly goes out, and when I saw him he looked frightened and said his “friends” were staying.',
    where: 'Flats on Harbour View, Gosport',
    triage: { by: 'manager', urgency: 'high', actions: [['safeguarding_referral', 'Adult safeguarding referral to adult services.']], closed: 'Adult services visited; the man is supported by a social worker.' },
  },
  {
    key: 'cuckoo-2', days: 55, area: 'E06000044', channel: 'online', child: 'not_sure', when: 'ongoing',
    what: 'The lady upstairs is in her 70s. Young men let themselves in with her key now. There is shouting at night and she asked me not to tell anyone.',
    where: 'Maisonettes near Fratton Road, Portsmouth',
    triage: { by: 'manager', urgency: 'high', notes: ['Portsmouth is outside the county: shared with Portsmouth City Council’s adult safeguarding team.'], actions: [['safeguarding_referral', 'Referred to Portsmouth adult safeguarding.']], closed: 'Referred to the responsible authority.' },
  },
  {
    key: 'cuckoo-3', days: 21, area: 'E07000086', channel: 'online', child: 'no', when: 'week',
    what: 'My brother has a learning disability and lives on his own. People he calls friends have moved in, he has no money left and he said he owes them.',
    where: 'A house on a new estate in Eastleigh', contact: { name: 'Sue', email: 'sue.demo@example.org' },
    triage: { by: 'manager', urgency: 'high', notes: ['Spoke to the reporter by phone: she will help us reach her brother.'] },
  },
  {
    key: 'cuckoo-4', days: 3, area: 'E07000087', channel: 'online', child: 'not_sure', when: 'ongoing', whenDetail: 'For about three weeks',
    what: 'My neighbour used to chat to me every day. Now the curtains are always closed, there are people I do not know coming and going, and I have not seen her for a fortnight.',
    where: 'Bungalow on a close off the main road, Portchester',
  },
  // Cars stopping briefly.
  {
    key: 'cars-1', days: 130, area: 'E07000087', channel: 'online', child: 'no', when: 'ongoing', whenDetail: 'Lunchtimes and late evenings',
    what: 'Cars pull into the lay-by by the park, someone walks over from the flats, leans into the car window for a few seconds and walks back. It happens many times a day.',
    where: 'Lay-by next to the park, Fareham', who: 'Mostly the same young man in a red jacket meets the cars.',
    triage: { by: 'analyst', urgency: 'medium', actions: [['police_intelligence', 'Submitted as intelligence on street dealing.']], closed: 'Neighbourhood team patrols increased.' },
  },
  {
    key: 'cars-2', days: 100, area: 'E06000045', channel: 'crimestoppers', child: 'not_sure', ext: 'CS-2026-104377',
    what: 'Vehicles stopping briefly outside a house on a residential street in Southampton, occupants exchange items through windows.',
    where: 'Residential street, Shirley, Southampton',
    triage: { by: 'analyst', urgency: 'low', actions: [['police_intelligence', 'Passed to Southampton district intelligence.']], closed: 'Outside the county: passed on.' },
  },
  {
    key: 'cars-3', days: 62, area: 'E07000094', channel: 'online', child: 'no', when: 'week',
    what: 'A car has been parked in the car park by the river each evening, engine running, and people walk up to it one after another and leave within a minute.',
    where: 'Riverside car park, Winchester',
    triage: { by: 'manager', urgency: 'low', actions: [['police_intelligence', 'Passed on for patrols.']], closed: 'Intelligence submitted.' },
  },
  {
    key: 'cars-4', days: 9, area: 'E07000092', channel: 'online', child: 'not_sure', when: 'week', whenDetail: 'Four evenings last week',
    what: 'A black car stops outside the chip shop, a boy in a school blazer gets in for a few minutes, then gets out and cycles off. Different boy on different days.',
    where: 'Outside the chip shop on the main road, Aldershot', who: 'Black car, I think a BMW. Boys in the local school’s blazer.',
  },
  // The panel's question: gifts and deliveries, not drugs (no further action, with the reason).
  {
    key: 'gifts-1', days: 33, area: 'E07000085', channel: 'online', child: 'no', when: 'week',
    what: 'Loads of people calling next door this week, some with bags and boxes, some staying only a minute.',
    where: 'Cottage in a village near Petersfield',
    triage: { by: 'manager', urgency: 'low', notes: ['Checked with the neighbourhood officer: the neighbour runs a small home business and had a birthday that week; deliveries by courier in the day.'], actions: [['no_further_action', 'Visits explained: courier deliveries in daylight and family visiting for a birthday. No pattern of short, late visits.']], closed: 'No further action: ordinary deliveries and visitors.' },
  },
  {
    key: 'gifts-2', days: 27, area: 'E07000093', channel: 'online', child: 'no', when: 'today',
    what: 'A van has stopped at the house across the road five times today and a young man runs to the door each time.',
    where: 'Estate on the edge of Andover',
    triage: { by: 'analyst', urgency: 'low', actions: [['no_further_action', 'A parcel delivery round: marked van, scanner, daytime only.']], closed: 'No further action.' },
  },
  // School gates and young people.
  {
    key: 'school-1', days: 70, area: 'E07000092', channel: 'online', child: 'yes', when: 'ongoing', whenDetail: 'Home time, most days',
    what: 'Older lads in a car wait outside the school gates at home time and call younger boys over. One boy in my son’s year now has new trainers every week and two phones.',
    where: 'Outside a secondary school in Farnborough', contact: { name: 'A parent', email: 'parent.demo@example.org' },
    triage: { by: 'manager', urgency: 'high', actions: [['safeguarding_referral', 'Shared with the school’s designated safeguarding lead and children’s services.'], ['police_intelligence', 'Vehicle details passed to the MET team.']], closed: 'School and police plan in place; the boy has an allocated worker.' },
  },
  {
    key: 'school-2', days: 15, area: 'E07000089', channel: 'phone_101', child: 'yes', ext: '101-20261108-0977',
    what: 'Caller (teaching assistant) says a Year 9 pupil has been missing from lessons, was seen getting into an unknown car at lunch, and has unexplained cash.',
    where: 'Secondary school, Fleet',
    triage: { by: 'manager', urgency: 'high', notes: ['School DSL already made a referral; this adds the car.'] },
  },
  {
    key: 'train-1', days: 48, area: BASINGSTOKE, channel: 'online', child: 'yes', when: 'month',
    what: 'I drive a taxi. Three times this month I have taken the same boy, about 13, from the station to the same address at night. He pays cash from a big roll of notes and does not know the address, someone on the phone tells him.',
    where: 'From Basingstoke station to an estate in the south of the town', who: 'Boy about 13, small, always in a black hoodie.', contact: { name: 'Taxi driver', phone: '07700 900456' },
    triage: { by: 'manager', urgency: 'immediate', actions: [['police_intelligence', 'MET team informed the same night.'], ['safeguarding_referral', 'Boy identified as missing from home in Newham; safeguarded.']], closed: 'Child safeguarded and returned home; NRM referral made by the home authority.' },
  },
  {
    key: 'litter-1', days: 88, area: 'E07000091', channel: 'online', child: 'no', when: 'ongoing',
    what: 'Needles and small bags left in the bus shelter and the play park every morning.',
    where: 'Bus shelter and play park, Totton',
    triage: { by: 'manager', urgency: 'low', actions: [['other', 'Reported to the district council for clearance; passed to police for patrols.']], closed: 'Clearance done; patrols added.' },
  },
  {
    key: 'park-1', days: 4, area: 'E07000091', channel: 'online', child: 'yes', when: 'today', whenDetail: 'About 4pm',
    what: 'A group of teenagers I do not recognise were handing small packages to younger children at the skate park and taking money.',
    where: 'Skate park, New Milton',
  },
  {
    key: 'iow-1', days: 58, area: 'E06000046', channel: 'crimestoppers', child: 'yes', ext: 'CS-2026-111950',
    what: 'Young people from London arriving on the ferry and staying at a holiday let, with a lot of visitors.',
    where: 'Holiday let, Ryde',
    triage: { by: 'analyst', urgency: 'medium', actions: [['police_intelligence', 'Passed to Isle of Wight policing team.']], closed: 'Passed to the local policing team.' },
  },
  {
    key: 'havant-2', days: 35, area: HAVANT, channel: 'online', child: 'not_sure', when: 'month',
    what: 'New people at the house next to the shop, lots of taxis dropping off and picking up within minutes, through the night.',
    where: 'Terraced house near the shops, Waterlooville',
    triage: { by: 'manager', urgency: 'medium', notes: ['No earlier reports for this address.'], actions: [['police_intelligence', 'Passed to the neighbourhood team.']] },
  },
  {
    key: 'havant-3', days: 2, area: HAVANT, channel: 'online', child: 'yes', when: 'now',
    what: 'There is a boy about 12 sitting on the wall outside the flats in Dunsbury Way crying, and a man keeps shouting at him from the window to get back inside.',
    where: 'Dunsbury Way, Leigh Park',
  },
  {
    key: 'eastleigh-2', days: 75, area: 'E07000086', channel: 'phone_101', child: 'no', ext: '101-20260910-1203',
    what: 'Caller reports a strong smell of cannabis and lots of visitors at a flat; no children seen.',
    where: 'Flat above a takeaway, Eastleigh',
    triage: { by: 'analyst', urgency: 'low', actions: [['police_intelligence', 'Recorded as intelligence.']], closed: 'Intelligence recorded.' },
  },
  {
    key: 'winchester-2', days: 18, area: 'E07000094', channel: 'online', child: 'yes', when: 'week',
    what: 'My daughter’s friend (15) keeps going missing and comes back with new clothes. She told my daughter she “works for” someone in London and has to go when they call.',
    where: 'Winchester', contact: { name: 'A parent', email: 'worried.parent.demo@example.org' },
    triage: { by: 'manager', urgency: 'immediate', actions: [['safeguarding_referral', 'Referral to children’s services the same day.']] },
  },
  {
    key: 'unknown-1', days: 24, area: null, channel: 'online', child: 'not_sure', when: 'month',
    what: 'I keep seeing the same young people on the train from London on Friday nights, getting off at different stops, each with a rucksack and a phone that never stops.',
    where: 'On the train between London and the south coast',
    triage: { by: 'analyst', urgency: 'medium', notes: ['British Transport Police informed.'] },
  },
  {
    key: 'test-valley-1', days: 7, area: 'E07000093', channel: 'online', child: 'not_sure', when: 'ongoing',
    what: 'Boarded-up house that was empty now has lights on at night and people going in and out through the back gate.',
    where: 'Empty house near the recreation ground, Andover',
  },
  {
    key: 'hart-1', days: 1, area: 'E07000089', channel: 'online', child: 'no', when: 'today',
    what: 'Man in a car outside the station asking teenagers if they want to earn some quick money.',
    where: 'Fleet station car park', who: 'White man in his 20s, blue estate car.',
  },
  {
    key: 'rushmoor-2', days: 52, area: 'E07000092', channel: 'online', child: 'not_sure', when: 'month',
    what: 'Groups of people go into the underpass one at a time and come out a minute later; someone is always standing at each end watching.',
    where: 'Underpass near the town centre, Farnborough',
    triage: { by: 'manager', urgency: 'medium', actions: [['police_intelligence', 'Passed to the neighbourhood team.']], closed: 'Intelligence submitted.' },
  },
  {
    key: 'southampton-2', days: 11, area: 'E06000045', channel: 'online', child: 'yes', when: 'week',
    what: 'Two boys from my son’s school have been missing since the weekend. People are saying they have gone “country” to work a line.',
    where: 'Southampton',
  },
]

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

export async function seedPublicDemo(seed: DemoSeed): Promise<void> {
  const { db, random, today, refs } = seed
  const store = publicDemoStore(db)
  const reference = () => {
    let s = ''
    for (let i = 0; i < 8; i++) s += random.pick(ALPHABET.split(''))
    return `${s.slice(0, 4)}-${s.slice(4)}`
  }
  const dayOf = (days: number) => isoDate(new Date(today.getTime() - days * 86_400_000))
  const at = (days: number, hours: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - days * 86_400_000 + hours * 3_600_000)

  // Reports that came by 101 and Crimestoppers arrived as imports by the partnership officer.
  const imports: Record<string, string> = {}
  for (const channel of ['phone_101', 'crimestoppers'] as const) {
    const count = REPORTS.filter((r) => r.channel === channel).length
    const row = await store.insertImport({
      channel,
      file_name: channel === 'phone_101' ? '101-call-summaries.csv' : 'crimestoppers-forwards.csv',
      row_count: count,
      imported_by: refs.users.partnership,
      imported_at: at(1, 9),
    })
    imports[channel] = row.id
  }

  const names = await store.userNames()
  refs.publicReports = {}
  const taken = new Set<string>()
  for (const r of REPORTS) {
    let ref = reference()
    while (taken.has(ref)) ref = reference()
    taken.add(ref)
    const online = r.channel === 'online'
    const row = await store.insertReport({
      reference: ref,
      journey_token: online ? `demo-journey-${r.key}-${random.digits(12)}` : null,
      channel: r.channel,
      external_reference: r.ext ?? null,
      import_id: online ? null : imports[r.channel],
      received_on: dayOf(r.days),
      what_happened: r.what,
      where_happened: r.where,
      area_id: r.area ? refs.areas[r.area] : null,
      when_happened: r.when ?? null,
      when_detail: r.whenDetail ?? null,
      who_involved: r.who ?? null,
      child_at_risk: r.child,
      anything_else: r.more ?? null,
      anonymous: !r.contact,
      contact_name: r.contact?.name ?? null,
      contact_phone: r.contact?.phone ?? null,
      contact_email: r.contact?.email ?? null,
    })
    refs.publicReports[r.key] = row.id

    for (const [kind, key, by, note] of r.links ?? []) {
      // Linked only when the capability holding that record is installed and seeded.
      const entityId = kind === 'person' ? refs.people?.[key] : refs.network?.[key]
      if (!entityId) continue
      const linkedAt = at(Math.max(r.days - 2, 0), 14)
      await store.insertLink({ report_id: row.id, entity_type: kind, entity_id: entityId, note, created_by: refs.users[by], created_at: linkedAt })
      await store.insertEvent({ report_id: row.id, kind: 'linked', user_id: refs.users[by], at: linkedAt, note, details: JSON.stringify({ entityType: kind, entityId }) })
    }

    const t = r.triage
    if (!t) continue
    const user = refs.users[t.by]
    const start = Math.max(r.days - 1, 0)
    const events: { kind: 'assigned' | 'urgency' | 'note' | 'action' | 'closed'; at: Date; urgency?: Urgency; action?: TriageAction; note?: string; details?: Record<string, unknown> }[] = []
    events.push({ kind: 'assigned', at: at(start, 9 + random.int(0, 2)), details: { assignee: user, assigneeName: names.get(user) } })
    if (t.urgency) events.push({ kind: 'urgency', at: at(start, 11), urgency: t.urgency })
    for (const note of t.notes ?? []) events.push({ kind: 'note', at: at(start, 13 + random.int(0, 3)), note })
    for (const [action, note] of t.actions ?? []) events.push({ kind: 'action', at: at(Math.max(start - 1, 0), 10 + random.int(0, 5)), action, note })
    if (t.closed) events.push({ kind: 'closed', at: at(Math.max(start - 3, 0), 15), note: t.closed })
    const last = events[events.length - 1]
    await store.insertTriage({
      report_id: row.id,
      status: t.closed ? 'closed' : 'in_progress',
      urgency: t.urgency ?? null,
      assigned_to: user,
      closed_at: t.closed ? last.at : null,
      closed_by: t.closed ? user : null,
      closing_summary: t.closed ?? null,
      updated_at: last.at,
      updated_by: user,
    })
    for (const e of events) {
      await store.insertEvent({
        report_id: row.id,
        kind: e.kind,
        user_id: user,
        at: e.at,
        urgency: e.urgency ?? null,
        action: e.action ?? null,
        note: e.note ?? null,
        details: e.details ? JSON.stringify(e.details) : null,
      })
    }
  }
}
