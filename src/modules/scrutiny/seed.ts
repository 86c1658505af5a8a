import PDFDocument from 'pdfkit'
import type { DemoSeed } from '../../demo/context.ts'
import { isoDate } from '../../demo/context.ts'
import { hashPassword } from '../../auth/passwords.ts'
import { DEMO_PASSWORD } from '../../demo/foundation.ts'
import { addDays, formatLongDate, municipalYear } from './domain.ts'
import { demoStore, type DemoStore } from './demo-store.ts'
import type { EvidenceChannel, EvidenceEvent, ItemKind, ItemStatus, Rag, RequestType } from './tables.ts'

/**
 * The scrutiny part of the demo, told from the two seed minutes: the county council's select
 * committee holding its annual crime and disorder scrutiny (four resolutions, the last asking
 * for an update from the County Strategy Group earlier than the next annual one); the Police and
 * Crime Panel's 101 recommendation that it felt was ignored, its request for county lines
 * performance data emailed two weeks after a meeting and answered late, and its November meeting
 * recommending a county lines strategy with indicators and a standing public tracker; the County
 * Strategy Group's priorities and work programme; and the awareness workshops for agencies working
 * with homeless people, with who attended from which organisation. Every person is invented;
 * every date is relative to the demo's today.
 */

interface ItemSpec {
  meeting: string
  agendaItem?: string
  kind: ItemKind
  requestType?: RequestType
  number: number
  title: string
  text: string
  addressee: string
  addresseeAgency?: string
  addresseeEmail?: string
  proposedBy?: string
  secondedBy?: string
  sentOn?: number
  due?: number
  restricted?: boolean
  /** Status changes after "open", in order: by whom (user key), when (day offset). */
  history?: { status: ItemStatus; rag: Rag | null; reason?: string; note?: string; by: string; on: number }[]
  responses?: { on: number; text: string; responder: string; by: string; answers?: boolean }[]
  evidence?: { event: EvidenceEvent; on: number; channel: EvidenceChannel | null; counterpart?: string; detail: string; by?: string }[]
}

function pdf(title: string, paragraphs: string[], created: Date): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 60, info: { Title: title, Author: 'Lantern demo', CreationDate: created } })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc.font('Helvetica-Bold').fontSize(18).text(title).moveDown()
    doc.font('Helvetica').fontSize(11)
    for (const p of paragraphs) doc.text(p).moveDown(0.6)
    doc.fontSize(8).fillColor('#505a5f').text('Demonstration document: every person and figure in it is invented.')
    doc.end()
  })
}

/** What the parts of the story share: the demo's days, its people, and the ids each part makes for the next. */
interface Story {
  store: DemoStore
  refs: DemoSeed['refs']
  /** The demo's today, as an ISO date and as the time documents are made. */
  T: string
  created: Date
  day: (offset: number) => string
  at: (offset: number, hour?: number) => Date
  agency: Record<string, string>
  users: Record<string, string>
  names: Record<string, { name: string; agency: string }>
  bodies: Record<string, string>
  meetings: Record<string, { id: string; date: string }>
  agendaItems: Record<string, string>
  items: Record<string, string>
}

const OPCC = 'Police and Crime Commissioner'
const OPCC_MAIL = 'opcc.correspondence@lantern.test'

export async function seedScrutiny(seed: DemoSeed): Promise<void> {
  const s = await begin(seed)
  await seedBodies(s)
  await seedMeetings(s)
  await seedReports(s)
  await seedCommitteeResolutions(s)
  await seedPanelEarlierMeetings(s)
  await seedPanelNovember(s)
  await seedStrategyGroup(s)
  await seedWorkshops(s)
  s.refs.scrutinyItems = s.items
}

async function begin(seed: DemoSeed): Promise<Story> {
  const { db, refs } = seed
  const store = demoStore(db)
  const T = isoDate(seed.today)
  const day = (offset: number) => addDays(T, offset)
  const at = (offset: number, hour = 10) => new Date(`${day(offset)}T${String(hour).padStart(2, '0')}:15:00Z`)
  const agency = refs.agencies
  const users = refs.users

  // An events officer in the county's community safety team runs the awareness workshops.
  const eventsOfficer = await store.insertUser({
    email: 'events@lantern.test',
    name: 'Kit Ferris',
    role: 'partnership_officer',
    agency_id: agency.county,
    team_id: refs.teams['community-safety'],
    password_hash: await hashPassword(DEMO_PASSWORD),
    demo_account: true,
    updated_at: new Date(),
  })
  users.events = eventsOfficer.id

  const names: Record<string, { name: string; agency: string }> = {}
  for (const u of await store.userNames()) {
    names[u.id] = { name: u.name, agency: u.agency }
  }
  return { store, refs, T, created: seed.today, day, at, agency, users, names, bodies: {}, meetings: {}, agendaItems: {}, items: {} }
}

