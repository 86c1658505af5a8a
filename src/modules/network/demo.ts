import type { DemoSeed } from '../../demo/context.ts'
import { daysAgo, isoDate } from '../../demo/context.ts'
import type { LinkType } from './tables.ts'

type G = `${1 | 2 | 3}${'A' | 'B' | 'C' | 'D' | 'E'}`

/**
 * The network behind the demo story: the "Jay" line run from Lambeth into Havant and Portsmouth,
 * a second line from Croydon into Basingstoke and Rushmoor, the places, a vehicle, an organised
 * crime group, graded links (one C-handled police-only, one E-graded doubtful, one closed) and
 * Operation Harbour. Deterministic: no random draws.
 */
export async function seedNetwork(seed: DemoSeed) {
  const { db, refs, today } = seed
  const day = (n: number) => isoDate(daysAgo(today, n))
  refs.network = {}
  const police = refs.agencies.police
  const county = refs.agencies.county

  for (const key of ['jay', 'reece', 'kez', 'kyle', 'jayden', 'mason', 'aaliyah', 'gary']) {
    const person = await db.selectFrom('people').select(['id', 'owner_agency_id']).where('id', '=', refs.people[key]).executeTakeFirstOrThrow()
    const { id } = await db.insertInto('network_entities').values({ kind: 'person', person_id: person.id, owner_agency_id: person.owner_agency_id, created_by: refs.users.analyst, updated_by: refs.users.analyst }).returning('id').executeTakeFirstOrThrow()
    refs.network[key] = id
  }
  const entity = async (key: string, row: Parameters<ReturnType<typeof db.insertInto<'network_entities'>>['values']>[0], shareWith: string[] = ['county']) => {
    const { id } = await db.insertInto('network_entities').values(row).returning('id').executeTakeFirstOrThrow()
    refs.network[key] = id
    for (const agency of shareWith) {
      await db
        .insertInto('record_shares')
        .values({
          record_type: 'network_entity',
          record_id: id,
          agency_id: refs.agencies[agency],
          granted_by: refs.users.analyst,
          purpose: 'Partners disrupting the county line need its lines and addresses',
          legal_basis: 'crime_and_disorder_act_1998_s115',
          review_on: isoDate(new Date(today.getTime() + 90 * 86_400_000)),
        })
        .execute()
    }
  }
  const base = { owner_agency_id: police, created_by: refs.users.analyst, updated_by: refs.users.analyst }
  await entity('jayLine', { ...base, kind: 'line', label: 'JAY (07700 900461)', line_name: 'JAY', phone_number: '07700 900461', area_id: refs.areas.E09000022, description: 'Deal line supplying heroin and crack cocaine into Havant and Portsmouth, run from Lambeth.' }, ['county', 'havant'])
  await entity('tommyLine', { ...base, kind: 'line', label: 'TOMMY (07700 900872)', line_name: 'TOMMY', phone_number: '07700 900872', area_id: refs.areas.E09000008, description: 'Deal line run from Croydon into Basingstoke and Rushmoor.' }, ['county', 'basingstoke'])
  await entity('garyFlat', { ...base, kind: 'location', label: 'Flat 3, Dunsbury Way, Leigh Park, Havant', location_type: 'cuckooed_address', address: 'Flat 3, Dunsbury Way, Leigh Park, Havant', postcode: 'PO9 5XX', area_id: refs.areas.E07000090, description: 'Gary Pike’s flat, taken over by the JAY line as a base.' }, ['county', 'havant'])
  await entity('trapHouse', { ...base, kind: 'location', label: '41 Arundel Street, Fratton, Portsmouth', location_type: 'trap_house', address: '41 Arundel Street, Fratton, Portsmouth', postcode: 'PO1 1XX', area_id: refs.areas.E06000044, description: 'Trap house used to store and sell drugs.' })
  await entity('hotel', { ...base, kind: 'location', label: 'Station Lodge Hotel, Basingstoke', location_type: 'hotel', address: 'Station Lodge Hotel, Alencon Link, Basingstoke', area_id: refs.areas.E07000084, description: 'Rooms booked in cash for young people from outside the area.' }, ['county', 'basingstoke'])
  await entity('hotspot', { ...base, kind: 'location', label: 'Aldershot station forecourt', location_type: 'hotspot', address: 'Aldershot station forecourt, Station Road', area_id: refs.areas.E07000092 })
  await entity('golf', { ...base, kind: 'vehicle', label: 'KX19 LNE grey Volkswagen Golf', registration: 'KX19 LNE', vehicle_description: 'Grey Volkswagen Golf', area_id: refs.areas.E09000022 }, [])
  await entity('ocg', { ...base, kind: 'group', label: 'Stockwell Park OCG', group_type: 'ocg', area_id: refs.areas.E09000022, description: 'Organised crime group supplying the JAY and TOMMY lines.' }, [])

  const n = refs.network
  const link = async (key: string, from: string, type: LinkType, to: string, grade: G, opts: { first?: number; last?: number; basis: string; by?: string; directed?: boolean; source?: string; closed?: string; }) => {
    const { id } = await db
      .insertInto('network_links')
      .values({
        source_id: n[from],
        target_id: n[to],
        type,
        directed: opts.directed ?? type !== 'associates_with',
        first_seen: opts.first !== undefined ? day(opts.first) : null,
        last_seen: opts.last !== undefined ? day(opts.last) : null,
        source_agency_id: refs.agencies[opts.source ?? 'police'],
        basis: opts.basis,
        grade_source: Number(grade[0]) as 1 | 2 | 3,
        grade_assessment: grade[1] as 'A',
        grade_handling: 'P',
        handling_conditions: null,
        status: opts.closed ? 'closed' : 'open',
        status_reason: opts.closed ?? null,
        status_changed_by: opts.closed ? refs.users.analyst : null,
        status_changed_at: opts.closed ? daysAgo(today, 40) : null,
        created_by: refs.users[opts.by ?? 'analyst'],
        created_at: daysAgo(today, opts.first ?? 30),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    refs.network[`link:${key}`] = id
  }
  await link('jayRuns', 'jay', 'runs', 'jayLine', '1B', { first: 200, basis: 'Telephone analysis and two covert sources: Okoro controls the JAY line and its messages.' })
  await link('jayHolds', 'jay', 'holds_phone', 'jayLine', '2B', { first: 150, last: 9, basis: 'Handset attributed to Okoro sends the JAY line’s bulk messages.' })
  await link('reeceJay', 'reece', 'associates_with', 'jay', '2B', { first: 180, basis: 'Seen together in Portsmouth and Lambeth; calls between their phones.' })
  await link('reeceLine', 'reece', 'runs', 'jayLine', '2B', { first: 160, basis: 'Manages the JAY line’s runners in Havant and Portsmouth.', by: 'officer' })
  await link('reeceKyle', 'reece', 'exploits', 'kyle', '2B', { first: 150, last: 20, basis: 'Kyle seen collected by Holloway after school; Kyle says he “works” to pay back a debt.', by: 'officer' })
  await link('reeceMason', 'reece', 'exploits', 'mason', '2B', { first: 210, last: 90, basis: 'Mason arrested with drugs supplied by Holloway.', by: 'officer' })
  await link('reeceJayden', 'reece', 'associates_with', 'jayden', '2B', { first: 100, last: 19, basis: 'Jayden seen with Holloway in Leigh Park.', by: 'officer' })
  await link('lineFlat', 'jayLine', 'operates_in', 'garyFlat', '2B', { first: 120, basis: 'Flat used as a base for the JAY line: young people coming and going at all hours.', by: 'officer' })
  await link('lineTrap', 'jayLine', 'operates_in', 'trapHouse', '2B', { first: 140, basis: 'Drugs stored and sold for the JAY line.', by: 'officer' })
  await link('kyleTrap', 'kyle', 'found_at', 'trapHouse', '1A', { first: 22, last: 22, basis: 'Found by police at the address with 14 wraps of crack cocaine and £420.', by: 'officer' })
  await link('kylePhone', 'kyle', 'holds_phone', 'jayLine', '2B', { first: 9, basis: 'Kyle’s second phone number appears in the JAY line’s contacts. Source protection: police only.', by: 'officer2' })
  await link('jaydenFlat', 'jayden', 'found_at', 'garyFlat', '2A', { first: 60, last: 25, basis: 'Found at the flat three times by response officers.', by: 'officer' })
  await link('masonTrap', 'mason', 'found_at', 'trapHouse', '2B', { first: 200, last: 140, basis: 'Seen leaving the address with Holloway.', by: 'officer' })
  await link('garyFlat', 'gary', 'lives_at', 'garyFlat', '1A', { first: 2000, basis: 'Tenant of the flat.', source: 'havant', by: 'analyst' })
  await link('aaliyahHotel', 'aaliyah', 'found_at', 'hotel', '1A', { first: 45, last: 45, basis: 'Found by police in a room booked in cash with two older men.', by: 'officer' })
  await link('tommyHotel', 'tommyLine', 'operates_in', 'hotel', '2B', { first: 80, basis: 'TOMMY line messages name the hotel as a meeting point.' })
  await link('tommyHotspot', 'tommyLine', 'operates_in', 'hotspot', '2C', { first: 70, basis: 'Deals on the station forecourt linked to the TOMMY line number.' })
  await link('kezTommy', 'kez', 'runs', 'tommyLine', '2B', { first: 120, basis: 'Fletcher’s phone tops up the TOMMY line.' })
  await link('jayOcg', 'jay', 'member_of', 'ocg', '3C', { first: 300, basis: 'Single source report: Okoro buys wholesale from the group.' })
  await link('kezOcg', 'kez', 'member_of', 'ocg', '2C', { first: 250, basis: 'Fletcher collects cash for the group. Source protection: police only.' })
  await link('jayGolf', 'jay', 'uses_vehicle', 'golf', '2A', { first: 40, last: 20, basis: 'Registered to an associate; Okoro seen driving it.' })
  await link('jaydenGolf', 'jayden', 'found_at', 'golf', '1A', { first: 20, last: 20, basis: 'Passenger when the car was stopped on the A3(M).', by: 'officer' })
  await link('garyKez', 'gary', 'associates_with', 'kez', '3E', { first: 50, basis: 'Anonymous call: “a woman from London” collects from the flat. Not corroborated; thought to be malicious.', source: 'havant' })
  await link('reeceTrap', 'reece', 'lives_at', 'trapHouse', '2B', { first: 200, last: 60, basis: 'Holloway stayed at the address.', by: 'officer', closed: 'Holloway moved out in September (tenancy ended).' })

  // The C-handled links are police only: no agency other than the source meets the condition.
  await db.updateTable('network_links').set({ grade_handling: 'C', handling_conditions: 'Police only: source protection.' }).where('id', 'in', [n['link:kylePhone'], n['link:kezOcg']]).execute()
  await db.updateTable('network_links').set({ grade_source: 1, grade_assessment: 'B' }).where('id', '=', n['link:jayRuns']).execute()

  // Operation Harbour: council and police against the JAY line.
  const started = day(120)
  const { id: op } = await db
    .insertInto('operations')
    .values({ name: 'Operation Harbour', lead_agency_id: police, status: 'active', started_on: started, summary: 'Joint operation by the police MET team, Hampshire County Council and Havant Borough Council to disrupt the JAY line and safeguard the children it exploits in Havant and Portsmouth.', created_by: refs.users.officer, created_at: daysAgo(today, 120) })
    .returning('id')
    .executeTakeFirstOrThrow()
  refs.network.harbour = op
  await db.insertInto('operation_partners').values([county, refs.agencies.havant].map((agency_id) => ({ operation_id: op, agency_id }))).execute()
  await db.insertInto('operation_targets').values(['jay', 'reece', 'jayLine', 'trapHouse', 'garyFlat'].map((k) => ({ operation_id: op, entity_id: n[k] }))).execute()
  const activity = async (kind: string, ago: number, target: string | null, description: string, seizure?: { item: 'drugs' | 'cash' | 'weapon'; what: string; quantity: number; unit: string }) => {
    await db
      .insertInto('operation_activities')
      .values({ operation_id: op, kind: kind as never, occurred_on: day(ago), entity_id: target ? n[target] : null, seized_item: seizure?.item ?? null, item_description: seizure?.what ?? null, quantity: seizure?.quantity ?? null, unit: seizure?.unit ?? null, description, recorded_by: refs.users.officer, recorded_at: daysAgo(today, ago) })
      .execute()
  }
  await activity('safeguarding_visit', 110, 'mason', 'Joint visit with the Willow team: Mason offered a place on a construction course.')
  await activity('cawn', 95, 'reece', 'Child abduction warning notice served on Reece Holloway in respect of Mason Clarke.')
  await activity('safeguarding_visit', 41, 'kyle', 'Home visit with Kyle and his mum; referral to the MET team.')
  await activity('nrm_referral', 18, 'kyle', 'NRM referral for Kyle Marsh (criminal exploitation).')
  await activity('warrant', 5, 'trapHouse', 'Misuse of Drugs Act warrant executed at 41 Arundel Street.')
  await activity('arrest', 5, 'jay', 'Dwayne Okoro arrested at the address.')
  await activity('seizure', 5, 'trapHouse', 'Found in a kitchen cupboard.', { item: 'drugs', what: 'Crack cocaine', quantity: 62, unit: 'g' })
  await activity('seizure', 5, 'trapHouse', 'Found in a kitchen cupboard.', { item: 'drugs', what: 'Heroin', quantity: 38, unit: 'g' })
  await activity('seizure', 5, 'jay', 'Cash in a shoebox in the bedroom.', { item: 'cash', what: 'Cash', quantity: 4350, unit: '£' })
  await activity('line_closure', 4, 'jayLine', 'Telephone number closed on a Drug Dealing Telecommunications Restriction Order.')
  await activity('closure_order', 3, 'garyFlat', 'Three-month closure order granted by Portsmouth magistrates; Gary Pike moved to temporary accommodation.')
  const outcome = async (who: string, offence: string, modernSlavery: boolean, ago: number) => {
    await db.insertInto('operation_outcomes').values({ operation_id: op, entity_id: n[who], kind: 'charge', offence, modern_slavery: modernSlavery, occurred_on: day(ago), recorded_by: refs.users.officer }).execute()
  }
  await outcome('jay', 'Modern Slavery Act 2015 s.2: arranging the travel of a child with a view to exploitation', true, 4)
  await outcome('jay', 'Possession with intent to supply a controlled drug of class A (crack cocaine, heroin)', false, 4)
  await outcome('reece', 'Being concerned in the supply of a controlled drug of class A', false, 4)
}
