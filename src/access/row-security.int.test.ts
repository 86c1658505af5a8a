import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { testDatabaseKinds, type TestDatabase } from '../../test/support/databases.ts'
import { usersStore } from '../auth/users-store.ts'
import { runAsRequest, setRequestViewer } from '../db/scope.ts'
import type { CurrentUser } from '../kernel/context.ts'
import { decide } from './policy.ts'
import type { AuthMethod } from '../kernel/context.ts'

/**
 * The contract between the two statements of need-to-know: `decide()` in TypeScript and the
 * row-level security policies in SQL (migrations 0701, 0760 and 0920). Users, records, shares and justifications are
 * made at random (from a printed seed); for every user the rows the database returns must be exactly
 * the records `decide()` lets them see.
 */
/**
 * The tables the application role may read without row-level security, each with the reason it may.
 * A new table is under a policy (src/db/migration.ts `rowSecurity()`) or is added here with its
 * reason, so a table of people or intelligence cannot be forgotten. `GAPS` hold personal data and
 * are not yet under a policy: their services decide on every read; the list should only shrink.
 */
const ACCOUNTS = 'staff accounts and their credentials: read through the auth stores, never listed to other staff'
const REFERENCE = 'reference data and settings: no person in it'
const AGGREGATES = 'counts, indicators and published open data: no person in it'
const PAPERS = 'committee papers, plans and the public site: partnership business, not case records (restricted items are the service’s)'
const NO_RLS: Record<string, string> = {
  ...Object.fromEntries(['users', 'api_tokens', 'recovery_codes', 'sessions', 'sign_in_throttle'].map((t) => [t, ACCOUNTS])),
  ...Object.fromEntries(['agencies', 'areas', 'area_populations', 'roles', 'role_permissions', 'teams', 'settings', 'screening_tools', 'police_force_names', 'kysely_migration', 'kysely_migration_lock', 'jobs', 'notification_cursors'].map((t) => [t, REFERENCE])),
  ...Object.fromEntries(
    ['crimes', 'crime_counts', 'police_uk_imports', 'police_uk_uploads', 'police_uk_upload_files', 'indicators', 'indicator_values', 'indicator_targets', 'performance_reports', 'public_report_retained_counts'].map((t) => [t, AGGREGATES]),
  ),
  ...Object.fromEntries(
    [
      'strategies', 'strategy_objectives', 'strategy_actions', 'strategy_objective_indicators', 'public_pages', 'public_page_versions',
      'scrutiny_bodies', 'scrutiny_body_members', 'scrutiny_body_scrutinises', 'scrutiny_meetings', 'scrutiny_agenda_items', 'scrutiny_files', 'scrutiny_events',
      'scrutiny_event_attendance', 'scrutiny_event_invitations', 'scrutiny_items', 'scrutiny_item_actions', 'scrutiny_item_indicators', 'scrutiny_evidence',
      'scrutiny_notifications', 'scrutiny_priorities', 'scrutiny_reports_due', 'scrutiny_responses', 'scrutiny_status_history', 'scrutiny_work_items',
    ].map((t) => [t, PAPERS]),
  ),
  audit_events: 'the audit trail: the application role may only insert and read it (0700); the audit service decides who reads details',
  audit_chain_head: 'the audit trail’s chain head, no person in it',
  ...Object.fromEntries(['audit_archives', 'audit_archived_links'].map((t) => [t, 'the register of the audit months exported and detached (0800): the application role holds no right on it'])),
  record_shares: 'need-to-know’s own facts, which the policies read: record ids and agencies, no person’s details',
  break_glass: 'need-to-know’s own facts, which the policies read: record ids and agencies, no person’s details',
  access_requests: 'need-to-know’s own facts: which record an agency asked for, decided by the owner',
  network_link_agencies: 'the condition agencies of a handling-code-C link, which the links’ policy reads: no person in it',
  ...Object.fromEntries(['derived_series_refreshes', 'derived_series_values'].map((t) => [t, 'Lantern’s own counts kept for the indicator pages (0510): no person in them, and a policy for the owner alone, so the application role reads no row'])),
  linkage_entry_model: 'the match index’s model (name frequencies), read and written by its sync as the owner: a policy for the owner alone (0832), so the application role reads no row',
  operation_partners: 'which agencies take part in an operation, which the operations’ policies read (lantern_takes_part, 0790)',
  ...Object.fromEntries(['indicator_inputs', 'indicator_judgements'].map((t) => [t, 'the indicators’ judgements kept with the key of their inputs (0850): no person in them, and a policy for the owner alone, so the application role reads no row'])),
  indicator_input_marks: 'the transactions that changed an input, each gone at its commit (0950): no person in it, and a policy for the owner alone',
}
const GAPS: Record<string, string> = {}