async function seedBodies(s: Story) {
  const { store, refs, agency, bodies } = s

  // Bodies
  async function body(key: string, v: { slug: string; code: string; name: string; kind: 'panel' | 'select_committee' | 'strategy_group'; description: string; agency: string; support?: string; clerk: string }) {
    const row = await store.insertBody({
      slug: v.slug,
      code: v.code,
      name: v.name,
      kind: v.kind,
      description: v.description,
      agency_id: agency[v.agency],
      support_agency_id: v.support ? agency[v.support] : null,
      response_days: 28,
      reminder_days: 7,
      public: true,
      clerk_email: v.clerk,
    })
    bodies[key] = row.id
  }
  await body('panel', {
    slug: 'police-and-crime-panel',
    code: 'PCP',
    name: 'Hampshire and Isle of Wight Police and Crime Panel',
    kind: 'panel',
    description:
      'The Police and Crime Panel scrutinises the elected Police and Crime Commissioner: her police and crime plan, her annual report, the police precept and her appointments. Its members are councillors from each council in the force area and two independent members. The county council supports the panel as its host authority.',
    agency: 'panel',
    support: 'county',
    clerk: 'pcp.clerk@lantern.test',
  })
  await body('committee', {
    slug: 'crime-and-disorder-select-committee',
    code: 'SC',
    name: 'County Council Select Committee (crime and disorder)',
    kind: 'select_committee',
    description:
      'The county council’s select committee acting as its crime and disorder committee: once a year it scrutinises partnership working on community safety, receiving the report of the Director of Adults’ Health and Care and hearing from the partners.',
    agency: 'county',
    clerk: 'democratic.services@lantern.test',
  })
  await body('strategy', {
    slug: 'county-strategy-group',
    code: 'CSG',
    name: 'County Strategy Group for Community Safety',
    kind: 'strategy_group',
    description:
      'The county-wide group of the community safety partners. It owns the Strategic Assessment of Community Safety, sets the strategic priorities for partnership working and keeps a work programme that the select committee scrutinises.',
    agency: 'county',
    clerk: 'community.safety@lantern.test',
  })
  refs.scrutinyBodies = bodies

  const members: [string, string, string, string][] = [
    ['panel', 'Cllr Martin Osei', 'Chair', 'Portsmouth City Council'],
    ['panel', 'Cllr Eleanor Pryce', 'Vice-Chair', 'Isle of Wight Council'],
    ['panel', 'Cllr Jan Whitfield', 'Member', 'Hampshire County Council'],
    ['panel', 'Cllr Gareth Lindqvist', 'Member', 'Havant Borough Council'],
    ['panel', 'Cllr Sunita Rao', 'Member', 'Basingstoke and Deane Borough Council'],
    ['panel', 'Cllr Paul Hennessy', 'Member', 'Southampton City Council'],
    ['panel', 'Cllr Rachel Adeyemi', 'Member', 'Winchester City Council'],
    ['panel', 'Dr Fiona Marsh', 'Independent co-opted member', ''],
    ['committee', 'Cllr Graham Whitlock', 'Chairman', 'Hampshire County Council'],
    ['committee', 'Cllr Anne Kerridge', 'Vice-Chairman', 'Hampshire County Council'],
    ['committee', 'Cllr David Mbeki', 'Member', 'Hampshire County Council'],
    ['committee', 'Cllr Lorna Fitch', 'Member', 'Hampshire County Council'],
    ['committee', 'Cllr Jan Whitfield', 'Member (the county’s member of the Police and Crime Panel)', 'Hampshire County Council'],
    ['strategy', 'Ruth Calloway', 'Chair: Director of Adults’ Health and Care', 'Hampshire County Council'],
    ['strategy', 'Chief Superintendent Dev Anand', 'Member', 'Hampshire and Isle of Wight Constabulary'],
    ['strategy', 'Hazel Okonjo', 'Member: Head of Community Safety', 'Havant Borough Council'],
    ['strategy', 'Tom Pearce', 'Member: Community Safety Manager', 'Basingstoke and Deane Borough Council'],
    ['strategy', 'Dana Clarke', 'Member: policy officer', 'Office of the Police and Crime Commissioner'],
    ['strategy', 'Dr Amira Stone', 'Member: designated nurse for safeguarding', 'Hampshire and Isle of Wight Healthcare NHS Foundation Trust'],
  ]
  let position = 0
  for (const [b, name, role, organisation] of members) {
    await store.insertMember({ body_id: bodies[b], name, role, organisation, position: position++ })
  }
  const scrutinises: [string, string, string | null][] = [
    ['panel', 'Police and Crime Commissioner', 'opcc'],
    ['panel', 'Office of the Police and Crime Commissioner', null],
    ['committee', 'Hampshire County Council', 'county'],
    ['committee', 'County Strategy Group for Community Safety', null],
    ['committee', 'Hampshire and Isle of Wight Constabulary', 'police'],
    ['committee', 'Havant Borough Council', 'havant'],
    ['committee', 'Basingstoke and Deane Borough Council', 'basingstoke'],
    ['committee', 'Hampshire and Isle of Wight Healthcare NHS Foundation Trust', 'nhs'],
  ]
  for (const [b, organisation, a] of scrutinises) {
    await store.insertScrutinised({ body_id: bodies[b], organisation, agency_id: a ? agency[a] : null })
  }
}

