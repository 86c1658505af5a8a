import type { ModuleDeps, SubjectAccessPart } from '../types.ts'
import type { CurrentUser, RequestContext } from '../../kernel/context.ts'
import { runAsOwner, runAsRequest, setRequestViewer } from '../../db/scope.ts'
import { peopleService } from './service.ts'
import { peopleStore } from './store.ts'
import { HELD_SECTIONS, subjectAccessStore, type HeldRecord, type HeldSection } from './subject-access-store.ts'

/**
 * Why an item may need to be redacted or withheld before the export is given to the person. The
 * export never redacts by itself: the information governance officer decides, item by item.
 */
export const REDACTION_FLAGS = {
  police_only: 'Marked police only: withhold unless the police agree to its disclosure',
  third_party: 'Names or describes someone else: redact what identifies them unless they agree or it is reasonable to disclose without their agreement',
  other_agency: 'Recorded by another agency: consult them before disclosing',
  handling_conditions: 'Intelligence shared under handling conditions (code C): ask the source agency before disclosing',
  free_text: 'Free text written by staff: read it for anything about other people before disclosing',
} as const
export type RedactionFlag = keyof typeof REDACTION_FLAGS

export const SECTION_TITLES: Record<HeldSection | 'viewers', string> = {
  aliases: 'Other names',
  identifiers: 'Identifiers',
  addresses: 'Addresses',
  timeline: 'History of the record',
  notes: 'Case notes',
  assessments: 'Risk assessments',
  missingEpisodes: 'Missing episodes and return home interviews',
  nrmReferrals: 'National Referral Mechanism referrals',
  cawns: 'Child abduction warning notices',
  networkLinks: 'Links in network intelligence',
  publicReports: 'Reports from the public',
  viewers: 'Who has looked at the record',
}

type Row = Record<string, unknown>

/** How many matches the finder lists: enough for a common name, few enough to ask for more of it. */
export const FIND_LIMIT = 50
export type FlaggedItem = Row & { flags: RedactionFlag[] }

/** Material that exists about the person but is not in the export, by section: counts and who holds it, never content. */
export interface Withheld {
  section: string
  title: string
  count: number
  heldBy: string[]
}

export interface SubjectAccessExport {
  format: 'lantern-subject-access/1'
  generatedAt: string
  preparedBy: { name: string; role: string; agency: string }
  subject: Row
  /** The people module's sections, then other capabilities' (SubjectAccessPart). */
  sections: Record<HeldSection | 'viewers', FlaggedItem[]> & Record<string, FlaggedItem[]>
  /** Each section's title, so the file explains itself. */
  titles: Record<string, string>
  withheld: Withheld[]
  /** What each flag means, so the file explains itself. */
  flags: typeof REDACTION_FLAGS
  notes: string[]
}

const SUBJECT_FIELDS = [
  'id', 'kind', 'given_name', 'family_name', 'preferred_name', 'date_of_birth', 'approximate_age', 'gender', 'ethnicity', 'home_area_name', 'current_area_name',
  'school', 'looked_after', 'care_leaver', 'send', 'learning_disability', 'owner_agency_name', 'owner_team_name', 'allocated_worker_name', 'current_rag', 'current_rag_at',
  'next_review_due', 'merged_into', 'closed_at', 'closed_reason', 'created_at', 'updated_at',
] as const

/** Dates as ISO strings and no internal agency keys: the row as the person may read it. */
function plain(row: object): Row {
  return Object.fromEntries(
    Object.entries(row as Row)
      .filter(([k]) => !k.endsWith('agency_id'))
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  )
}

function item(row: object, flags: (RedactionFlag | false | null | undefined | '')[]): FlaggedItem {
  return { ...plain(row), flags: flags.filter((f): f is RedactionFlag => Boolean(f)) }
}

/**
 * Reads as the requester's agency would on a page of the record, and only that: their agency's
 * own records and what is shared with it, police-only material only for a police agency, intelligence
 * under handling conditions only where the conditions allow. Never break glass: a justification
 * opens a record to be read, not disclosed. Row-level security enforces it, whatever a query forgets.
 */
function readingAs<T>(user: CurrentUser, work: () => Promise<T>): Promise<T> {
  return runAsRequest(() => {
    setRequestViewer({ id: user.id, agencyId: user.agencyId, agencyKind: user.agencyKind, permissions: ['person:view'] }, { breakGlass: false })
    return work()
  })
}

