import type { DemoSeed } from '../../demo/context.ts'
import { demoAt, isoDate } from '../../demo/context.ts'
import { formatDate } from '../../web/nunjucks.ts'
import { DemoEvents, personRatingStore } from '../people/index.ts'
import { DEFAULT_TOOL_V1 } from './default-tool.ts'
import { reviewDueOn, scoreAssessment, type Answers } from './scoring.ts'
import { subjectOf } from './service.ts'
import { LEVEL_TEXT, type Level } from './tool.ts'

const tool = DEFAULT_TOOL_V1

type Spec = {
  daysAgo: number
  time?: string
  by: string
  current?: string[]
  recent?: string[]
  notes?: Record<string, string>
  /** The level the answers must produce: the demo checks itself against the scoring engine. */
  expect: Level
  finalLevel?: Level
  overrideReason?: string
  analysis?: string
  /** Red: confirmed by this user a day later, or left awaiting confirmation. */
  confirmedBy?: string | null
}

const answersOf = (s: Pick<Spec, 'current' | 'recent' | 'notes'>): Answers => {
  const answers: Answers = {}
  for (const g of tool.groups) for (const i of g.indicators) answers[i.key] = { status: 'not_present', note: null }
  for (const k of s.recent ?? []) answers[k] = { status: 'recent', note: s.notes?.[k] ?? null }
  for (const k of s.current ?? []) answers[k] = { status: 'current', note: s.notes?.[k] ?? null }
  return answers
}

/**
 * The risk story: the cast's ratings over time (Kyle Amber then Red after Portsmouth, confirmed by
 * the manager; Mason Amber then Green, the risk coming down; Ellie Amber by the under-13 rule…),
 * then plausible screenings and reviews for the wider caseload, some reviews due and some overdue.
 */