async function seedMeetings(s: Story) {
  const { store, day, at, users, bodies, meetings, agendaItems } = s

  // Meetings and agenda items
  async function meeting(key: string, v: { body: string; title: string; on: number; location: string; minutes?: string; items: { key?: string; title: string; description?: string; restricted?: boolean; minutes?: string }[] }) {
    const date = day(v.on)
    const held = v.on < 0
    const row = await store.insertMeeting({
      body_id: bodies[v.body],
      title: v.title,
      meeting_date: date,
      meeting_time: '10:00',
      location: v.location,
      status: held ? 'held' : 'scheduled',
      minutes: v.minutes ?? '',
      minutes_published: held && Boolean(v.minutes),
      created_by: users.partnership,
      created_at: at(Math.min(v.on, 0) - 14),
    })
    meetings[key] = { id: row.id, date }
    let n = 1
    for (const item of v.items) {
      const ai = await store.insertAgendaItem({ meeting_id: row.id, position: n, number: String(n), title: item.title, description: item.description ?? '', restricted: item.restricted ?? false, minutes: held ? (item.minutes ?? '') : '', external_id: null })
      if (item.key) agendaItems[item.key] = ai.id
      n++
    }
  }

  await meeting('sc-annual', {
    body: 'committee',
    title: 'Select Committee: Annual Crime and Disorder Scrutiny',
    on: -300,
    location: 'Ashburton Hall, Elizabeth II Court, Winchester',
    minutes:
      'The Committee received an update from the county’s member of the Police and Crime Panel, a report on behalf of the Director of Adults’ Health and Care on community safety, and a presentation from the Willow Team and the police Missing, Exploited and Trafficked team on child exploitation and county lines.',
    items: [
      { title: 'Apologies and declarations of interest' },
      {
        key: 'sc-update',
        title: 'Annual Crime and Disorder Scrutiny: Community Safety Update',
        description:
          'To receive a report providing an update on community safety, and a presentation from the Willow Team on the strategic priority of serious and organised crime and child exploitation and the county-wide collaborative arrangements responding to it.',
        minutes:
          'Work had been undertaken over the past year to strengthen the governance of community safety. The County Strategy Group had identified strategic priority areas, one of which was organised crime and child exploitation. Some members said member oversight of this work could be improved. The Chairman suggested that a further update on the work of the County Strategy Group come to the Committee sooner than the next annual update.\n\nThe Willow Team and the police MET team described the county lines model, children from the county drawn in by gangs based in London, joint identification of children at risk rated red, amber or green, and joint operations to disrupt the adults involved. Modern slavery offences gave a stronger lever than a drugs conviction.',
      },
      { title: 'Work programme' },
    ],
  })
  await meeting('sc-next', {
    body: 'committee',
    title: 'Select Committee',
    on: 17,
    location: 'Ashburton Hall, Elizabeth II Court, Winchester',
    items: [
      { title: 'County Strategy Group for Community Safety: further update (Resolution 4)', description: 'The update the Committee asked for earlier than the next annual one.' },
      { title: 'Crime and disorder resolutions tracker' },
    ],
  })
  await meeting('pcp-101', {
    body: 'panel',
    title: 'Police and Crime Panel',
    on: -180,
    location: 'Council Chamber, Havant Public Service Plaza',
    minutes: 'The Panel considered the Commissioner’s performance report, including call handling on the non-emergency number 101.',
    items: [{ key: 'pcp-101-perf', title: 'Police and Crime Plan performance report', description: 'Including 101 call-answering times, RAG-rated against the force’s thresholds.' }],
  })
  await meeting('pcp-sept', {
    body: 'panel',
    title: 'Police and Crime Panel',
    on: -65,
    location: 'Council Chamber, Havant Public Service Plaza',
    minutes: 'The Panel agreed to scrutinise county lines at its next meeting and agreed the information it would ask the Commissioner for in advance.',
    items: [
      { key: 'pcp-sept-scope', title: 'Proactive scrutiny: county lines (scoping)' },
      { key: 'pcp-sept-101', title: '101 non-emergency number: follow-up' },
    ],
  })
  await meeting('pcp-nov', {
    body: 'panel',
    title: 'Police and Crime Panel',
    on: -5,
    location: 'Ashburton Hall, Elizabeth II Court, Winchester',
    minutes:
      'The Chief Executive of the Office of the Police and Crime Commissioner introduced the report on county lines, joined by the force’s Head of Crime. Members asked about the effect of the pandemic, the 13% rise in weapons offences, drug trafficking offences rising from 656 to 1,027 between 2016/17 and 2018/19, the awareness workshops for agencies working with homeless people, and performance data requested after the last meeting that the report did not cover. The Commissioner said no recommendation of the Panel had been ignored, and asked that actions and requests for information be sent in good time for a written response. A member said the actions of the previous meeting had been emailed to the Commissioner’s office two weeks after it.',
    items: [
      { title: 'Minutes of the previous meeting' },
      {
        key: 'pcp-nov-cl',
        title: 'County Lines',
        description: 'Report of the Chief Executive, Office of the Police and Crime Commissioner: how the police intervene and reduce harm; signs for communities; how to report (online, 101, or anonymously through Crimestoppers).',
        minutes: 'The Panel recommended that the Commissioner publish a county lines strategy with key indicators, and that its resolutions and recommendations become a standing item kept in the public domain.',
      },
      { key: 'pcp-nov-exempt', title: 'Exempt item: complaint against the Police and Crime Commissioner', restricted: true, minutes: 'Exempt under paragraph 1 of Part 1 of Schedule 12A to the Local Government Act 1972.' },
    ],
  })
  await meeting('pcp-next', {
    body: 'panel',
    title: 'Police and Crime Panel',
    on: 37,
    location: 'Council Chamber, Havant Public Service Plaza',
    items: [{ title: 'Resolutions and recommendations tracker (standing item)' }, { title: '101 non-emergency number performance' }],
  })
  await meeting('csg-q3', {
    body: 'strategy',
    title: 'County Strategy Group for Community Safety',
    on: -90,
    location: 'Elizabeth II Court, Winchester (and online)',
    minutes: 'The Group reviewed its work programme and the findings of the awareness workshops for agencies working with homeless people.',
    items: [{ title: 'Work programme review' }, { key: 'csg-q3-workshops', title: 'Awareness workshops: findings' }],
  })
}