const SEED = Number(process.env.LANTERN_CONTRACT_SEED ?? 20261207)
function random(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const ROLES = ['practitioner', 'manager', 'analyst', 'partnership_officer', 'panel_member', 'administrator', 'information_governance']
const AGENCY_KINDS = ['police', 'county_council', 'health', 'oversight'] as const

interface Made {
  people: { id: string; owner: string }[]
  notes: { id: string; personId: string; policeOnly: boolean; handledBy?: string[] }[]
  shares: { personId: string; agencyId: string | null; userId: string | null; revoked: boolean; expired: boolean }[]
  glass: { personId: string; userId: string; live: boolean }[]
}

describe.each(testDatabaseKinds())('row-level security agrees with decide() on $name (seed ' + SEED + ')', (kind) => {
  let database: TestDatabase
  const users: CurrentUser[] = []
  const made: Made = { people: [], notes: [], shares: [], glass: [] }

  beforeAll(async () => {
    database = await kind.create()
    const db = database.db
    const pick = random(SEED)
    const choose = <T>(list: readonly T[]) => list[Math.floor(pick() * list.length)]
    const agencies: string[] = []
    for (const [i, agencyKind] of AGENCY_KINDS.entries()) {
      const row = await db.insertInto('agencies').values({ name: `Contract agency ${i}`, short_name: `A${i}`, kind: agencyKind }).returning('id').executeTakeFirstOrThrow()
      agencies.push(row.id)
    }
    const userIds: string[] = []
    for (let i = 0; i < 24; i++) {
      const row = await db
        .insertInto('users')
        .values({ email: `contract${i}@example.test`, name: `Contract user ${i}`, agency_id: choose(agencies), role: ROLES[i % ROLES.length] })
        .returning('id')
        .executeTakeFirstOrThrow()
      userIds.push(row.id)
    }
    for (let i = 0; i < 80; i++) {
      const owner = choose(agencies)
      const person = await db
        .insertInto('people')
        .values({ kind: pick() < 0.7 ? 'child' : 'adult', given_name: `Given${i}`, family_name: `Family${i}`, approximate_age: 15, owner_agency_id: owner })
        .returning('id')
        .executeTakeFirstOrThrow()
      made.people.push({ id: person.id, owner })
      // A record that hangs off the person, which carries the person's owner and rule (0760, 0930).
      await db.insertInto('person_aliases').values({ person_id: person.id, name: `Alias${i}` }).execute()
      if (pick() < 0.5) {
        const policeOnly = pick() < 0.4
        const author = choose(userIds)
        // Some intelligence under handling code C: read by the author's agency and one named agency.
        const handledBy = pick() < 0.3 ? [owner, choose(agencies)] : undefined
        const grade = handledBy && { kind: 'intelligence' as const, grade_source: '2' as const, grade_assessment: 'B' as const, grade_handling: 'C' as const, handling_conditions: 'named agency only', handling_agency_ids: [handledBy[1]] }
        const note = await db
          .insertInto('person_notes')
          .values({ person_id: person.id, kind: 'contact', occurred_on: '2026-01-01', body: 'note', sensitivity: policeOnly ? 'police_only' : 'standard', author_id: author, author_agency_id: owner, ...grade })
          .returning('id')
          .executeTakeFirstOrThrow()
        made.notes.push({ id: note.id, personId: person.id, policeOnly, handledBy })
      }
      const shares = Math.floor(pick() * 3)
      for (let s = 0; s < shares; s++) {
        const toUser = pick() < 0.4
        const share = { personId: person.id, agencyId: toUser ? null : choose(agencies), userId: toUser ? choose(userIds) : null, revoked: pick() < 0.2, expired: pick() < 0.2 }
        await db
          .insertInto('record_shares')
          .values({
            record_type: 'person',
            record_id: person.id,
            agency_id: share.agencyId,
            user_id: share.userId,
            revoked_at: share.revoked ? new Date() : null,
            expires_at: pick() < 0.5 ? new Date(Date.now() + (share.expired ? -3600_000 : 86400_000)) : share.expired ? new Date(Date.now() - 60_000) : null,
          })
          .execute()
        made.shares.push(share)
      }
      if (pick() < 0.2) {
        const glass = { personId: person.id, userId: choose(userIds), live: pick() < 0.6 }
        await db
          .insertInto('break_glass')
          .values({ user_id: glass.userId, record_type: 'person', record_id: person.id, reason: 'Contract test justification', expires_at: new Date(Date.now() + (glass.live ? 3600_000 : -3600_000)) })
          .execute()
        made.glass.push(glass)
      }
    }
    const store = usersStore(db)
    for (const id of userIds) users.push((await store.currentUser(id))!)
  })
  afterAll(async () => {
    await database?.dispose()
  })

  function allowed(user: CurrentUser, person: { id: string; owner: string }, via: AuthMethod = 'session') {
    const live = made.shares.filter((s) => s.personId === person.id && !s.revoked && !s.expired)
    const glass = made.glass.some((g) => g.personId === person.id && g.userId === user.id && g.live)
    return decide(
      user,
      'person:view',
      {
        type: 'person',
        id: person.id,
        ownerAgencyId: person.owner,
        sharedAgencyIds: live.flatMap((s) => (s.agencyId ? [s.agencyId] : [])),
        sharedUserIds: live.flatMap((s) => (s.userId ? [s.userId] : [])),
        breakGlassUntil: glass ? new Date(Date.now() + 3600_000) : null,
      },
      via,
    ).allowed
  }

  async function asUser<T>(user: CurrentUser, work: () => Promise<T>, via: AuthMethod = 'session'): Promise<T> {
    return runAsRequest(async () => {
      setRequestViewer(user, { breakGlass: via === 'session' })
      return work()
    })
  }

  it.each(['session', 'api-token'] as const)('returns each user exactly the people decide() lets them see, signed in by %s', async (via) => {
    let seen = 0
    for (const user of users) {
      const rows = await asUser(user, () => database.db.selectFrom('people').select('id').execute(), via)
      const expected = made.people.filter((p) => allowed(user, p, via)).map((p) => p.id)
      expect(rows.map((r) => r.id).sort(), `${user.roleName} of ${user.agencyKind}`).toEqual(expected.sort())
      seen += expected.length
    }
    // The sample must exercise both answers, or the comparison proves nothing.
    expect(seen).toBeGreaterThan(0)
    expect(seen).toBeLessThan(users.length * made.people.length)
  })

  it.each(['session', 'api-token'] as const)('returns each user exactly the records hanging off the people decide() lets them see, signed in by %s', async (via) => {
    for (const user of users) {
      const rows = await asUser(user, () => database.db.selectFrom('person_aliases').select('person_id').execute(), via)
      const expected = made.people.filter((p) => allowed(user, p, via)).map((p) => p.id)
      expect(rows.map((r) => r.person_id).sort(), `${user.roleName} of ${user.agencyKind}`).toEqual(expected.sort())
    }
  })

  it('returns a person’s notes with the person, police-only notes to police agencies only, C-coded ones to the agencies named', async () => {
    expect(made.notes.some((n) => n.handledBy)).toBe(true)
    for (const user of users) {
      const rows = await asUser(user, () => database.db.selectFrom('person_notes').select('id').execute())
      const expected = made.notes
        .filter((n) => allowed(user, made.people.find((p) => p.id === n.personId)!) && (!n.policeOnly || user.agencyKind === 'police') && (!n.handledBy || n.handledBy.includes(user.agencyId)))
        .map((n) => n.id)
      expect(rows.map((r) => r.id).sort()).toEqual(expected.sort())
    }
  })

  it('a person’s records follow the person when they change hands, and their owner column cannot be forged', async () => {
    const db = database.db
    const note = made.notes.find((n) => !n.policeOnly)!
    const person = made.people.find((p) => p.id === note.personId)!
    const outsider = users.find((u) => u.permissions.has('person:view') && !allowed(u, person))!
    const notesSeenBy = async (user: CurrentUser) =>
      (await asUser(user, () => db.selectFrom('person_notes').select('id').where('person_id', '=', person.id).execute())).map((r) => r.id)
    expect(await notesSeenBy(outsider)).not.toContain(note.id)

    // A writer (here the owner, whom no policy restricts) naming the outsider's agency as the owner.
    const forged = await sql<{ id: string; person_owner_agency_id: string }>`
      insert into person_notes (person_id, kind, occurred_on, body, sensitivity, author_id, author_agency_id, person_owner_agency_id)
      values (${person.id}, 'contact', '2026-01-02', 'forged', 'standard', ${outsider.id}, ${person.owner}, ${outsider.agencyId})
      returning id, person_owner_agency_id`.execute(db)
    expect(forged.rows[0].person_owner_agency_id).toBe(person.owner)
    expect(await notesSeenBy(outsider)).not.toContain(forged.rows[0].id)

    await db.updateTable('people').set({ owner_agency_id: outsider.agencyId }).where('id', '=', person.id).execute()
    try {
      expect(await notesSeenBy(outsider)).toEqual(expect.arrayContaining([note.id, forged.rows[0].id]))
    } finally {
      await db.updateTable('people').set({ owner_agency_id: person.owner }).where('id', '=', person.id).execute()
      await db.deleteFrom('person_notes').where('id', '=', forged.rows[0].id).execute()
    }
    expect(await notesSeenBy(outsider)).not.toContain(note.id)
  })

  it('refuses to write a record into an agency the user cannot see, and tells the owner from a directory', async () => {
    const outsider = users.find((u) => u.permissions.has('person:view'))!
    const foreign = made.people.find((p) => !allowed(outsider, p))!
    await asUser(outsider, async () => {
      const updated = await database.db.updateTable('people').set({ given_name: 'Changed' }).where('id', '=', foreign.id).executeTakeFirst()
      expect(updated.numUpdatedRows).toBe(0n)
      await expect(
        database.db.insertInto('people').values({ id: randomUUID(), kind: 'child', given_name: 'X', family_name: 'Y', approximate_age: 14, owner_agency_id: foreign.owner }).execute(),
      ).rejects.toThrow(/row-level security/)
    })
  })
  it('shows reports from the public to triage staff only, and a link to a record (with its reason, in the history too) only to those who see the record', async () => {
    const db = database.db
    const report = await db
      .insertInto('public_reports')
      .values({ reference: 'RLSC-0001', journey_token: 'contract-journey-0001', channel: 'online', received_on: '2026-01-01', what_happened: 'Contract report', anonymous: false, contact_name: 'Contract Reporter' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('public_report_triage').values({ report_id: report.id, urgency: 'high' }).execute()
    const linked = made.people.slice(0, 12)
    for (const person of linked) {
      await db.insertInto('public_report_links').values({ report_id: report.id, entity_type: 'person', entity_id: person.id, note: `Why ${person.id}` }).execute()
      await db
        .insertInto('public_report_events')
        .values({ report_id: report.id, kind: 'linked', note: `Why ${person.id}`, details: JSON.stringify({ entityType: 'person', entityId: person.id }) })
        .execute()
    }
    await db.insertInto('public_report_events').values({ report_id: report.id, kind: 'note', note: 'Triage note' }).execute()
    let triaging = 0
    for (const user of users) {
      const triage = user.permissions.has('reports:triage')
      triaging += triage ? 1 : 0
      const seen = await asUser(user, async () => ({
        reports: await db.selectFrom('public_reports').select('id').execute(),
        triage: await db.selectFrom('public_report_triage').select('report_id').execute(),
        links: await db.selectFrom('public_report_links').select('entity_id').execute(),
        events: await db.selectFrom('public_report_events').select('note').execute(),
      }))
      const visible = triage ? linked.filter((p) => allowed(user, p)).map((p) => p.id) : []
      expect(seen.reports.map((r) => r.id), user.roleName).toEqual(triage ? [report.id] : [])
      expect(seen.triage).toHaveLength(triage ? 1 : 0)
      expect(seen.links.map((l) => l.entity_id).sort()).toEqual([...visible].sort())
      expect(seen.events.map((e) => e.note).sort()).toEqual((triage ? ['Triage note', ...visible.map((id) => `Why ${id}`)] : []).sort())
    }
    expect(triaging).toBeGreaterThan(0)
    expect(triaging).toBeLessThan(users.length)
    // Nor can anyone without reports:triage write one as staff (the visitor's report is saved as the owner).
    const outsider = users.find((u) => !u.permissions.has('reports:triage'))!
    await asUser(outsider, async () => {
      await expect(
        db.insertInto('public_reports').values({ reference: 'RLSF-0001', journey_token: 'contract-journey-0002', channel: 'online', received_on: '2026-01-01', what_happened: 'Forged', anonymous: true }).execute(),
      ).rejects.toThrow(/row-level security/)
    })
    await db.deleteFrom('public_reports').where('id', '=', report.id).execute()
  })

  it('puts every table under forced row-level security with a policy for the application role, but those listed with a reason', async () => {
    // The audit trail's months (its partitions, and months detached as audit_archive_YYYY_MM) are
    // made by the job runner, one a month: the application role holds no right on any of them and
    // reaches the trail through audit_events alone, so none is listed, but one it could read would be.
    const { rows } = await sql<{ table: string }>`
      select c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p')
         and not (c.relname ~ '^audit_(events_(default|[0-9]{4}_[0-9]{2})|archive_[0-9]{4}_[0-9]{2})$'
                  and not has_table_privilege('lantern_app', c.oid, 'select, insert, update, delete, truncate, references, trigger'))
         and not (c.relrowsecurity and c.relforcerowsecurity
                  and exists (select 1 from pg_policy p join pg_roles r on r.oid = any (p.polroles) where p.polrelid = c.oid and r.rolname = 'lantern_app'))
       `.execute(database.db)
    expect(rows.map((r) => r.table).sort()).toEqual(Object.keys({ ...NO_RLS, ...GAPS }).sort())
  })
})
