import type { DemoSeed } from '../../demo/context.ts'
import { londonMonth } from '../../kernel/london.ts'
import { daysAgo, isoDate } from '../../demo/context.ts'
import { buildReportContent } from './report-content.ts'
import { addMonths, financialYearLabel, periodContaining } from './periods.ts'
import type { ActionStatus } from './tables.ts'

interface DemoObjective {
  title: string
  description: string
  lead: string
  indicators: string[]
  actions: { title: string; lead: string; dueInDays: number; status: ActionStatus; note?: string }[]
}

/** The panel asked for "a strategy with key objectives and indicators": here it is, with its actions. */
const OBJECTIVES: DemoObjective[] = [
  {
    title: 'Reduce the harm of county lines',
    description: 'Find the lines that run into the county, disrupt the adults who run them, close the homes they take over, and use modern slavery offences where they are the stronger charge.',
    lead: 'police',
    indicators: ['drug-trafficking-offences', 'possession-of-weapons', 'drug-offences', 'lines-closed'],
    actions: [
      { title: 'A joint disruption plan for every line identified, reviewed monthly at the MACE meeting', lead: 'police', dueInDays: 120, status: 'in_progress', note: 'Plans in place for 9 of the 11 lines known this year.' },
      { title: 'Agree the closure order pathway for cuckooed homes with the district councils', lead: 'havant', dueInDays: -60, status: 'complete', note: 'Agreed with Havant and Basingstoke and Deane; the others follow the same pathway.' },
      { title: 'A quarterly intelligence product on lines crossing from the London boroughs', lead: 'police', dueInDays: -14, status: 'in_progress', note: 'First product delayed by the new analyst post; now due next month.' },
      { title: 'Knife amnesty bins and test purchases with trading standards in the three highest areas', lead: 'county', dueInDays: 200, status: 'not_started' },
    ],
  },
  {
    title: 'Identify and protect children at risk of exploitation',
    description: 'Screen every child of concern with one tool shared by every agency, act on Red ratings at once, and bring each child’s risk down.',
    lead: 'county',
    indicators: ['children-rated-red', 'missing-episodes', 'return-interviews-72h', 'nrm-referrals'],
    actions: [
      { title: 'One exploitation screening tool used by every agency', lead: 'county', dueInDays: -200, status: 'complete' },
      { title: 'A return home interview offered within 72 hours to every child found', lead: 'county', dueInDays: 90, status: 'in_progress', note: 'Weekend cover agreed with the out-of-hours team from January.' },
      { title: 'Train the designated safeguarding lead of every secondary school on the signs', lead: 'schools', dueInDays: 150, status: 'in_progress', note: '34 of 52 schools trained.' },
    ],
  },
  {
    title: 'Help the public recognise and report the signs',
    description: 'Neighbours see the signs first. Make it easy to report a concern online, by 101 or anonymously, and answer 101 promptly.',
    lead: 'opcc',
    indicators: ['public-reports', '101-calls-answered-60s', 'awareness-workshop-attendance'],
    actions: [
      { title: 'Awareness workshops for agencies that work with homeless people', lead: 'county', dueInDays: -30, status: 'complete', note: 'Five workshops held; attendance by organisation is recorded.' },
      { title: 'Publish the signs of county lines and how to report them', lead: 'county', dueInDays: -90, status: 'complete' },
      { title: '101 call-answering improvement plan, reported to the panel with its RAG rating', lead: 'police', dueInDays: -7, status: 'in_progress', note: 'Answered within 60 seconds up from 71% to 86%; the 90% target not yet met.' },
    ],
  },
  {
    title: 'Be open about performance',
    description: 'Publish performance against this strategy before each panel meeting, and keep the panel’s recommendations as a standing public item.',
    lead: 'opcc',
    indicators: [],
    actions: [
      { title: 'Publish a performance report before each panel meeting', lead: 'opcc', dueInDays: 30, status: 'in_progress' },
      { title: 'Publish the recommendations tracker on the public site', lead: 'opcc', dueInDays: -45, status: 'complete' },
    ],
  },
]

export async function seedStrategyAndReports(seed: DemoSeed): Promise<void> {
  const { db, refs, today } = seed
  const county = refs.areas.E10000014
  const thisMonth = londonMonth(today)
  const fyStart = periodContaining(thisMonth, 'year')
  const strategy = await db
    .insertInto('strategies')
    .values({
      title: `Community Safety Strategy ${financialYearLabel(addMonths(fyStart, -12)).slice(0, 4)} to ${Number(fyStart.slice(0, 4)) + 2}: serious violence and exploitation`,
      summary:
        'The partnership’s three-year plan against county lines and the exploitation of children, agreed by the county strategy group and scrutinised by the Police and Crime Panel. Each objective has the indicators that show whether it is working and the actions that serve it.',
      period_start: addMonths(fyStart, -12),
      period_end: isoDate(new Date(Date.UTC(Number(fyStart.slice(0, 4)) + 2, 2, 31))),
      area_id: county,
    })
    .returning('id')
    .executeTakeFirstOrThrow()

  let position = 0
  for (const o of OBJECTIVES) {
    const { id } = await db
      .insertInto('strategy_objectives')
      .values({ strategy_id: strategy.id, position: ++position, title: o.title, description: o.description, lead_agency_id: refs.agencies[o.lead] })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const slug of o.indicators) {
      await db.insertInto('strategy_objective_indicators').values({ objective_id: id, indicator_id: refs.indicators[slug], area_id: county }).execute()
    }
    for (const a of o.actions) {
      await db
        .insertInto('strategy_actions')
        .values({
          objective_id: id,
          title: a.title,
          lead_agency_id: refs.agencies[a.lead],
          due_date: isoDate(daysAgo(today, -a.dueInDays)),
          status: a.status,
          progress_note: a.note ?? null,
          updated_by: refs.users.partnership,
        })
        .execute()
    }
  }

  // The annual report the panel read at its last meeting (published), and the next quarter's draft.
  const lastFy = addMonths(fyStart, -12)
  const annual = {
    title: `Annual performance report ${financialYearLabel(lastFy)}`,
    meeting: `Police and Crime Panel, ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(daysAgo(today, 18))}`,
    area_id: county,
    period_from: lastFy,
    period_to: addMonths(lastFy, 11),
    commentary:
      `Drug trafficking offences rose again, to 1,027 in ${financialYearLabel(lastFy)} from 656 two years before. The statistics below say this rise is far larger than chance: it reflects both more county lines activity and more proactive policing of the lines, and the partnership treats it as real.\n\n` +
      'Possession of weapons offences rose by 13% on the year before. The panel asked whether this is real or chance: on its own, a rise of this size could still be chance, so the partnership will watch the next quarters closely rather than draw conclusions yet.\n\n' +
      '101 call answering has improved but is still short of its target.',
  }
  const snapshot = await buildReportContent(db, annual, isoDate(daysAgo(today, 21)))
  await db
    .insertInto('performance_reports')
    .values({
      ...annual,
      status: 'published',
      snapshot: JSON.stringify(snapshot),
      created_by: refs.users.partnership,
      published_at: daysAgo(today, 21),
      published_by: refs.users.partnership,
    })
    .execute()
  const quarterEnd = addMonths(thisMonth, -2)
  const quarterStart = addMonths(periodContaining(quarterEnd, 'quarter'), 0)
  await db
    .insertInto('performance_reports')
    .values({
      title: 'Quarterly performance report',
      meeting: 'Police and Crime Panel, next meeting',
      area_id: county,
      period_from: quarterStart,
      period_to: quarterEnd,
      commentary: null,
      created_by: refs.users.partnership,
    })
    .execute()
}