async function seedReports(s: Story) {
  const { store, at, users, agendaItems } = s

  // Reports attached to agenda items
  const created = s.created
  const files: [string, string, string, string[]][] = [
    ['sc-update', 'Community Safety Update: report of the Director of Adults’ Health and Care', 'community-safety-update.pdf', [
      'Purpose: to update the Select Committee on community safety and partnership working on crime and disorder.',
      'Governance: the County Strategy Group for Community Safety has been established and meets quarterly. Its strategic priorities, set from the Strategic Assessment of Community Safety, include serious and organised crime and child exploitation.',
      'Recommendations: that the Committee notes the establishment of the Group, its work programme and the work on the Strategic Assessment.',
    ]],
    ['pcp-nov-cl', 'County Lines: report of the Chief Executive, Office of the Police and Crime Commissioner', 'county-lines-report.pdf', [
      'County lines cross crime types: drug supply, serious violence, modern slavery and human trafficking.',
      'Signs for communities include many visitors calling at a house, cars stopping briefly, and young people who are not local.',
      'Report online, by calling 101, or anonymously through Crimestoppers. In an emergency call 999.',
    ]],
    ['pcp-nov-exempt', 'Complaint summary (exempt)', 'exempt-complaint.pdf', ['Not for publication.']],
  ]
  for (const [key, title, filename, paragraphs] of files) {
    const content = await pdf(title, paragraphs, created)
    await store.insertFile({ agenda_item_id: agendaItems[key], body_id: null, event_id: null, kind: 'report', title, filename, content_type: 'application/pdf', size_bytes: content.length, content, url: null, restricted: key === 'pcp-nov-exempt', uploaded_by: users.partnership, uploaded_at: at(-10) })
  }
}

/** One resolution, recommendation or request with its status history, responses and evidence log, back-dated. */
async function addItem(s: Story, key: string, v: ItemSpec) {
  const { store, T, day, at, agency, users, names, bodies, meetings, agendaItems, items } = s

    const m = meetings[v.meeting]
    const meetingOffset = -Math.round((Date.parse(`${T}T00:00:00Z`) - Date.parse(`${m.date}T00:00:00Z`)) / 86_400_000)
    const clerk = users.partnership
    const history = v.history ?? []
    const last = history[history.length - 1]
    const lastRag = [...history].reverse().find((h) => h.rag !== undefined)?.rag ?? null
    const lastReason = [...history].reverse().find((h) => h.reason)?.reason ?? null
    const answered = v.responses?.find((r) => r.answers)
    const row = await store.insertItem({
      body_id: bodies[v.meeting.startsWith('pcp') ? 'panel' : v.meeting.startsWith('sc') ? 'committee' : 'strategy'],
      meeting_id: m.id,
      agenda_item_id: v.agendaItem ? agendaItems[v.agendaItem] : null,
      kind: v.kind,
      request_type: v.kind === 'request' ? (v.requestType ?? 'information') : null,
      municipal_year: municipalYear(m.date),
      number: v.number,
      title: v.title,
      text: v.text,
      addressee: v.addressee,
      addressee_agency_id: v.addresseeAgency ? agency[v.addresseeAgency] : null,
      addressee_email: v.addresseeEmail ?? null,
      proposed_by: v.proposedBy ?? null,
      seconded_by: v.secondedBy ?? null,
      sent_on: v.sentOn != null ? day(v.sentOn) : null,
      response_due: v.due != null ? day(v.due) : null,
      answered_on: answered ? day(answered.on) : null,
      status: last?.status ?? 'open',
      status_reason: last?.status === 'not_accepted' ? lastReason : null,
      rag: lastRag,
      restricted: v.restricted ?? false,
      status_changed_at: at(last?.on ?? meetingOffset + 1),
      status_changed_by: last ? users[last.by] : clerk,
      created_by: clerk,
      created_at: at(meetingOffset + 1),
    })
    items[key] = row.id
    const who = (k: string) => names[users[k]]
    await store.insertHistory({ item_id: row.id, status: 'open', rag: null, reason: null, note: 'Recorded', changed_by: clerk, changed_by_name: who('partnership').name, changed_by_agency: who('partnership').agency, changed_at: at(meetingOffset + 1) })
    const log: { event: EvidenceEvent; on: number; channel: EvidenceChannel | null; counterpart?: string; detail: string; by?: string; hour?: number }[] = [
      { event: 'made', on: meetingOffset, channel: 'meeting', counterpart: v.addressee, detail: `Made at the meeting of ${formatLongDate(m.date)}`, hour: 8 },
    ]
    if (v.due != null) log.push({ event: 'due_set', on: meetingOffset + 1, channel: null, detail: `Response due by ${formatLongDate(day(v.due))}` })
    if (v.sentOn != null) log.push({ event: 'sent', on: v.sentOn, channel: 'email', counterpart: v.addresseeEmail ?? v.addressee, detail: 'Emailed to the Commissioner’s office with the other actions of the meeting' })
    for (const e of v.evidence ?? []) log.push(e)
    for (const r of v.responses ?? []) {
      log.push({ event: 'response_received', on: r.on, channel: null, counterpart: r.responder, detail: `Response recorded by ${who(r.by).name} (${who(r.by).agency})`, by: r.by })
      if (r.answers) log.push({ event: 'answered', on: r.on, channel: null, counterpart: r.responder, detail: `Marked as answering the request by ${who(r.by).name}`, by: r.by })
    }
    log.sort((a, b) => a.on - b.on)
    for (const e of log) {
      const by = e.by ?? 'partnership'
      const system = e.event === 'reminder_sent'
      await store.insertEvidence({
        item_id: row.id,
        event: e.event,
        occurred_on: day(e.on),
        channel: e.channel,
        counterpart: e.counterpart ?? null,
        detail: e.detail,
        recorded_by: system ? null : users[by],
        recorded_by_name: system ? 'Lantern' : who(by).name,
        recorded_at: at(e.on, e.hour ?? 9),
      })
    }
    for (const r of v.responses ?? []) {
      await store.insertResponse({ item_id: row.id, responded_on: day(r.on), text: r.text, responder: r.responder, responder_agency_id: r.by === 'opcc' ? agency.opcc : agency.county, answers: r.answers ?? false, recorded_by: users[r.by], recorded_by_name: who(r.by).name, recorded_at: at(r.on, 14) })
    }
    for (const h of history) {
      await store.insertHistory({ item_id: row.id, status: h.status, rag: h.rag, reason: h.reason ?? null, note: h.note ?? null, changed_by: users[h.by], changed_by_name: who(h.by).name, changed_by_agency: who(h.by).agency, changed_at: at(h.on, 15) })
    }
}

