import type { DemoSeed } from '../../demo/context.ts'
import { daysAgo, isoDate } from '../../demo/context.ts'
import { recordPersonEvent } from './timeline.ts'
import type { NoteKind } from './tables.ts'
import { noteAddedSummary } from './notes.ts'

const GIVEN_F = ['Aaliyah', 'Ellie', 'Chloe', 'Mia', 'Jade', 'Leah', 'Amber', 'Holly', 'Kayla', 'Tia', 'Grace', 'Maisie', 'Nadia', 'Ruby', 'Skye', 'Zara', 'Keira', 'Lacey']
const GIVEN_M = ['Kyle', 'Jayden', 'Mason', 'Tyler', 'Reece', 'Callum', 'Leon', 'Kai', 'Ethan', 'Jordan', 'Liam', 'Connor', 'Rhys', 'Dylan', 'Harvey', 'Alfie', 'Josh', 'Marcus', 'Tyrell', 'Brandon']
const FAMILY = ['Marsh', 'Brooks', 'Price', 'Turner', 'Clarke', 'Walsh', 'Hughes', 'Bennett', 'Fletcher', 'Hayes', 'Doyle', 'Reid', 'Gordon', 'Barker', 'Lloyd', 'Shaw', 'Ellis', 'Mills', 'Webb', 'Powell', 'Kaur', 'Ahmed', 'Mensah', 'Osei', 'Nowak', 'Kowalski', 'Campbell', 'Francis', 'Stewart', 'Holloway']
const SCHOOLS = ['Havant Academy', 'Park Community School', 'Brune Park School', 'The Vyne Community School', 'Cranbourne School', 'Crestwood College', 'Oaklands Catholic School', 'Solent Learning Trust alternative provision']
const ETHNICITY = ['White', 'White', 'White', 'Black, Black British, Caribbean or African', 'Mixed or multiple ethnic groups', 'Asian or Asian British']

/**
 * The people at the heart of the demo story. Children from Hampshire drawn into the "Jay" line run
 * from Lambeth, a looked-after child from London placed in Southampton, the adults who run and
 * supply the line, and a vulnerable man whose flat in Havant was taken over (cuckooed). Keys are
 * stable so later capabilities can give them assessments, missing episodes and links.
 */
const CAST = [
  { key: 'kyle', kind: 'child', given: 'Kyle', family: 'Marsh', gender: 'male', age: 15, home: 'E07000090', current: 'E07000090', owner: 'county', team: 'willow', worker: 'practitioner', shared: ['police'], school: 'Havant Academy', aliases: ['K-Dog'] },
  { key: 'aaliyah', kind: 'child', given: 'Aaliyah', family: 'Brooks', gender: 'female', age: 14, home: 'E07000084', current: 'E07000084', owner: 'county', team: 'willow', worker: 'practitioner', shared: ['police'], school: 'The Vyne Community School' },
  { key: 'jayden', kind: 'child', given: 'Jayden', family: 'Price', gender: 'male', age: 16, home: 'E09000022', current: 'E06000045', owner: 'county', team: 'willow', worker: 'practitioner', shared: ['police'], lookedAfter: true, aliases: ['JP'] },
  { key: 'ellie', kind: 'child', given: 'Ellie', family: 'Turner', gender: 'female', age: 12, home: 'E07000088', current: 'E07000088', owner: 'county', team: 'willow', worker: 'practitioner', shared: [], school: 'Brune Park School', send: true },
  { key: 'mason', kind: 'child', given: 'Mason', family: 'Clarke', gender: 'male', age: 17, home: 'E06000044', current: 'E06000044', owner: 'police', team: 'met', worker: 'officer', shared: ['county'], school: 'Solent Learning Trust alternative provision' },
  { key: 'tia', kind: 'child', given: 'Tia', family: 'Walsh', gender: 'female', age: 15, home: 'E07000087', current: 'E07000087', owner: 'county', team: 'cs-north', worker: 'practitioner2', shared: [] },
  { key: 'jay', kind: 'adult', given: 'Dwayne', family: 'Okoro', preferred: 'Jay', gender: 'male', age: 24, home: 'E09000022', current: 'E09000022', owner: 'police', team: 'intel', worker: 'analyst', shared: [], aliases: ['Jay', 'Big J'] },
  { key: 'reece', kind: 'adult', given: 'Reece', family: 'Holloway', gender: 'male', age: 19, home: 'E06000044', current: 'E06000044', owner: 'police', team: 'met', worker: 'officer', shared: [] },
  { key: 'gary', kind: 'adult', given: 'Gary', family: 'Pike', gender: 'male', age: 52, home: 'E07000090', current: 'E07000090', owner: 'havant', team: 'havant-cs', worker: null, shared: ['police'] },
  { key: 'kez', kind: 'adult', given: 'Kerry', family: 'Fletcher', preferred: 'Kez', gender: 'female', age: 29, home: 'E09000028', current: 'E09000028', owner: 'police', team: 'intel', worker: 'analyst', shared: [] },
] as const