export async function seedRisk(seed: DemoSeed) {
  const { db, refs, today, random } = seed
  refs.crowdRisk = {}
  const events = new DemoEvents()
  const people = await db
    .selectFrom('people')
    .select(['id', 'date_of_birth', 'approximate_age', 'learning_disability', 'send', 'looked_after', 'care_leaver', 'owner_agency_id'])
    .execute()
  const byId = new Map(people.map((p) => [p.id, p]))

  async function rate(key: string, specs: Spec[]) {
    const personId = refs.people[key]
    const person = byId.get(personId)!
    let last: { level: Level; at: Date; reviewDue: string } | null = null
    for (const [n, s] of specs.entries()) {
      const at = demoAt(today, s.daysAgo, s.time)
      const day = isoDate(at)
      const answers = answersOf(s)
      const subject = subjectOf(person, day)
      const result = scoreAssessment(tool, answers, subject)
      if (result.level !== s.expect) throw new Error(`Demo risk for ${key} ${s.daysAgo} days ago scores ${result.level} (${result.score}), expected ${s.expect}`)
      const final = s.finalLevel ?? result.level
      const awaiting = final === 'red' && s.confirmedBy === null
      const reviewDue = reviewDueOn(tool, final, day)
      const confirmedAt = final === 'red' && s.confirmedBy ? new Date(at.getTime() + 20 * 3600_000) : null
      const { unanswered: _u, ...kept } = result
      const row = await db
        .insertInto('risk_assessments')
        .values({
          person_id: personId,
          tool_version: 1,
          kind: n === 0 ? 'initial' : 'review',
          status: awaiting ? 'awaiting_confirmation' : 'final',
          answers: JSON.stringify(answers),
          computed_score: result.score,
          computed_level: result.level,
          explanation: JSON.stringify({ ...kept, subject }),
          final_level: final,
          override_reason: final === result.level ? null : (s.overrideReason ?? 'Professional judgement, discussed with the manager'),
          analysis: s.analysis ?? null,
          review_due: reviewDue,
          started_by: refs.users[s.by],
          started_at: new Date(at.getTime() - 2 * 3600_000),
          updated_by: refs.users[s.by],
          updated_at: at,
          submitted_by: refs.users[s.by],
          submitted_at: at,
          confirmed_by: confirmedAt ? refs.users[s.confirmedBy!] : null,
          confirmed_at: confirmedAt,
          confirmation_outcome: confirmedAt ? 'confirmed' : null,
          version: 3,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const kind = n === 0 ? 'screening' : 'review'
      events.add({
        personId,
        kind: 'assessment',
        summary: awaiting
          ? `Rated Red – awaiting manager confirmation (${kind}, score ${result.score})`
          : `Rated ${LEVEL_TEXT[final]} (${kind}, score ${result.score}${final !== result.level ? `; computed ${LEVEL_TEXT[result.level]}, set to ${LEVEL_TEXT[final]} with a reason` : ''}); next review by ${formatDate(reviewDue)}`,
        actorId: refs.users[s.by],
        at,
        refType: 'risk_assessment',
        refId: row.id,
      })
      if (confirmedAt) {
        events.add({ personId, kind: 'assessment-confirmation', summary: 'Red rating confirmed by Priya Natarajan, manager', actorId: refs.users[s.confirmedBy!], at: confirmedAt, refType: 'risk_assessment', refId: row.id })
      }
      last = { level: final, at, reviewDue }
    }
    if (last) await personRatingStore(db).seed(personId, last)
  }

  // The cast.
  await rate('kyle', [
    {
      daysAgo: 150,
      by: 'practitioner',
      expect: 'amber',
      current: ['unknown_addresses', 'multiple_phones', 'older_associates', 'attendance'],
      recent: ['unexplained_cash', 'behaviour_change'],
      notes: { older_associates: 'Seen getting into cars with young men from Portsmouth after school.', multiple_phones: 'Mum found a second phone, a cheap handset.' },
      analysis: 'Early signs of grooming by older associates; school attendance falling. Multi-agency plan with the school and police.',
    },
    {
      daysAgo: 20,
      time: '15:30',
      by: 'practitioner',
      expect: 'red',
      confirmedBy: 'manager',
      current: ['missing_repeated', 'found_out_of_area', 'unknown_addresses', 'unexplained_cash', 'multiple_phones', 'older_associates', 'known_nominals', 'found_other_area_with_drugs', 'running_drugs', 'attendance'],
      notes: {
        found_other_area_with_drugs: 'Found by police in Portsmouth with 14 wraps of crack cocaine and £420 in cash.',
        running_drugs: 'Told the return home interviewer he was “working” for Jay to pay back a debt.',
      },
      analysis: 'Kyle is being criminally exploited by the “Jay” line. Strategy meeting held; NRM referral made; discussed at MACE.',
    },
  ])
  await rate('aaliyah', [
    { daysAgo: 130, by: 'practitioner', expect: 'green', current: ['behaviour_change', 'isolation'] },
    {
      daysAgo: 40,
      by: 'practitioner',
      expect: 'amber',
      current: ['older_associates', 'sexual_exploitation', 'new_possessions', 'behaviour_change'],
      recent: ['attendance'],
      notes: { sexual_exploitation: 'In a relationship with a 21-year-old man known to police; gifts of clothes and a phone.' },
      analysis: 'Risk has gone up since the spring. Safety plan with her mum; youth worker allocated.',
    },
  ])
  await rate('jayden', [
    {
      daysAgo: 100,
      by: 'practitioner',
      expect: 'amber',
      current: ['missing_repeated', 'unknown_addresses', 'multiple_phones'],
      recent: ['substance_misuse', 'exclusion'],
    },
    {
      daysAgo: 32,
      time: '11:00',
      by: 'practitioner',
      expect: 'red',
      confirmedBy: 'manager',
      current: ['missing_repeated', 'found_out_of_area', 'trap_house', 'unexplained_cash', 'debt_bondage', 'known_nominals', 'gang_association', 'found_with_drugs', 'arrested_other_area', 'exclusion'],
      notes: {
        found_out_of_area: 'Found in Havant three times since September; he is placed in Southampton.',
        trap_house: 'Found at a flat in Leigh Park used for dealing.',
      },
      analysis: 'Looked-after child placed out of area, going missing repeatedly and found running drugs in Havant. Lambeth notified as the responsible authority.',
    },
  ])
  await rate('ellie', [
    {
      daysAgo: 35,
      by: 'practitioner',
      expect: 'amber',
      current: ['behaviour_change', 'isolation'],
      recent: ['new_possessions'],
      notes: { isolation: 'Has stopped seeing friends from primary school; spends time with older teenagers.' },
      analysis: 'The score alone would be Green, but Ellie is 12: any current indicator means at least Amber.',
    },
  ])
  await rate('mason', [
    { daysAgo: 200, by: 'officer', expect: 'amber', current: ['found_with_drugs', 'older_associates', 'exclusion'] },
    { daysAgo: 140, by: 'officer', expect: 'amber', current: ['older_associates', 'exclusion'], recent: ['found_with_drugs'] },
    {
      daysAgo: 60,
      by: 'officer',
      expect: 'green',
      recent: ['older_associates', 'exclusion'],
      analysis: 'Mason has a place on a construction course and has cut contact with the older group. Risk has come down.',
    },
  ])
  await rate('tia', [{ daysAgo: 70, by: 'practitioner2', expect: 'green', current: ['attendance'], recent: ['behaviour_change'] }])

  // The wider caseload: a few not yet screened, the rest screened and reviewed over the last year.
  const low = ['behaviour_change', 'isolation', 'performance', 'new_possessions', 'frequent_calls', 'attendance', 'unknown_addresses']
  const mid = ['unexplained_cash', 'multiple_phones', 'older_associates', 'substance_misuse', 'exclusion', 'unexplained_travel', 'missing_repeated', 'self_harm']
  const high = ['known_nominals', 'gang_association', 'found_with_drugs', 'trap_house', 'debt_bondage', 'found_out_of_area', 'carrying_knife', 'arrested_other_area', 'running_drugs']
  const pickSome = (list: string[], n: number) => random.shuffle([...list]).slice(0, n)
  const intervalDays: Record<Level, number> = { red: 28, amber: 56, green: 84 }
  let awaitingLeft = 2
  for (let i = 1; i <= 48; i++) {
    const key = `child${i}`
    const personId = refs.people[key]
    if (!personId) continue
    if (i % 12 === 5) continue // not yet screened
    const profile = random.weighted<Level>([
      ['green', 45],
      ['amber', 40],
      ['red', 15],
    ])
    refs.crowdRisk[key] = profile
    const count = random.int(1, 3)
    const specs: Spec[] = []
    const dates: number[] = [Math.round(intervalDays[profile] * (0.15 + random.next() * 1.1))]
    for (let k = 1; k < count; k++) dates.push(dates[k - 1] + random.int(30, 90))
    dates.reverse()
    for (const [k, d] of dates.entries()) {
      const stage: Level = k === dates.length - 1 ? profile : random.pick<Level>(['green', 'amber', profile])
      const current: string[] = []
      const recent: string[] = []
      const add = (list: string[], n: number, pCurrent: number) => {
        for (const ind of pickSome(list, n)) (random.chance(pCurrent) ? current : recent).push(ind)
      }
      if (stage === 'green') add(low, random.int(0, 3), 0.3)
      if (stage === 'amber') {
        add(low, random.int(1, 3), 0.6)
        add(mid, random.int(2, 4), 0.6)
      }
      if (stage === 'red') {
        add(low, random.int(1, 3), 0.8)
        add(mid, random.int(3, 5), 0.8)
        add(high, random.int(3, 5), 0.9)
      }
      const uniq = (xs: string[]) => [...new Set(xs)]
      const cur = uniq(current)
      const rec = uniq(recent).filter((x) => !cur.includes(x))
      const person = byId.get(personId)!
      const day = isoDate(demoAt(today, d))
      const level = scoreAssessment(tool, answersOf({ current: cur, recent: rec }), subjectOf(person, day)).level
      const owner = Object.entries(refs.agencies).find(([, id]) => id === person.owner_agency_id)?.[0]
      const by = owner === 'police' ? random.pick(['officer', 'officer2']) : owner === 'nhs' ? 'nurse' : random.pick(['practitioner', 'practitioner', 'practitioner2', 'manager'])
      const lastOne = k === dates.length - 1
      let confirmedBy: string | null | undefined = level === 'red' ? 'manager' : undefined
      if (level === 'red' && lastOne && owner === 'county' && by !== 'manager' && awaitingLeft > 0) {
        confirmedBy = null
        awaitingLeft--
      }
      specs.push({ daysAgo: d, time: `${random.int(9, 17)}:${random.pick(['00', '15', '30', '45'])}`, by, current: cur, recent: rec, expect: level, confirmedBy })
    }
    await rate(key, specs)
  }
  await events.flush(db)
}