// The select committee's four resolutions (the Hampshire minutes).
async function seedCommitteeResolutions(s: Story) {
  const item = (key: string, v: ItemSpec) => addItem(s, key, v)

  const director = 'Director of Adults’ Health and Care'
  for (const [n, title, text] of [
    [1, 'Note the establishment of the County Strategy Group', 'That the Select Committee note the establishment of the Hampshire County Strategy Group for Community Safety.'],
    [2, 'Note the County Strategy Group’s work programme', 'That the Select Committee note the current work programme of the County Strategy Group for Community Safety.'],
    [3, 'Note the Strategic Assessment and strategic priorities', 'That the Select Committee note the work undertaken to develop the Strategic Assessment of Community Safety and the establishment of strategic priorities for partnership working.'],
  ] as const) {
    await item(`sc-res-${n}`, {
      meeting: 'sc-annual',
      agendaItem: 'sc-update',
      kind: 'resolution',
      number: n,
      title,
      text,
      addressee: director,
      addresseeAgency: 'county',
      history: [{ status: 'closed', rag: 'green', note: 'Noted at the meeting: nothing further is required.', by: 'partnership', on: -299 }],
    })
  }
  await item('sc-res-4', {
    meeting: 'sc-annual',
    agendaItem: 'sc-update',
    kind: 'resolution',
    number: 4,
    title: 'A further update on the County Strategy Group, earlier than the next annual update',
    text: 'That the Select Committee request a further update on the work of the County Strategy Group earlier than the next annual update.',
    addressee: `${director}, for the County Strategy Group`,
    addresseeAgency: 'county',
    addresseeEmail: 'community.safety@lantern.test',
    due: 17,
    responses: [{ on: -280, by: 'partnership', responder: director, text: 'The further update will be brought to the Select Committee in the autumn, before the next annual scrutiny. It will cover the work programme, the member oversight members asked for, and progress on the child exploitation priority.' }],
    history: [{ status: 'accepted', rag: 'amber', note: 'Accepted by the Director; the update is scheduled for the Committee’s next meeting.', by: 'partnership', on: -279 }],
  })
}

// The panel's 101 recommendation, not accepted and felt to be ignored; the September meeting's
// actions, emailed two weeks later: one answered late, one not at all.
async function seedPanelEarlierMeetings(s: Story) {
  const item = (key: string, v: ItemSpec) => addItem(s, key, v)

  await item('pcp-101', {
    meeting: 'pcp-101',
    agendaItem: 'pcp-101-perf',
    kind: 'recommendation',
    number: 1,
    title: '101 call answering to be rated Red, not Amber',
    text: 'That the Commissioner’s performance report rate the answering of calls to the non-emergency number 101 as Red rather than Amber, given the waiting times residents reported to members.',
    addressee: OPCC,
    addresseeAgency: 'opcc',
    addresseeEmail: OPCC_MAIL,
    sentOn: -176,
    due: -148,
    evidence: [{ event: 'reminder_sent', on: -155, channel: 'email', counterpart: OPCC_MAIL, detail: 'A reminder before the due date was emailed by Lantern' }],
    responses: [
      {
        on: -141,
        by: 'opcc',
        responder: 'Office of the Police and Crime Commissioner',
        text: 'The Commissioner has considered the Panel’s recommendation. The rating follows the force’s published thresholds for call answering, under which performance in the quarter was Amber. The rating will therefore remain Amber; the Commissioner continues to hold the Chief Constable to account for 101 performance.',
      },
    ],
    history: [
      { status: 'not_accepted', rag: null, reason: 'The rating follows the force’s published thresholds, under which 101 performance was Amber.', note: 'Stated in the Commissioner’s response.', by: 'opcc', on: -141 },
      {
        status: 'not_accepted',
        rag: 'red',
        reason: 'The rating follows the force’s published thresholds, under which 101 performance was Amber.',
        note: 'The Panel felt its recommendation had been ignored and asked how seriously its recommendations are taken. 101 performance is to be a separate agenda item.',
        by: 'partnership',
        on: -5,
      },
    ],
  })

  // The September meeting's actions, emailed two weeks later: one answered late, one not at all.
  await item('pcp-perf-data', {
    meeting: 'pcp-sept',
    agendaItem: 'pcp-sept-scope',
    kind: 'request',
    requestType: 'information',
    number: 1,
    title: 'County lines performance data',
    text: 'To provide, ahead of the County Lines item at the next meeting, performance data on county lines: lines identified and closed, arrests and charges (including Modern Slavery Act offences), children safeguarded, and referrals to the National Referral Mechanism.',
    addressee: OPCC,
    addresseeAgency: 'opcc',
    addresseeEmail: OPCC_MAIL,
    sentOn: -51,
    due: -23,
    evidence: [
      { event: 'reminder_sent', on: -30, channel: 'email', counterpart: OPCC_MAIL, detail: 'A reminder before the due date was emailed by Lantern' },
      { event: 'reminder_sent', on: -22, channel: 'email', counterpart: OPCC_MAIL, detail: 'An overdue reminder was emailed by Lantern' },
      { event: 'chased', on: -8, channel: 'phone', counterpart: 'Office of the Police and Crime Commissioner', detail: 'Clerk telephoned the Commissioner’s office: the data would follow the November meeting.' },
    ],
    responses: [
      {
        on: -2,
        by: 'opcc',
        responder: 'Office of the Police and Crime Commissioner',
        answers: true,
        text: 'In the last twelve months the force identified 46 county lines affecting the county and closed 31 deal lines; 118 people were arrested and 74 charged, 9 of them with Modern Slavery Act offences; 63 children were safeguarded and 41 referrals made to the National Referral Mechanism.',
      },
    ],
    history: [{ status: 'answered', rag: 'amber', note: 'Answered 21 days after the due date, after the meeting it was asked for.', by: 'partnership', on: -1 }],
  })
  await item('pcp-101-monthly', {
    meeting: 'pcp-sept',
    agendaItem: 'pcp-sept-101',
    kind: 'request',
    requestType: 'information',
    number: 2,
    title: '101 call-answering figures by month',
    text: 'To provide 101 call-answering figures (calls offered, answered, abandoned and the average wait) by month for the last two years.',
    addressee: OPCC,
    addresseeAgency: 'opcc',
    addresseeEmail: OPCC_MAIL,
    sentOn: -51,
    due: -23,
    evidence: [
      { event: 'reminder_sent', on: -30, channel: 'email', counterpart: OPCC_MAIL, detail: 'A reminder before the due date was emailed by Lantern' },
      { event: 'reminder_sent', on: -22, channel: 'email', counterpart: OPCC_MAIL, detail: 'An overdue reminder was emailed by Lantern' },
      { event: 'reminder_sent', on: -15, channel: 'email', counterpart: OPCC_MAIL, detail: 'An overdue reminder was emailed by Lantern' },
      { event: 'reminder_sent', on: -8, channel: 'email', counterpart: OPCC_MAIL, detail: 'An overdue reminder was emailed by Lantern' },
      { event: 'reminder_sent', on: -1, channel: 'email', counterpart: OPCC_MAIL, detail: 'An overdue reminder was emailed by Lantern' },
    ],
  })
}

