import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import { Random } from '../../demo/random.ts'
import { DEMO_AREAS } from '../../demo/foundation.ts'
import { isoDate } from '../../demo/context.ts'
import { reviewDueOn, scoreAssessment, type Answers } from '../risk/index.ts'
import type { Level, ScreeningTool } from '../risk/index.ts'
import { CONCERNS } from '../missing/index.ts'
import type { PersonKind } from '../people/index.ts'
import type { ScaleSpec } from './scales.ts'

/**
 * `lantern seed --scale county`: a generated county for load tests and benchmarks, written straight
 * into the tables with multi-row inserts, in one transaction, deterministic for a seed and a day.
 * People, ratings, reviews and missing episodes follow the shapes of real casework: most children
 * are held by the council of their home area and shared with the police, a few are placed out of
 * area, risk mostly comes down over successive reviews, a minority go missing often.
 */
export { SCALES, type ScaleSpec } from './scales.ts'

/** The 15 local authority areas, with rough weights by the children each partnership sees. */
const AREAS: { code: string; weight: number; council: string; region: number }[] = [
  { code: 'E07000084', weight: 9, council: 'county', region: 0 },
  { code: 'E07000085', weight: 6, council: 'county', region: 1 },
  { code: 'E07000086', weight: 6, council: 'county', region: 2 },
  { code: 'E07000087', weight: 5, council: 'county', region: 2 },
  { code: 'E07000088', weight: 6, council: 'county', region: 2 },
  { code: 'E07000089', weight: 4, council: 'county', region: 0 },
  { code: 'E07000090', weight: 9, council: 'county', region: 1 },
  { code: 'E07000091', weight: 7, council: 'county', region: 3 },
  { code: 'E07000092', weight: 6, council: 'county', region: 0 },
  { code: 'E07000093', weight: 5, council: 'county', region: 3 },
  { code: 'E07000094', weight: 5, council: 'county', region: 3 },
  { code: 'E06000044', weight: 14, council: 'portsmouth', region: 1 },
  { code: 'E06000045', weight: 15, council: 'southampton', region: 2 },
  { code: 'E06000046', weight: 6, council: 'iow', region: 3 },
  { code: 'E09000022', weight: 3, council: 'lambeth', region: 1 },
]

const COUNCILS: Record<string, { name: string; short: string; kind: 'county_council' | 'unitary_council'; area: string }> = {
  county: { name: 'Hampshire County Council', short: 'County council', kind: 'county_council', area: 'E10000014' },
  portsmouth: { name: 'Portsmouth City Council', short: 'Portsmouth CC', kind: 'unitary_council', area: 'E06000044' },
  southampton: { name: 'Southampton City Council', short: 'Southampton CC', kind: 'unitary_council', area: 'E06000045' },
  iow: { name: 'Isle of Wight Council', short: 'Isle of Wight Council', kind: 'unitary_council', area: 'E06000046' },
  lambeth: { name: 'London Borough of Lambeth', short: 'Lambeth', kind: 'unitary_council', area: 'E09000022' },
}
const REGIONS = ['North', 'East', 'South', 'West and Island']