function dateOfBirth(seed: DemoSeed, age: number): string {
  const d = new Date(seed.today)
  d.setUTCFullYear(d.getUTCFullYear() - age)
  d.setUTCDate(d.getUTCDate() - seed.random.int(20, 340))
  return isoDate(d)
}

export async function seedPeople(seed: DemoSeed) {
  const { db, refs, random } = seed
  refs.people = {}
  const nhsNumber = () => {
    for (;;) {
      const nine = `9${random.digits(8)}`
      const sum = [...nine].reduce((s, d, i) => s + Number(d) * (10 - i), 0)
      const check = (11 - (sum % 11)) % 11
      if (check !== 10) return nine + String(check)
    }
  }

  async function insert(p: {
    key: string
    kind: 'child' | 'adult'
    given: string
    family: string
    preferred?: string
    gender: string
    age: number
    home: string
    current: string
    owner: string
    team: string | null
    worker: string | null
    shared: readonly string[]
    school?: string
    lookedAfter?: boolean
    send?: boolean
    aliases?: readonly string[]
  }) {
    const row = await db
      .insertInto('people')
      .values({
        kind: p.kind,
        given_name: p.given,
        family_name: p.family,
        preferred_name: p.preferred ?? null,
        date_of_birth: dateOfBirth(seed, p.age),
        gender: p.gender as 'male',
        ethnicity: random.pick(ETHNICITY),
        home_area_id: refs.areas[p.home],
        current_area_id: refs.areas[p.current],
        school: p.kind === 'child' ? (p.school ?? random.pick(SCHOOLS)) : null,
        looked_after: p.lookedAfter ?? false,
        send: p.send ?? false,
        owner_agency_id: refs.agencies[p.owner],
        owner_team_id: p.team ? refs.teams[p.team] : null,
        allocated_worker_id: p.worker ? refs.users[p.worker] : null,
        created_by: p.worker ? refs.users[p.worker] : null,
        created_at: new Date(seed.today.getTime() - random.int(120, 500) * 86_400_000),
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    refs.people[p.key] = row.id
    for (const alias of p.aliases ?? []) await db.insertInto('person_aliases').values({ person_id: row.id, name: alias, kind: 'street_name' }).execute()
    if (p.kind === 'child') {
      await db.insertInto('person_identifiers').values({ person_id: row.id, scheme: 'nhs_number', value: nhsNumber(), agency_id: refs.agencies.nhs }).execute()
      await db.insertInto('person_identifiers').values({ person_id: row.id, scheme: 'council_case', value: `HCC-${random.digits(6)}`, agency_id: refs.agencies.county }).execute()
    }
    if (p.owner === 'police' || p.shared.includes('police')) {
      await db.insertInto('person_identifiers').values({ person_id: row.id, scheme: 'police_nominal', value: `HIOW-${random.digits(7)}`, agency_id: refs.agencies.police }).execute()
    }
    for (const agency of p.shared) {
      await db
        .insertInto('record_shares')
        .values({
          record_type: 'person',
          record_id: row.id,
          agency_id: refs.agencies[agency],
          granted_by: p.worker ? refs.users[p.worker] : null,
          ...(p.kind === 'child'
            ? { purpose: 'Joint safety plan: exploitation and missing episodes worked with the MET team', legal_basis: 'children_act_1989_s47' as const }
            : { purpose: 'Disrupting the adults who exploit children in the county line', legal_basis: 'crime_and_disorder_act_1998_s115' as const }),
          review_on: isoDate(new Date(seed.today.getTime() + 60 * 86_400_000)),
        })
        .execute()
    }
    await recordPersonEvent(db, { personId: row.id, kind: 'created', summary: 'Record created', actorId: p.worker ? refs.users[p.worker] : null, at: new Date(seed.today.getTime() - random.int(120, 500) * 86_400_000) })
    return row.id
  }

  for (const p of CAST) await insert(p)

  // The wider caseload: children known to the exploitation team and the MET team across the county.
  const countyAreas = ['E07000084', 'E07000085', 'E07000086', 'E07000087', 'E07000088', 'E07000089', 'E07000090', 'E07000091', 'E07000092', 'E07000093', 'E07000094', 'E06000044', 'E06000045', 'E06000046']
  const owners = [
    ['county', 'willow', 'practitioner'],
    ['county', 'willow', 'manager'],
    ['county', 'cs-north', 'practitioner2'],
    ['police', 'met', 'officer'],
    ['police', 'met', 'officer2'],
    ['nhs', 'nhs-safeguarding', 'nurse'],
  ] as const
  for (let i = 0; i < 48; i++) {
    const female = random.chance(0.4)
    const [owner, team, worker] = random.weighted(owners.map((o, j) => [o, j < 2 ? 3 : 1] as const))
    const home = random.pick(countyAreas)
    await insert({
      key: `child${i + 1}`,
      kind: 'child',
      given: random.pick(female ? GIVEN_F : GIVEN_M),
      family: random.pick(FAMILY),
      gender: female ? 'female' : 'male',
      age: random.int(11, 17),
      home,
      current: random.chance(0.12) ? random.pick(countyAreas) : home,
      owner,
      team,
      worker,
      shared: owner === 'county' && random.chance(0.5) ? ['police'] : owner === 'police' ? ['county'] : [],
      lookedAfter: random.chance(0.15),
      send: random.chance(0.12),
    })
  }
  for (let i = 0; i < 14; i++) {
    await insert({
      key: `adult${i + 1}`,
      kind: 'adult',
      given: random.pick(GIVEN_M),
      family: random.pick(FAMILY),
      gender: 'male',
      age: random.int(18, 38),
      home: random.pick(['E09000022', 'E09000028', 'E09000008', 'E09000023', 'E09000025', 'E06000044', 'E06000045']),
      current: random.pick(['E07000090', 'E06000044', 'E06000045', 'E07000084', 'E07000092']),
      owner: 'police',
      team: 'intel',
      worker: 'analyst',
      shared: [],
    })
  }
  await seedNotes(seed)
}

/** Which agency each demo author works for, by key (see src/demo/foundation.ts). */
const AUTHOR_AGENCY: Record<string, string> = { practitioner: 'county', manager: 'county', practitioner2: 'county', officer: 'police', officer2: 'police', analyst: 'police', nurse: 'nhs' }

/**
 * Case notes on the cast, written as the Willow team and the MET team would: visits, direct work,
 * strategy meetings, police-only intelligence that the council practitioners never see, and one
 * graded under handling code C, shared with the council on conditions.
 */
const NOTES: { person: string; author: string; kind: NoteKind; daysAgo: number; policeOnly?: boolean; grade?: string; conditions?: string; handlingAgencies?: string[]; body: string }[] = [
  { person: 'kyle', author: 'practitioner', kind: 'visit', daysAgo: 41, body: 'Home visit with Kyle and his mum. Kyle has new trainers and a second phone he would not explain. Mum says he has been out until 2am three times this week and came home on Saturday in a taxi from Portsmouth that she did not pay for.\nAgreed: referral to the police MET team; school to send attendance weekly; next visit in two weeks.' },
  { person: 'kyle', author: 'officer', kind: 'intelligence', daysAgo: 37, policeOnly: true, grade: '2BP', body: 'Kyle seen entering a flat on the Leigh Park estate, Havant, that is linked to the "Jay" line, with two older males, one believed to be Reece Holloway. Not for disclosure outside the police: source protection.' },
  { person: 'kyle', author: 'officer', kind: 'visit', daysAgo: 30, body: 'Joint visit with Sam Okafor. Kyle said he "owes" money after a bag was taken from him in Portsmouth. He would not say who he owes. Safety plan talked through with Kyle and mum; mum has the MET team number.' },
  { person: 'kyle', author: 'manager', kind: 'meeting', daysAgo: 26, body: 'Strategy meeting (council, police, school, health). Concerns about criminal exploitation through the "Jay" line are shared by all agencies. Actions: disruption plan led by the MET team; school to offer a mentor; Kyle to be discussed at the next MACE meeting.' },
  { person: 'kyle', author: 'officer2', kind: 'intelligence', daysAgo: 9, policeOnly: true, grade: '2BP', body: 'Deal line messages offering "work" in Havant sent from a handset attributed to Dwayne Okoro. Kyle’s second phone number appears in the line’s contacts. Consider a CAWN on the adult collecting Kyle.' },
  { person: 'kyle', author: 'officer2', kind: 'intelligence', daysAgo: 7, grade: '3CC', conditions: 'For the council’s safeguarding plan only: not to be passed to the school or health', handlingAgencies: ['county'], body: 'A youth worker reports hearing that Kyle is being told he must “work off” a debt of £800 over the half-term holiday. Not corroborated.' },
  { person: 'kyle', author: 'practitioner', kind: 'direct_work', daysAgo: 6, body: 'Direct work session at school: talked about "owing" and how debts are used to control young people. Kyle said he wants to stop going to Portsmouth but is scared of what happens if he does.' },
  { person: 'jay', author: 'analyst', kind: 'intelligence', daysAgo: 60, policeOnly: true, grade: '1BP', body: 'Dwayne "Jay" Okoro (24, Lambeth) assessed as the holder of the "Jay" deal line supplying heroin and crack cocaine into Havant and Portsmouth. Uses children from Hampshire to carry and sell, and a cuckooed flat in Havant as a base.' },
  { person: 'jay', author: 'officer', kind: 'intelligence', daysAgo: 20, policeOnly: true, grade: '2AP', body: 'Vehicle registered to a known associate of Okoro stopped on the A3(M) with Jayden Price (16, looked after by Lambeth, placed in Southampton) as a passenger. Jayden was not arrested; safeguarding referral made to the Willow team.' },
  { person: 'jay', author: 'analyst', kind: 'meeting', daysAgo: 12, policeOnly: true, body: 'Operation planning meeting with the Metropolitan Police (Lambeth). Modern Slavery Act offences to be considered alongside drugs supply; target profile updated.' },
  { person: 'jayden', author: 'practitioner', kind: 'visit', daysAgo: 33, body: 'Placement visit in Southampton. Jayden’s Lambeth social worker joined by video. Carers report Jayden missing overnight twice this month and returning with cash. Jayden says he "visits friends in Havant".' },
  { person: 'jayden', author: 'officer', kind: 'contact', daysAgo: 19, body: 'Jayden was a passenger in a car stopped on the A3(M). Not arrested. Returned to his placement by officers; carers and the Willow team told the same night.' },
  { person: 'jayden', author: 'practitioner', kind: 'meeting', daysAgo: 14, body: 'Multi-agency meeting with Lambeth children’s services: agreed Hampshire leads day-to-day safety planning while Jayden is placed here; Lambeth to review the placement.' },
  { person: 'aaliyah', author: 'practitioner', kind: 'direct_work', daysAgo: 22, body: 'Direct work session. Aaliyah talked about an older boyfriend who "looks after her" and buys her phone credit. She has stopped going to her dance class. Agreed to meet again next week; school nurse to be involved.' },
  { person: 'aaliyah', author: 'officer', kind: 'contact', daysAgo: 15, body: 'Phone call with Aaliyah’s mum: Aaliyah returned home late with a bag of new clothes. Advice given on reporting her missing if she is not home by the agreed time.' },
  { person: 'ellie', author: 'practitioner', kind: 'direct_work', daysAgo: 18, body: 'Met Ellie at school with her SENCo. Ellie has been asked by older pupils to "hold" packages for them. She did not understand why that could be a problem. Easy-read safety plan made together.' },
  { person: 'mason', author: 'officer', kind: 'visit', daysAgo: 27, body: 'Home visit. Mason was found in Basingstoke last month with cash and two phones. He says he wants to get a college place; his alternative provision has agreed to support an application.' },
  { person: 'mason', author: 'practitioner', kind: 'meeting', daysAgo: 8, body: 'Team around the child meeting with the MET team and the alternative provision. Mason attending three days a week now. Mentoring through the youth service agreed.' },
  { person: 'gary', author: 'officer', kind: 'intelligence', daysAgo: 25, policeOnly: true, grade: '2BP', body: 'Gary Pike’s flat in Havant is being used by the "Jay" line as a base (cuckooing). Young people seen coming and going at all hours. Closure order application being prepared.' },
  { person: 'gary', author: 'officer', kind: 'visit', daysAgo: 10, body: 'Welfare visit with the Havant community safety officer. Gary is frightened of the people using his flat and agreed to a move to temporary accommodation while the property is secured.' },
]

export async function seedNotes(seed: DemoSeed) {
  const { db, refs } = seed
  for (const [i, n] of NOTES.entries()) {
    const personId = refs.people[n.person]
    const on = daysAgo(seed.today, n.daysAgo)
    // Written up the same working day, between 9am and 4pm.
    const createdAt = new Date(Date.parse(`${isoDate(on)}T09:00:00Z`) + (i % 8) * 3_600_000 + (i * 7 % 60) * 60_000)
    const row = await db
      .insertInto('person_notes')
      .values({
        person_id: personId,
        kind: n.kind,
        occurred_on: isoDate(on),
        body: n.body,
        sensitivity: n.policeOnly ? 'police_only' : 'standard',
        author_id: refs.users[n.author],
        author_agency_id: refs.agencies[AUTHOR_AGENCY[n.author]],
        created_at: createdAt,
        ...(n.grade && {
          grade_source: n.grade[0] as '1' | '2' | '3',
          grade_assessment: n.grade[1] as 'A' | 'B' | 'C' | 'D' | 'E',
          grade_handling: n.grade[2] as 'P' | 'C',
          handling_conditions: n.conditions ?? null,
          handling_agency_ids: (n.handlingAgencies ?? []).map((a) => refs.agencies[a]),
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordPersonEvent(db, {
      personId,
      kind: 'note',
      summary: noteAddedSummary(n.kind, n.grade ?? null, n.policeOnly ?? false),
      actorId: refs.users[n.author],
      at: createdAt,
      refType: 'person_note',
      refId: row.id,
      policeOnly: n.policeOnly ?? false,
    })
  }
}