// The November meeting (the Devon and Cornwall minutes' County Lines item).
async function seedPanelNovember(s: Story) {
  const item = (key: string, v: ItemSpec) => addItem(s, key, v)

  await item('pcp-strategy', {
    meeting: 'pcp-nov',
    agendaItem: 'pcp-nov-cl',
    kind: 'recommendation',
    number: 2,
    title: 'Publish a county lines strategy with key indicators',
    text: 'That, in light of the serious nature of the county lines challenges to policing and crime prevention, the Panel recommends that the Commissioner publishes a clear strategy setting out the key objectives in addressing county lines, including key indicators to be reported to the Panel as necessary. The indicators are to allow Panel members to assess critical emerging trends, including rising weapons-related crime.',
    addressee: OPCC,
    addresseeAgency: 'opcc',
    addresseeEmail: OPCC_MAIL,
    proposedBy: 'Cllr Gareth Lindqvist',
    secondedBy: 'Cllr Sunita Rao',
    sentOn: -3,
    due: 30,
    history: [{ status: 'open', rag: 'amber', note: 'Sent to the Commissioner with the draft minutes; a response is due before the next meeting.', by: 'partnership', on: -3 }],
  })
  await item('pcp-standing', {
    meeting: 'pcp-nov',
    agendaItem: 'pcp-nov-cl',
    kind: 'recommendation',
    number: 3,
    title: 'Resolutions and recommendations as a standing public item',
    text: 'That resolutions and recommendations previously made by the Panel be incorporated as a standing item, in order to record and monitor progress, and be kept in the public domain.',
    addressee: 'Panel scrutiny officer, host authority',
    addresseeAgency: 'county',
    proposedBy: 'Cllr Rachel Adeyemi',
    due: 30,
    responses: [{ on: -2, by: 'partnership', responder: 'Hampshire County Council (host authority)', text: 'The Panel’s tracker of resolutions, recommendations and requests is now published online with each item’s responses and status, and will be on the agenda of every meeting as a standing item.' }],
    history: [{ status: 'implemented', rag: 'green', note: 'The tracker is public and a standing item from the next meeting.', by: 'partnership', on: -2 }],
  })
  await item('pcp-workshops', {
    meeting: 'pcp-nov',
    agendaItem: 'pcp-nov-cl',
    kind: 'request',
    requestType: 'information',
    number: 3,
    title: 'Awareness workshops for agencies working with homeless people: who attended?',
    text: 'With regard to paragraph 4.13 of the report: when did the awareness workshops for agencies and organisations who engage with homeless individuals take place, who attended, were district council officers attending, and were county council children’s services officers also attending?',
    addressee: OPCC,
    addresseeAgency: 'opcc',
    addresseeEmail: OPCC_MAIL,
    sentOn: -3,
    due: 25,
  })
  await item('pcp-exempt', {
    meeting: 'pcp-nov',
    agendaItem: 'pcp-nov-exempt',
    kind: 'recommendation',
    number: 4,
    title: 'Exempt: review of the handling of a complaint',
    text: 'That the Commissioner review the handling of the complaint considered in exempt session and report to the Panel in private.',
    addressee: OPCC,
    addresseeAgency: 'opcc',
    addresseeEmail: OPCC_MAIL,
    restricted: true,
    sentOn: -3,
    due: 30,
  })
  await item('pcp-support', {
    meeting: 'pcp-nov',
    agendaItem: 'pcp-nov-cl',
    kind: 'request',
    requestType: 'action',
    number: 4,
    title: 'Minutes, actions and requests to the Commissioner within five working days',
    text: 'The Panel’s support officer to send the minutes, actions and requests for information of each meeting to the Commissioner’s office within five working days of the meeting, so that written responses can be given in good time.',
    addressee: 'Panel scrutiny officer, host authority',
    addresseeAgency: 'county',
    due: 2,
    responses: [{ on: -3, by: 'partnership', responder: 'Hampshire County Council (host authority)', answers: true, text: 'Done: the actions of this meeting were emailed to the Commissioner’s office two days after it, and Lantern now sends reminders before and after each due date.' }],
    history: [{ status: 'answered', rag: 'green', by: 'partnership', on: -3 }],
  })
}