const GIVEN_F = ['Aaliyah', 'Ellie', 'Chloe', 'Mia', 'Jade', 'Leah', 'Amber', 'Holly', 'Kayla', 'Tia', 'Grace', 'Maisie', 'Nadia', 'Ruby', 'Skye', 'Zara', 'Keira', 'Lacey', 'Olivia', 'Amelia', 'Isla', 'Poppy', 'Freya', 'Evie', 'Lily', 'Sophie', 'Megan', 'Chantelle', 'Precious', 'Destiny', 'Aisha', 'Maya', 'Paige', 'Courtney', 'Demi']
const GIVEN_M = ['Kyle', 'Jayden', 'Mason', 'Tyler', 'Reece', 'Callum', 'Leon', 'Kai', 'Ethan', 'Jordan', 'Liam', 'Connor', 'Rhys', 'Dylan', 'Harvey', 'Alfie', 'Josh', 'Marcus', 'Tyrell', 'Brandon', 'Oliver', 'Harry', 'Jack', 'Charlie', 'George', 'Noah', 'Leo', 'Archie', 'Riley', 'Jamal', 'Kofi', 'Daniel', 'Ryan', 'Lewis', 'Aaron', 'Kieran', 'Bailey', 'Jake', 'Mohammed', 'Ibrahim']
const FAMILY = ['Marsh', 'Brooks', 'Price', 'Turner', 'Clarke', 'Walsh', 'Hughes', 'Bennett', 'Fletcher', 'Hayes', 'Doyle', 'Reid', 'Gordon', 'Barker', 'Lloyd', 'Shaw', 'Ellis', 'Mills', 'Webb', 'Powell', 'Kaur', 'Ahmed', 'Mensah', 'Osei', 'Nowak', 'Kowalski', 'Campbell', 'Francis', 'Stewart', 'Holloway', 'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts', 'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Green', 'Hall', 'Wood', 'Harris', 'Martin', 'Jackson', 'Clark', 'Lewis', 'Morris', 'Cooper', 'King', 'Baker', 'Ward', 'Okafor', 'Adeyemi', 'Boateng', 'Begum', 'Hussain', 'Khan', 'Ali', 'Patel', 'Singh', 'Murphy', 'Kelly', 'Byrne', 'Nguyen', 'Silva', 'Santos']
const ETHNICITY: [string, number][] = [
  ['White', 70],
  ['Black, Black British, Caribbean or African', 11],
  ['Mixed or multiple ethnic groups', 9],
  ['Asian or Asian British', 6],
  ['Other ethnic group', 2],
  ['Not known', 2],
]
const SCHOOLS = ['Havant Academy', 'Park Community School', 'Brune Park School', 'The Vyne Community School', 'Cranbourne School', 'Crestwood College', 'Oaklands Catholic School', 'Solent Learning Trust alternative provision', 'Priestlands School', 'Cowes Enterprise College', 'Redbridge Community School', 'Mayfield School', 'Court Moor School', 'Kings’ School', 'Test Valley School']

/** A version 4 UUID from the seeded generator, so ids are known before the rows are written. */
function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random.next() * 16).toString(16))
  hex[12] = '4'
  hex[16] = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)
  const s = hex.join('')
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
}

const DAY = 86_400_000
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY)

/** Spreads `total` over `n` takers, each at least `min`, more to the ones with the larger weights. */
function spread(random: Random, total: number, weights: number[], min = 1): number[] {
  const counts = weights.map(() => min)
  let left = total - min * weights.length
  if (left < 0) throw new Error(`cannot spread ${total} over ${weights.length} with at least ${min} each`)
  const sum = weights.reduce((s, w) => s + w, 0)
  for (let i = 0; i < weights.length && left > 0; i++) {
    const extra = Math.min(left, Math.floor(((total - min * weights.length) * weights[i]) / sum))
    counts[i] += extra
    left -= extra
  }
  while (left > 0) {
    counts[random.int(0, counts.length - 1)]++
    left--
  }
  return counts
}

async function insertBatches<T extends Record<string, unknown>>(db: Db, table: string, rows: T[], size = 1000) {
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table as never)
      .values(rows.slice(i, i + size) as never)
      .execute()
  }
}

export interface ScaleSummary {
  areas: number
  agencies: number
  teams: number
  users: number
  children: number
  adults: number
  assessments: number
  missingEpisodes: number
  shares: number
  events: number
}

/**
 * Writes the county. Refuses a database that already holds one (the settings row 'scale_seed'),
 * so a second run cannot double it. Uses the demo's areas, agencies, teams and users where they
 * exist (so the demo's practitioner and manager hold part of the county's caseload) and creates
 * what is missing.
 */