/** What exists but was not read, by section, with the agencies that hold it where the records name them. */
export function withheldBetween(held: HeldRecord[], included: Map<HeldSection, Set<string>>): Withheld[] {
  const out: Withheld[] = []
  for (const section of HELD_SECTIONS) {
    const missing = held.filter((h) => h.section === section && !included.get(section)?.has(h.id))
    if (!missing.length) continue
    const heldBy = [...new Set(missing.map((m) => m.agency_name).filter((a): a is string => Boolean(a)))].sort()
    out.push({ section, title: SECTION_TITLES[section], count: missing.length, heldBy })
  }
  return out
}

const isFlag = (f: string): f is RedactionFlag => f in REDACTION_FLAGS

/** Another capability's section, read under the export's row-level security, with what it leaves out. */
async function readPart(part: SubjectAccessPart, person: { id: string; ownerAgencyId: string }, user: CurrentUser) {
  const rows = await readingAs(user, () => part.read(person))
  const held = await runAsOwner(`subject access: what ${part.section} exist about the person, as ids and agency names`, () => part.census(person.id))
  const items = rows.map(({ flags, ...row }) => item(row, flags.filter(isFlag)))
  const shown = new Set(rows.map((r) => r.id))
  const missing = held.filter((h) => !shown.has(h.id))
  const heldBy = [...new Set(missing.map((m) => m.agency_name).filter((a): a is string => Boolean(a)))].sort()
  const withheld: Withheld | null = missing.length ? { section: part.section, title: part.title, count: missing.length, heldBy } : null
  return { items, withheld }
}

/**
 * The subject access export: everything Lantern holds about a person that the requester's agency
 * may see, each item flagged where it may need redacting, with a count of what other agencies
 * hold and the export leaves out. For the owning agency's information governance officer and
 * managers (person:disclose, owner only: src/access/policy.ts); every export and every look at the
 * page is audited.
 */