async function seedStrategyGroup(s: Story) {
  const { store, created, day, at, agency, users, bodies, meetings, items } = s
  const item = (key: string, v: ItemSpec) => addItem(s, key, v)

  // The strategy group's own action.
  await item('csg-action', {
    meeting: 'csg-q3',
    kind: 'request',
    requestType: 'action',
    number: 1,
    title: 'Joint protocol for children found out of area',
    text: 'The Willow Team and the police MET team to bring a joint protocol for children from the county found in other areas (and children from elsewhere found here) to the next meeting.',
    addressee: 'Willow Team and MET Team',
    addresseeAgency: 'county',
    due: 10,
    history: [{ status: 'in_progress', rag: 'amber', note: 'Draft shared with the police for comment.', by: 'partnership', on: -20 }],
  })

  // The strategy group's priorities, work programme, strategic assessment and updates owed.
  const priorities: Record<string, string> = {}
  for (const [key, title, description] of [
    ['soc', 'Serious and organised crime', 'Disrupting the organised crime groups and county lines that operate in the county, including cuckooing of vulnerable adults’ homes.'],
    ['ce', 'Child exploitation', 'Finding children at risk of criminal and sexual exploitation early, rating their risk jointly, and reducing it: the Willow Team with the police MET team.'],
    ['sv', 'Serious violence', 'Preventing serious violence and knife crime, including the rise in possession of weapons offences.'],
  ] as const) {
    const row = await store.insertPriority({ body_id: bodies.strategy, title, description, position: Object.keys(priorities).length + 1 })
    priorities[key] = row.id
  }
  const work: [string, string | null, string, string, number, number, 'planned' | 'in_progress' | 'complete' | 'delayed', Rag | null, string][] = [
    ['Strategic Assessment of Community Safety', null, 'County Community Safety Team', 'county', -330, -240, 'complete', 'green', 'Published; priorities agreed by the Group.'],
    ['County lines awareness workshops for agencies working with homeless people', 'ce', 'County Community Safety Team with the district councils', 'county', -200, -120, 'complete', 'green', 'Two workshops held, at Havant and Basingstoke. Attendance by organisation is recorded.'],
    ['Joint protocol for children found out of area', 'ce', 'Willow Team and MET Team', 'county', -150, -10, 'in_progress', 'amber', 'Draft with the police for comment.'],
    ['Closure orders on cuckooed addresses: process with district councils', 'soc', 'Havant Borough Council community safety', 'havant', -100, 60, 'in_progress', 'green', 'Two closure orders obtained in Havant.'],
    ['Member oversight: quarterly briefing for the Executive Member for community safety', null, 'Director of Adults’ Health and Care', 'county', -60, 30, 'planned', null, 'Responds to members’ comments at the annual scrutiny.'],
    ['Knife crime prevention sessions in secondary schools', 'sv', 'Solent Learning Trust with the police', 'schools', -30, 90, 'planned', null, ''],
    ['Further update to the Select Committee (its Resolution 4)', null, 'Chair of the County Strategy Group', 'county', -280, 17, 'in_progress', 'amber', 'Report in draft for the Committee’s next meeting.'],
  ]
  for (const [title, p, owner, a, start, due, status, rag, note] of work) {
    await store.insertWorkItem({ body_id: bodies.strategy, priority_id: p ? priorities[p] : null, title, owner, owner_agency_id: agency[a], start_date: day(start), due_date: day(due), status, rag, progress_note: note, updated_by: users.partnership, updated_at: at(-12), created_at: at(start) })
  }
  const assessment = await pdf('Strategic Assessment of Community Safety: summary', [
    'The assessment draws on police recorded crime, partner data and community views to identify the risks that most threaten community safety in the county.',
    'Drug trafficking offences rose from 656 in 2016/17 to 1,027 in 2018/19; possession of weapons offences rose by 13% in the last year.',
    'Strategic priorities: serious and organised crime; child exploitation; serious violence.',
  ], created)
  await store.insertFile({ body_id: bodies.strategy, agenda_item_id: null, event_id: null, kind: 'strategic_assessment', title: 'Strategic Assessment of Community Safety (summary)', filename: 'strategic-assessment-summary.pdf', content_type: 'application/pdf', size_bytes: assessment.length, content: assessment, url: null, restricted: false, uploaded_by: users.partnership, uploaded_at: at(-240) })
  await store.insertReportsDue([
    { from_body_id: bodies.strategy, to_body_id: bodies.committee, item_id: null, title: 'Annual Crime and Disorder Scrutiny: community safety update', due_date: day(-300), delivered_on: day(-300), meeting_id: meetings['sc-annual'].id, note: 'Presented with the Willow Team and the police MET team.', created_by: users.partnership },
    { from_body_id: bodies.strategy, to_body_id: bodies.committee, item_id: items['sc-res-4'], title: 'Further update on the work of the County Strategy Group (earlier than the annual update)', due_date: day(17), delivered_on: null, meeting_id: null, note: 'Asked for by the Committee’s Resolution 4.', created_by: users.partnership },
    { from_body_id: bodies.strategy, to_body_id: bodies.committee, item_id: null, title: 'Annual Crime and Disorder Scrutiny: community safety update (next year)', due_date: day(65), delivered_on: null, meeting_id: null, note: '', created_by: users.partnership },
  ])
}