export async function seedScale(db: Db, spec: ScaleSpec, options: { seed: number; today: Date; log?: (message: string) => void }): Promise<ScaleSummary> {
  const log = options.log ?? (() => undefined)
  const random = new Random(options.seed)
  const today = new Date(`${isoDate(options.today)}T12:00:00Z`)

  const summary = await db.transaction().execute(async (trx) => {
    const already = await trx.selectFrom('settings').select('value').where('key', '=', 'scale_seed').executeTakeFirst()
    if (already) throw new Error(`this database already holds a generated county (${already.value}); use a fresh database`)
    const toolRow = await trx.selectFrom('screening_tools').select(['version', 'definition']).orderBy('version', 'desc').limit(1).executeTakeFirst()
    if (!toolRow) throw new Error('no screening tool in the database: run the migrations first')
    const tool = toolRow.definition as ScreeningTool

    // Areas: the demo's where they exist, created from the same list where not.
    const areaIds: Record<string, string> = {}
    for (const a of await trx.selectFrom('areas').select(['id', 'code']).execute()) areaIds[a.code] = a.id
    for (const code of ['E10000014', ...AREAS.map((a) => a.code)]) {
      if (areaIds[code]) continue
      const def = DEMO_AREAS.find((a) => a.code === code)!
      const row = await trx
        .insertInto('areas')
        .values({ code, name: def.name, kind: def.kind, parent_id: 'parent' in def ? areaIds[def.parent] : null })
        .returning('id')
        .executeTakeFirstOrThrow()
      areaIds[code] = row.id
    }

    // Agencies and teams.
    async function agency(name: string, short: string, kind: 'county_council' | 'unitary_council' | 'police' | 'health', area: string) {
      const found = await trx.selectFrom('agencies').select('id').where('name', '=', name).executeTakeFirst()
      if (found) return found.id
      return (await trx.insertInto('agencies').values({ name, short_name: short, kind, area_id: areaIds[area] }).returning('id').executeTakeFirstOrThrow()).id
    }
    async function team(agencyId: string, name: string) {
      const found = await trx.selectFrom('teams').select('id').where('agency_id', '=', agencyId).where('name', '=', name).executeTakeFirst()
      if (found) return found.id
      return (await trx.insertInto('teams').values({ agency_id: agencyId, name }).returning('id').executeTakeFirstOrThrow()).id
    }
    const councilIds: Record<string, string> = {}
    for (const [key, c] of Object.entries(COUNCILS)) councilIds[key] = await agency(c.name, c.short, c.kind, c.area)
    const police = await agency('Hampshire and Isle of Wight Constabulary', 'Police', 'police', 'E10000014')
    const nhs = await agency('Hampshire and Isle of Wight Healthcare NHS Foundation Trust', 'NHS trust', 'health', 'E10000014')
    const agencyCount = Object.keys(councilIds).length + 2

    // The demo's people, where loaded: the Willow team covers Havant, the MET team the East.
    const demoUser = async (email: string) => trx.selectFrom('users').select(['id', 'team_id']).where('email', '=', email).executeTakeFirst()
    const [demoPractitioner, demoManager, demoOfficer] = await Promise.all([demoUser('practitioner@lantern.test'), demoUser('manager@lantern.test'), demoUser('officer@lantern.test')])

    interface Team {
      id: string
      agencyId: string
      workers: string[]
      manager: string
    }
    const users: Record<string, unknown>[] = []
    let userNo = 0
    function addUser(name: string, role: 'practitioner' | 'manager', agencyId: string, teamId: string): string {
      const id = uuid(random)
      userNo++
      users.push({ id, email: `${role}.${String(userNo).padStart(3, '0')}@scale.lantern.test`, name, role, agency_id: agencyId, team_id: teamId, password_hash: null, demo_account: true, updated_at: today })
      return id
    }
    const personName = () => `${random.pick(random.chance(0.5) ? GIVEN_F : GIVEN_M)} ${random.pick(FAMILY)}`
    async function makeTeam(agencyId: string, name: string, size: number, demo?: { teamId?: string | null; workers: (string | undefined)[]; manager?: string }): Promise<Team> {
      const id = demo?.teamId ?? (await team(agencyId, name))
      const workers = (demo?.workers.filter(Boolean) as string[]) ?? []
      while (workers.length < size) workers.push(addUser(personName(), 'practitioner', agencyId, id))
      return { id, agencyId, workers, manager: demo?.manager ?? addUser(personName(), 'manager', agencyId, id) }
    }

    const areaTeams: Record<string, Team> = {}
    for (const a of AREAS) {
      const name = (await trx.selectFrom('areas').select('name').where('id', '=', areaIds[a.code]).executeTakeFirstOrThrow()).name
      const useDemo = a.code === 'E07000090' && demoPractitioner?.team_id
      areaTeams[a.code] = await makeTeam(
        councilIds[a.council],
        `Exploitation team, ${name}`,
        Math.max(3, Math.round(a.weight * 0.9)),
        useDemo ? { teamId: demoPractitioner!.team_id, workers: [demoPractitioner!.id], manager: demoManager?.id } : undefined,
      )
    }
    const policeTeams: Team[] = []
    for (const [i, region] of REGIONS.entries()) {
      const useDemo = i === 1 && demoOfficer?.team_id
      policeTeams.push(await makeTeam(police, `MET team, ${region}`, 10, useDemo ? { teamId: demoOfficer!.team_id, workers: [demoOfficer!.id] } : undefined))
    }
    const nhsTeam = await makeTeam(nhs, 'Safeguarding Children Team', 6)
    await insertBatches(trx, 'users', users)
    log(`users: ${users.length}`)

    // People.
    const areaPick = AREAS.map((a) => [a, a.weight] as const)
    const ageOf = (dob: string) => {
      const [y, m, d] = dob.split('-').map(Number)
      const t = new Date(today)
      let age = t.getUTCFullYear() - y
      if (t.getUTCMonth() + 1 < m || (t.getUTCMonth() + 1 === m && t.getUTCDate() < d)) age--
      return age
    }
    interface P {
      row: Record<string, unknown> & { id: string; kind: PersonKind; date_of_birth: string; learning_disability: boolean; send: boolean; looked_after: boolean; care_leaver: boolean; created_at: Date }
      home: (typeof AREAS)[number]
      current: (typeof AREAS)[number]
      team: Team
      propensity: number
    }
    const people: P[] = []
    const shares: Record<string, unknown>[] = []
    const shared = new Set<string>()
    const identifiers: Record<string, unknown>[] = []
    const aliases: Record<string, unknown>[] = []
    for (let i = 0; i < spec.children + spec.adults; i++) {
      const kind: PersonKind = i < spec.children ? 'child' : 'adult'
      const female = random.chance(kind === 'child' ? 0.42 : 0.18)
      const careLeaver = kind === 'child' && random.chance(0.05)
      const age = kind === 'child' ? (careLeaver ? random.int(18, 21) : random.weighted([[10, 1], [11, 2], [12, 4], [13, 7], [14, 10], [15, 12], [16, 11], [17, 8]] as const)) : random.int(18, 52)
      const dob = isoDate(addDays(today, -(age * 365.25 + random.int(1, 360))))
      const home = kind === 'adult' && random.chance(0.25) ? AREAS.find((a) => a.code === 'E09000022')! : random.weighted(areaPick)
      const current = kind === 'child' && random.chance(0.08) ? random.weighted(areaPick.filter(([a]) => a.code !== home.code)) : home
      const lookedAfter = kind === 'child' && (current.code !== home.code ? random.chance(0.7) : random.chance(0.05))
      const ownerKind = kind === 'adult' ? (random.chance(0.85) ? 'police' : 'council') : random.weighted([['council', 72], ['police', 20], ['nhs', 8]] as const)
      const team = ownerKind === 'council' ? areaTeams[home.code] : ownerKind === 'police' ? policeTeams[home.region] : nhsTeam
      const id = uuid(random)
      const created = addDays(today, -random.int(30, 1100))
      const row = {
        id,
        kind,
        given_name: random.pick(female ? GIVEN_F : GIVEN_M),
        family_name: random.pick(FAMILY),
        preferred_name: null,
        date_of_birth: dob,
        approximate_age: null,
        gender: female ? 'female' : random.chance(0.01) ? 'non_binary' : 'male',
        ethnicity: random.weighted(ETHNICITY),
        home_area_id: areaIds[home.code],
        current_area_id: areaIds[current.code],
        school: kind === 'child' && !careLeaver ? random.pick(SCHOOLS) : null,
        looked_after: lookedAfter,
        care_leaver: careLeaver,
        send: kind === 'child' && random.chance(0.14),
        learning_disability: random.chance(0.03),
        owner_agency_id: team.agencyId,
        owner_team_id: team.id,
        allocated_worker_id: random.chance(0.92) ? random.pick(team.workers) : null,
        current_rag: null as Level | null,
        current_rag_at: null as Date | null,
        next_review_due: null as string | null,
        created_by: team.manager,
        created_at: created,
        updated_at: created,
      }
      people.push({ row, home, current, team, propensity: random.next() ** 2.2 })
      // Sharing: the police with the council and back, and the council where a child now lives.
      const share = (agencyId: string) => {
        if (agencyId !== team.agencyId && !shared.has(`${id}:${agencyId}`)) {
          shared.add(`${id}:${agencyId}`)
          shares.push({ id: uuid(random), record_type: 'person', record_id: id, agency_id: agencyId, user_id: null, granted_by: team.manager, granted_at: addDays(created, 1) })
        }
      }
      if (ownerKind === 'council' && random.chance(0.55)) share(police)
      if (ownerKind === 'police' && random.chance(kind === 'child' ? 0.85 : 0.1)) share(councilIds[home.council])
      if (ownerKind === 'nhs' && random.chance(0.6)) share(councilIds[home.council])
      if (current.council !== home.council && kind === 'child') share(councilIds[current.council])
      if (kind === 'child') identifiers.push({ person_id: id, scheme: 'council_case', value: `${home.council.slice(0, 3).toUpperCase()}-${String(100000 + i)}`, agency_id: councilIds[home.council] })
      else {
        identifiers.push({ person_id: id, scheme: 'police_nominal', value: `HIOW-${String(3000000 + i)}`, agency_id: police })
        if (random.chance(0.3)) aliases.push({ person_id: id, name: `${random.pick(['Little', 'Big', 'Young', 'K', 'J', 'T'])}${random.pick(['', ' '])}${random.pick(['Man', 'G', 'Dee', 'Rocks', 'Smoke', 'Vee'])}`, kind: 'street_name' })
      }
    }

    // Assessments: for most children, one or more over time; the risk mostly comes down.
    const assessed = people.filter((p) => p.row.kind === 'child' && random.chance(0.75))
    const perChild = spread(random, spec.assessments, assessed.map((p) => 0.3 + p.propensity * 2 + random.next()))
    const assessments: Record<string, unknown>[] = []
    const events: Record<string, unknown>[] = []
    const indicators = tool.groups.flatMap((g) => g.indicators)
    const intervalDays: Record<Level, number> = { red: 7 * tool.reviewWeeks.red, amber: 7 * tool.reviewWeeks.amber, green: 7 * tool.reviewWeeks.green }
    const scoreOn = (p: P, answers: Answers, at: Date) => {
      const age = ageOf(p.row.date_of_birth) - Math.floor((today.getTime() - at.getTime()) / (365.25 * DAY))
      const subject = { age, flags: (['learning_disability', 'send', 'looked_after', 'care_leaver'] as const).filter((f) => p.row[f]) }
      return { result: scoreAssessment(tool, answers, subject), subject }
    }
    assessed.forEach((p, n) => {
      const count = perChild[n]
      // The answers of each screening, the risk drifting (mostly down) from one to the next.
      let risk = Math.min(1, p.propensity * 1.3 + 0.05)
      const answersList: Answers[] = []
      for (let k = 0; k < count; k++) {
        const answers: Answers = {}
        for (const ind of indicators) {
          const x = random.next()
          const pCurrent = risk * 0.18 * (ind.weight >= 4 ? 0.6 : 1)
          answers[ind.key] = { status: x < pCurrent ? 'current' : x < pCurrent + risk * 0.1 ? 'recent' : 'not_present', note: null }
        }
        answersList.push(answers)
        risk = Math.max(0.02, Math.min(1, risk + (random.next() - 0.6) * 0.25))
      }
      // Levels as of today, to space the screenings by their review intervals, backwards from the
      // latest; most reviews are on time, some are due, a few overdue.
      const levels = answersList.map((a) => scoreOn(p, a, today).result.level)
      const dates: Date[] = new Array(count)
      const lastInterval = intervalDays[levels[count - 1]]
      const lateness = random.weighted([[random.next() * 1.0, 88], [1 + random.next() * 0.6, 8], [1.6 + random.next() * 2.4, 4]] as const)
      dates[count - 1] = addDays(today, -Math.floor(lastInterval * lateness))
      for (let k = count - 2; k >= 0; k--) dates[k] = addDays(dates[k + 1], -(intervalDays[levels[k]] + random.int(-7, 14)))
      let lastFinal: Level | null = null
      for (let k = 0; k < count; k++) {
        const at = new Date(`${isoDate(dates[k])}T${String(9 + random.int(0, 7)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:00Z`)
        const { result, subject } = scoreOn(p, answersList[k], at)
        const { unanswered: _u, ...kept } = result
        const override = random.chance(0.04) && result.level !== 'red'
        const final: Level = override ? (result.level === 'green' ? 'amber' : 'red') : result.level
        const latest = k === count - 1
        const awaiting = latest && final === 'red' && random.chance(0.05)
        const by = p.row.allocated_worker_id ?? random.pick(p.team.workers)
        const id = uuid(random)
        const reviewDue = reviewDueOn(tool, final, isoDate(at))
        assessments.push({
          id,
          person_id: p.row.id,
          tool_version: toolRow.version,
          kind: k === 0 ? 'initial' : 'review',
          status: awaiting ? 'awaiting_confirmation' : 'final',
          answers: JSON.stringify(answersList[k]),
          computed_score: result.score,
          computed_level: result.level,
          explanation: JSON.stringify({ ...kept, subject }),
          final_level: final,
          override_reason: override ? 'Professional judgement: the indicators understate what we know from the family and the school' : null,
          analysis: null,
          review_due: reviewDue,
          started_by: by,
          started_at: new Date(at.getTime() - 3 * 3600_000),
          updated_by: by,
          updated_at: at,
          submitted_by: by,
          submitted_at: at,
          confirmed_by: final === 'red' && !awaiting ? p.team.manager : null,
          confirmed_at: final === 'red' && !awaiting ? new Date(at.getTime() + 26 * 3600_000) : null,
          confirmation_outcome: final === 'red' && !awaiting ? 'confirmed' : null,
          version: 3,
        })
        const word = { red: 'Red', amber: 'Amber', green: 'Green' }
        events.push({ person_id: p.row.id, at, kind: 'assessment', summary: `${k === 0 ? 'Screening' : 'Review'}: ${word[final]}${lastFinal && lastFinal !== final ? ` (was ${word[lastFinal]})` : ''}`, actor_id: by, ref_type: 'risk_assessment', ref_id: id, police_only: false })
        lastFinal = final
        if (latest) {
          p.row.current_rag = final
          p.row.current_rag_at = at
          p.row.next_review_due = reviewDue
        }
      }
    })

    // Missing episodes: a minority of children go missing, a few of them often.
    const goMissing = people.filter((p) => p.row.kind === 'child' && random.chance(0.15 + p.propensity * 0.35))
    const perMissing = spread(random, spec.missingEpisodes, goMissing.map((p) => p.propensity ** 2 * 6 + random.next() * 0.5))
    const episodes: Record<string, unknown>[] = []
    const officers = policeTeams.flatMap((t) => t.workers)
    goMissing.forEach((p, n) => {
      // One episode a day at most, mostly in the evening, more of them recently.
      const days = new Set<number>()
      for (let k = 0; k < perMissing[n]; k++) {
        let offset = Math.floor(random.next() ** 1.3 * 720)
        while (days.has(offset)) offset = (offset + 1) % 720
        days.add(offset)
      }
      const times = [...days]
        .map((offset) => {
          const hour = random.weighted([[16, 2], [18, 3], [20, 4], [22, 4], [23, 2], [1, 1], [10, 1]] as const)
          return new Date(`${isoDate(addDays(today, -offset - 1))}T${String(hour).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:00Z`)
        })
        .sort((a, b) => a.getTime() - b.getTime())
      times.forEach((reported, k) => {
        const latest = k === times.length - 1
        // Found some hours later, before the next episode began and not after today.
        let found: Date | null = new Date(reported.getTime() + Math.round(Math.exp(random.next() * 4.2 + 1.5)) * 3600_000)
        if (!latest && found.getTime() >= times[k + 1].getTime()) found = new Date(times[k + 1].getTime() - 3600_000)
        if (latest && (found.getTime() > today.getTime() || (today.getTime() - reported.getTime() < 3 * DAY && random.chance(0.5)))) found = null
        const elsewhere = random.chance(0.3)
        const foundArea = found ? (elsewhere ? random.weighted(areaPick.filter(([a]) => a.code !== p.home.code && a.code !== p.current.code)) : p.current) : null
        const offered = found && random.chance(0.9) ? new Date(found.getTime() + random.int(2, 60) * 3600_000) : null
        const declined = Boolean(offered) && random.chance(0.1)
        const held = offered && !declined && random.chance(0.8) ? new Date(offered.getTime() + random.int(0, 36) * 3600_000) : null
        const concerns = CONCERNS.map((c) => c.value).filter(() => random.chance(0.08 + p.propensity * 0.15))
        const id = uuid(random)
        const by = random.pick(officers)
        episodes.push({
          id,
          person_id: p.row.id,
          reported_missing_at: reported,
          missing_from_area_id: areaIds[p.current.code],
          police_reference: `44${String(26000000 + episodes.length)}`,
          found_at: found,
          found_area_id: foundArea ? areaIds[foundArea.code] : null,
          found_location: null,
          found_out_of_area: Boolean(foundArea && elsewhere),
          found_by: found ? random.weighted([['police', 4], ['parent_or_carer', 3], ['returned_themselves', 4], ['professional', 1], ['other', 1]] as const) : null,
          found_by_detail: null,
          concerns: JSON.stringify(concerns),
          notes: null,
          rhi_offered_at: offered && offered.getTime() <= today.getTime() ? offered : null,
          rhi_held_at: held && held.getTime() <= today.getTime() ? held : null,
          rhi_agency_id: held ? p.team.agencyId : null,
          rhi_declined: declined && Boolean(offered && offered.getTime() <= today.getTime()),
          rhi_held_by: null,
          rhi_notes: null,
          created_by: by,
          created_at: new Date(reported.getTime() + 3600_000),
          updated_by: by,
          updated_at: found ?? reported,
          version: 1,
        })
        events.push({ person_id: p.row.id, at: reported, kind: 'missing', summary: found ? 'Missing episode recorded' : 'Reported missing', actor_id: by, ref_type: 'missing_episode', ref_id: id, police_only: false })
      })
    })

    // A record is created before anything is recorded on it.
    const earliest = new Map<string, number>()
    for (const e of events) earliest.set(e.person_id as string, Math.min(earliest.get(e.person_id as string) ?? Infinity, (e.at as Date).getTime()))
    for (const p of people) {
      const first = earliest.get(p.row.id)
      if (first !== undefined && first - DAY < p.row.created_at.getTime()) p.row.created_at = p.row.updated_at = new Date(first - random.int(1, 20) * DAY)
    }
    for (const p of people) events.push({ person_id: p.row.id, at: p.row.created_at, kind: 'created', summary: 'Record created', actor_id: p.team.manager, ref_type: null, ref_id: null, police_only: false })

    await insertBatches(trx, 'people', people.map((p) => p.row))
    log(`people: ${people.length}`)
    await insertBatches(trx, 'record_shares', shares)
    await insertBatches(trx, 'person_identifiers', identifiers)
    await insertBatches(trx, 'person_aliases', aliases)
    await insertBatches(trx, 'risk_assessments', assessments, 500)
    log(`assessments: ${assessments.length}`)
    await insertBatches(trx, 'missing_episodes', episodes)
    log(`missing episodes: ${episodes.length}`)
    await insertBatches(trx, 'person_events', events)
    const summary: ScaleSummary = {
      areas: AREAS.length,
      agencies: agencyCount,
      teams: Object.keys(areaTeams).length + policeTeams.length + 1,
      users: users.length,
      children: spec.children,
      adults: spec.adults,
      assessments: assessments.length,
      missingEpisodes: episodes.length,
      shares: shares.length,
      events: events.length,
    }
    await trx.insertInto('settings').values({ key: 'scale_seed', value: JSON.stringify({ seed: options.seed, today: isoDate(today), ...summary }) }).execute()
    return summary
  })
  // Fresh statistics and visibility information, so the first queries are not the slow ones.
  await sql`vacuum analyze`.execute(db)
  return summary
}