export function subjectAccessService(deps: ModuleDeps) {
  const { db, audit, clock } = deps
  const people = peopleService(deps)
  const store = subjectAccessStore(db)
  const basics = peopleStore(db)

  /** The record's header for the page, authorised for disclosure and read as the requester's agency. */
  const header = (ctx: RequestContext, id: string) => readingAs(ctx.user!, () => people.header(ctx, id, 'person:disclose'))

  async function build(ctx: RequestContext, id: string) {
    const user = ctx.user!
    const person = await header(ctx, id)
    const owner = person.owner_agency_id
    const read = await readingAs(user, async () => {
      const [related, timeline, notes, assessments, missingEpisodes, nrmReferrals, cawns, networkLinks, publicReports] = await Promise.all([
        basics.related(id),
        store.timeline(id),
        store.notes(id),
        store.assessments(id),
        store.missingEpisodes(id),
        store.nrmReferrals(id),
        store.cawns(id),
        store.networkLinks(id),
        // Reports from the public are triage staff's under row-level security (0920), and the
        // requester may not triage: those linked to this person are part of what is held about them,
        // which the requester may disclose (person:disclose, checked by header() above).
        runAsOwner('subject access: the reports from the public linked to the person, without the reporter’s details', () => store.publicReports(id)),
      ])
      return { related, timeline, notes, assessments, missingEpisodes, nrmReferrals, cawns, networkLinks, publicReports }
    })
    const parts = deps.subjectAccessParts ?? []
    const fromParts = await Promise.all(parts.map((p) => readPart(p, { id, ownerAgencyId: owner }, user)))
    const held = await runAsOwner('subject access: what exists about the person, as ids and agency names, to say what the export leaves out', () => store.census(id))
    const viewers = await audit.viewers('person', id, owner, 5000)

    const sections: SubjectAccessExport['sections'] = {
      aliases: read.related.aliases.map((a) => item(a, [])),
      identifiers: read.related.identifiers.map((i) => item(i, [])),
      addresses: read.related.addresses.map((a) => item(a, [])),
      timeline: read.timeline.map((e) => item(e, [e.police_only && 'police_only'])),
      notes: read.notes.map((n) => item(n, [n.sensitivity === 'police_only' && 'police_only', n.grade_handling === 'C' && 'handling_conditions', n.author_agency_id !== owner && 'other_agency', 'free_text'])),
      assessments: read.assessments.map((a) => item(a, [(a.analysis || a.override_reason || a.confirmation_note) && 'free_text'])),
      missingEpisodes: read.missingEpisodes.map((m) => item(m, [(m.notes || m.rhi_notes || m.found_by_detail || m.found_location || m.void_reason) && 'free_text'])),
      nrmReferrals: read.nrmReferrals.map((n) => item(n, [n.first_responder_agency_id !== owner && 'other_agency', (n.notes || n.void_reason) && 'free_text'])),
      cawns: read.cawns.map((c) => item({ ...c, role: c.person_id === id ? 'protects them' : 'served on them' }, ['third_party', c.served_by_agency_id !== owner && c.served_by_agency_id !== null && 'other_agency', (c.notes || c.breaches.length > 0) && 'free_text'])),
      networkLinks: read.networkLinks.map((l) => item(l, [l.other_kind === 'person' && 'third_party', l.source_agency_id !== owner && 'other_agency', l.grade_handling === 'C' && 'handling_conditions', 'free_text'])),
      publicReports: read.publicReports.map((r) => item(r, ['third_party'])),
      viewers: viewers.map((v) => item(v, [])),
      ...Object.fromEntries(parts.map((p, i) => [p.section, fromParts[i].items])),
    }
    const included = new Map(HELD_SECTIONS.map((s) => [s, new Set(sections[s].map((i) => String(i.id)))] as const))
    const notes: string[] = []
    if (read.publicReports.some((r) => r.reporter_gave_contact)) {
      notes.push('Reports from the public are included without the reporter’s contact details: they identify a third party, and Lantern never puts them in an export.')
    }
    if (viewers.length >= 5000) notes.push('Who has looked at the record: the 5,000 most recent looks are listed; the audit trail holds the rest.')
    const data: SubjectAccessExport = {
      format: 'lantern-subject-access/1',
      generatedAt: clock.now().toISOString(),
      preparedBy: { name: user.name, role: user.roleName, agency: user.agencyName },
      subject: plain(Object.fromEntries(SUBJECT_FIELDS.map((f) => [f, (person as Row)[f] ?? null]))),
      sections,
      titles: { ...SECTION_TITLES, ...Object.fromEntries(parts.map((p) => [p.section, p.title])) },
      withheld: [...withheldBetween(held, included), ...fromParts.flatMap((f) => (f.withheld ? [f.withheld] : []))],
      flags: REDACTION_FLAGS,
      notes,
    }
    return { person, data }
  }

  return {
    header,

    /**
     * The agency's own records matching a name, to start an export from: only records the
     * requester's agency owns (the only ones it may disclose). Audited as a search, with the term.
     */
    async find(ctx: RequestContext, term: string) {
      await deps.access.authorise(ctx, 'person:disclose')
      const user = ctx.user!
      const found = await readingAs(user, () => store.findOwned(user.agencyId, term, FIND_LIMIT + 1))
      await audit.record(ctx, { action: 'search', recordType: 'person', details: { what: 'subject-access', term, results: Math.min(found.length, FIND_LIMIT) } })
      return { people: found.slice(0, FIND_LIMIT), more: found.length > FIND_LIMIT }
    },

    /** The page before the download: what the export holds, by section, and what it leaves out. Audited as a view. */
    async preview(ctx: RequestContext, id: string) {
      const built = await build(ctx, id)
      await audit.record(ctx, { action: 'view', recordType: 'person', recordId: id, details: { page: 'subject-access' } })
      return built
    },

    /** The export itself, audited with its format and what it holds and leaves out (counts, no content). */
    async export(ctx: RequestContext, id: string, format: 'json' | 'pdf') {
      const { person, data } = await build(ctx, id)
      await audit.record(ctx, {
        action: 'export',
        recordType: 'person',
        recordId: id,
        details: {
          what: 'subject-access',
          format,
          items: Object.fromEntries(Object.entries(data.sections).map(([k, v]) => [k, v.length])),
          withheld: Object.fromEntries(data.withheld.map((w) => [w.section, w.count])),
        },
      })
      return { person, data }
    },
  }
}

export type SubjectAccessService = ReturnType<typeof subjectAccessService>