// Awareness workshops for agencies working with homeless people: who came, from where.
async function seedWorkshops(s: Story) {
  const { store, refs, created, day, at, agency, users, bodies } = s

  const events: Record<string, string> = {}
  async function event(key: string, v: { title: string; on: number; location: string; kind?: 'workshop' | 'briefing'; audience: string; description: string }) {
    const row = await store.insertEvent({ body_id: bodies.strategy, organiser_agency_id: agency.county, title: v.title, kind: v.kind ?? 'workshop', event_date: day(v.on), start_time: '09:30', location: v.location, audience: v.audience, description: v.description, created_by: users.events, created_at: at(v.on - 30) })
    events[key] = row.id
  }
  const homeless = 'Agencies and organisations who engage with homeless individuals'
  await event('havant', { title: 'County lines awareness workshop for agencies working with homeless people (Havant)', on: -170, location: 'Havant Public Service Plaza', audience: homeless, description: 'The signs of county lines and cuckooing, how to share a concern, and who to call.' })
  await event('basingstoke', { title: 'County lines awareness workshop for agencies working with homeless people (Basingstoke)', on: -140, location: 'Basingstoke Discovery Centre', audience: homeless, description: 'The second workshop of the series, for the north of the county.' })
  await event('cuckooing', { title: 'Cuckooing briefing for housing officers', on: 30, kind: 'briefing', location: 'Online', audience: 'Housing officers of the district and borough councils and housing associations', description: 'Spotting and responding to the takeover of tenants’ homes.' })
  refs.scrutinyEvents = events

  const invited: [string, string, string, string | null][] = [
    ['havant', 'Havant Borough Council', 'district_council', 'havant'],
    ['havant', 'Winchester City Council', 'district_council', null],
    ['havant', 'Hampshire County Council', 'county_council', 'county'],
    ['havant', 'Hampshire and Isle of Wight Constabulary', 'police', 'police'],
    ['havant', 'Harbour Night Shelter', 'voluntary', null],
    ['havant', 'Solent Housing Association', 'housing', null],
    ['basingstoke', 'Basingstoke and Deane Borough Council', 'district_council', 'basingstoke'],
    ['basingstoke', 'Hart District Council', 'district_council', null],
    ['basingstoke', 'Hampshire County Council', 'county_council', 'county'],
    ['basingstoke', 'Hampshire and Isle of Wight Constabulary', 'police', 'police'],
    ['basingstoke', 'Hampshire and Isle of Wight Healthcare NHS Foundation Trust', 'health', 'nhs'],
    ['basingstoke', 'Loddon Street Outreach', 'voluntary', null],
    ['cuckooing', 'Havant Borough Council', 'district_council', 'havant'],
    ['cuckooing', 'Basingstoke and Deane Borough Council', 'district_council', 'basingstoke'],
    ['cuckooing', 'Solent Housing Association', 'housing', null],
  ]
  for (const [e, organisation, kind, a] of invited) {
    await store.insertInvitation({ event_id: events[e], organisation, organisation_kind: kind, agency_id: a ? agency[a] : null, created_by: users.events })
  }
  const attended: [string, string, string, string | null, string, string, number][] = [
    ['havant', 'Havant Borough Council', 'district_council', 'havant', 'Housing options', 'Housing officer', 2],
    ['havant', 'Havant Borough Council', 'district_council', 'havant', 'Community safety', 'Community safety officer', 1],
    ['havant', 'Hampshire County Council', 'county_council', 'county', 'Adults’ Health and Care', 'Social worker', 1],
    ['havant', 'Hampshire and Isle of Wight Constabulary', 'police', 'police', 'Neighbourhood policing', 'Police community support officer', 2],
    ['havant', 'Harbour Night Shelter', 'voluntary', null, '', 'Project worker', 3],
    ['havant', 'Solent Housing Association', 'housing', null, 'Tenancy support', 'Tenancy support officer', 1],
    ['basingstoke', 'Basingstoke and Deane Borough Council', 'district_council', 'basingstoke', 'Housing', 'Rough sleeper outreach worker', 2],
    ['basingstoke', 'Hampshire County Council', 'county_council', 'county', 'Children’s Services (Willow Team)', 'Social worker', 1],
    ['basingstoke', 'Hampshire and Isle of Wight Constabulary', 'police', 'police', 'Missing, Exploited and Trafficked Team', 'Detective constable', 1],
    ['basingstoke', 'Hampshire and Isle of Wight Healthcare NHS Foundation Trust', 'health', 'nhs', 'Homeless health team', 'Nurse', 1],
    ['basingstoke', 'Loddon Street Outreach', 'voluntary', null, '', 'Outreach worker', 2],
  ]
  for (const [e, organisation, kind, a, service, role, attendees] of attended) {
    await store.insertAttendance({ event_id: events[e], organisation, organisation_kind: kind, agency_id: a ? agency[a] : null, service, role, attendees, created_by: users.events })
  }
  const slides = await pdf('Spotting the signs: county lines and cuckooing', [
    'Many visitors calling at a house; cars stopping briefly; young people who are not local; an adult who seems no longer in control of their own home.',
    'Share a concern with the police on 101, online, or anonymously through Crimestoppers. In an emergency call 999.',
  ], created)
  await store.insertFile({ event_id: events.havant, agenda_item_id: null, body_id: null, kind: 'material', title: 'Workshop slides: spotting the signs', filename: 'spotting-the-signs.pdf', content_type: 'application/pdf', size_bytes: slides.length, content: slides, url: null, restricted: false, uploaded_by: users.events, uploaded_at: at(-170) })
}
