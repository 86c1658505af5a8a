import { sql, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'
import { runAsRequest, setRequestViewer, type DbViewer } from '../../db/scope.ts'
import type { EmailChoice, NotificationKind } from './tables.ts'
import './tables.ts'

/** The records a notification can be about, each checked as its recipient would read it. */
export type WatchedTable = 'missing_episodes' | 'person_notes' | 'risk_assessments' | 'network_links' | 'plan_actions'

interface PersonName {
  person_id: string
  given_name: string
  family_name: string
  preferred_name: string | null
}

export interface NewNotification {
  user_id: string
  kind: NotificationKind
  person_id: string | null
  entity_id: string | null
  text: string
  href: string
  event_key: string
  source_table: WatchedTable
  source_id: string
}

export function notificationsStore(db: Db) {
  return {
    /**
     * The end of a scan's window: the database's now, rounded up to the millisecond a JavaScript
     * Date can hold. Rounded down, a record made earlier in that same millisecond fell after the
     * window's end and was missed until the next scan (the overlap makes re-reading it harmless).
     */
    async now(): Promise<Date> {
      return (await sql<{ now: Date }>`select date_trunc('milliseconds', now()) + case when now() = date_trunc('milliseconds', now()) then interval '0' else interval '1 millisecond' end as now`.execute(db)).rows[0].now
    },
    async cursor(source: string): Promise<Date | null> {
      return (await db.selectFrom('notification_cursors').select('scanned_to').where('source', '=', source).executeTakeFirst())?.scanned_to ?? null
    },
    async setCursor(source: string, to: Date) {
      await db
        .insertInto('notification_cursors')
        .values({ source, scanned_to: to })
        .onConflict((oc) => oc.column('source').doUpdateSet({ scanned_to: to }))
        .execute()
    },

    // What happened: the scan's sources, read as the owner. Nobody is told anything from these
    // until visibleTo() has read the record as them.
    missingReported(from: Date, to: Date) {
      return db
        .selectFrom('missing_episodes as e')
        .innerJoin('people as p', 'p.id', 'e.person_id')
        .select(['e.id', 'e.person_id', 'p.allocated_worker_id as holder', 'e.created_by as actor', 'p.given_name', 'p.family_name', 'p.preferred_name'])
        .where('e.created_at', '>', from)
        .where('e.created_at', '<=', to)
        .where('e.voided_at', 'is', null)
        .where('p.allocated_worker_id', 'is not', null)
        .execute()
    },
    missingFound(from: Date, to: Date) {
      return db
        .selectFrom('missing_episodes as e')
        .innerJoin('people as p', 'p.id', 'e.person_id')
        .select(['e.id', 'e.person_id', 'p.allocated_worker_id as holder', 'e.updated_by as actor', 'p.given_name', 'p.family_name', 'p.preferred_name'])
        .where('e.found_at', 'is not', null)
        .where('e.voided_at', 'is', null)
        .where('e.updated_at', '>', from)
        .where('e.updated_at', '<=', to)
        .where('p.allocated_worker_id', 'is not', null)
        .execute()
    },
    /** Found since `since`, with no return home interview held or declined yet. */
    awaitingInterview(since: Date) {
      return db
        .selectFrom('missing_episodes as e')
        .innerJoin('people as p', 'p.id', 'e.person_id')
        .select(['e.id', 'e.person_id', 'e.found_at', 'e.rhi_held_at', 'e.rhi_declined', 'p.allocated_worker_id as holder', 'p.given_name', 'p.family_name', 'p.preferred_name'])
        .where('e.found_at', '>', since)
        .where('e.voided_at', 'is', null)
        .where('e.rhi_held_at', 'is', null)
        .where('e.rhi_declined', '=', false)
        .where('p.allocated_worker_id', 'is not', null)
        .execute()
    },
    /**
     * Serious episodes saved in the window whose prompt for a review is still open (no rating set
     * since), with their holder. A new episode's updated_at is the casework clock's, so the window
     * is read on created_at too.
     */
    reviewsPrompted(from: Date, to: Date) {
      return db
        .selectFrom('missing_episodes as e')
        .innerJoin('people as p', 'p.id', 'e.person_id')
        .select(['e.id', 'e.person_id', 'e.serious_reasons', 'e.review_prompted_at', 'p.allocated_worker_id as holder', 'e.updated_by as actor', 'p.given_name', 'p.family_name', 'p.preferred_name'])
        .where((eb) => eb.or([eb.and([eb('e.created_at', '>', from), eb('e.created_at', '<=', to)]), eb.and([eb('e.updated_at', '>', from), eb('e.updated_at', '<=', to)])]))
        .where('e.voided_at', 'is', null)
        .where(sql<SqlBool>`e.review_prompted_at > coalesce(p.current_rag_at, '-infinity'::timestamptz)`)
        .where('p.allocated_worker_id', 'is not', null)
        .execute()
    },
    redsAwaiting() {
      return db
        .selectFrom('risk_assessments as a')
        .innerJoin('people as p', 'p.id', 'a.person_id')
        .select(['a.id', 'a.person_id', 'a.submitted_by as actor', 'p.owner_agency_id', 'p.owner_team_id', 'p.given_name', 'p.family_name', 'p.preferred_name'])
        .where('a.status', '=', 'awaiting_confirmation')
        .execute()
    },
    /** Active users of the agency (and the team, when the record has one) who may confirm a Red. */
    confirmers(agencyId: string, teamId: string | null) {
      let q = db
        .selectFrom('users as u')
        .select('u.id')
        .where('u.active', '=', true)
        .where('u.agency_id', '=', agencyId)
        .where((eb) => eb.exists(eb.selectFrom('role_permissions as rp').select('rp.role_id').whereRef('rp.role_id', '=', 'u.role').where('rp.permission', '=', 'assessment:confirm-red')))
      if (teamId) q = q.where('u.team_id', '=', teamId)
      return q.execute()
    },
    notesAdded(from: Date, to: Date) {
      return db
        .selectFrom('person_notes as n')
        .innerJoin('people as p', 'p.id', 'n.person_id')
        .innerJoin('users as h', 'h.id', 'p.allocated_worker_id')
        .select(['n.id', 'n.person_id', 'n.kind', 'n.author_id as actor', 'p.allocated_worker_id as holder', 'p.given_name', 'p.family_name', 'p.preferred_name'])
        .where('n.created_at', '>', from)
        .where('n.created_at', '<=', to)
        // Runs as the owner: a C-coded note's holder hears of it only where they may read it.
        .where(sql<SqlBool>`(n.grade_handling is distinct from 'C' or n.author_agency_id = h.agency_id or h.agency_id = any(n.handling_agency_ids))`)
        .execute()
    },
    /** Plan actions assigned to a named person in the window, named by their meeting's first subject. */
    actionsAssigned(from: Date, to: Date) {
      return db
        .selectFrom('plan_actions as a')
        .innerJoin('plan_meetings as m', 'm.id', 'a.meeting_id')
        .innerJoin('people as p', (j) => j.on(sql<SqlBool>`p.id = m.subject_ids[1]`))
        .select(['a.id', 'a.meeting_id', 'a.due_on', 'a.owner_user_id as holder', 'a.created_by as actor', 'p.id as person_id', 'p.given_name', 'p.family_name', 'p.preferred_name'])
        .where('a.created_at', '>', from)
        .where('a.created_at', '<=', to)
        .where('a.status', '=', 'open')
        .where('a.owner_user_id', 'is not', null)
        .execute()
    },
    /** New links touching a watched entity, one row per watcher and watched end. */
    linksToWatched(from: Date, to: Date) {
      return db
        .selectFrom('network_links as l')
        .innerJoin('network_watches as w', (j) => j.on((eb) => eb.or([eb('w.entity_id', '=', eb.ref('l.source_id')), eb('w.entity_id', '=', eb.ref('l.target_id'))])))
        .innerJoin('network_entities as e', 'e.id', 'w.entity_id')
        .select(['l.id', 'w.user_id as watcher', 'w.entity_id', 'e.label', 'l.created_by as actor'])
        .where('l.created_at', '>', from)
        .where('l.created_at', '<=', to)
        .execute()
    },

    /** Need-to-know as the recipient: their role's permissions and agency, never break glass. */
    async viewers(userIds: string[]): Promise<Map<string, DbViewer>> {
      if (!userIds.length) return new Map()
      const rows = await db
        .selectFrom('users as u')
        .innerJoin('agencies as a', 'a.id', 'u.agency_id')
        .select(['u.id', 'u.agency_id', 'a.kind as agency_kind'])
        .select(sql<string[]>`coalesce((select array_agg(permission) from role_permissions rp where rp.role_id = u.role), '{}')`.as('permissions'))
        .where('u.id', 'in', [...new Set(userIds)])
        .where('u.active', '=', true)
        .execute()
      return new Map(rows.map((r) => [r.id, { id: r.id, agencyId: r.agency_id, agencyKind: r.agency_kind, permissions: r.permissions }]))
    },
    /**
     * Whether `viewer` can read the record, asked of the database as them: the same row-level
     * security every page runs under (handling codes, police-only, shares), so an alert can never
     * say more than the page it links to would show.
     */
    visibleTo(viewer: DbViewer, table: WatchedTable, id: string): Promise<boolean> {
      return runAsRequest(async () => {
        setRequestViewer(viewer, { breakGlass: false })
        const row = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()
        return row !== undefined
      })
    },
    /** Of these (user, event) pairs, the ones already notified: the scan skips them before asking again. */
    async alreadyNotified(keys: string[]): Promise<Set<string>> {
      const unique = [...new Set(keys)]
      const found = new Set<string>()
      // In slices: a query takes at most 65,535 parameters.
      for (let i = 0; i < unique.length; i += 5000) {
        const rows = await db.selectFrom('notifications').select(['user_id', 'event_key']).where('event_key', 'in', unique.slice(i, i + 5000)).execute()
        for (const r of rows) found.add(`${r.user_id} ${r.event_key}`)
      }
      return found
    },
    async add(n: NewNotification): Promise<boolean> {
      const r = await db.insertInto('notifications').values(n).onConflict((oc) => oc.columns(['user_id', 'event_key']).doNothing()).executeTakeFirst()
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
    },

    // A user's own notifications (run in their request: row-level security keeps them theirs).
    unreadCount(userId: string) {
      return db
        .selectFrom('notifications')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow()
        .then((r) => r.n)
    },
    list(userId: string, options: { unreadOnly: boolean; limit: number; offset: number }) {
      let q = db
        .selectFrom('notifications')
        .select(['id', 'kind', 'text', 'href', 'created_at', 'read_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(options.limit)
        .offset(options.offset)
      if (options.unreadOnly) q = q.where('read_at', 'is', null)
      return q.execute()
    },
    async markRead(userId: string, ids: string[] | 'all'): Promise<number> {
      let q = db.updateTable('notifications').set({ read_at: sql<Date>`now()` }).where('user_id', '=', userId).where('read_at', 'is', null)
      if (ids !== 'all') {
        if (!ids.length) return 0
        q = q.where('id', 'in', ids)
      }
      return Number((await q.executeTakeFirst()).numUpdatedRows)
    },
    async open(userId: string, id: string): Promise<string | null> {
      const row = await db
        .updateTable('notifications')
        .set({ read_at: sql<Date>`coalesce(read_at, now())` })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .returning('href')
        .executeTakeFirst()
      return row?.href ?? null
    },
    /** In a request, row-level security answers whether the user may see the entity. */
    async entityVisible(entityId: string): Promise<boolean> {
      return (await db.selectFrom('network_entities').select('id').where('id', '=', entityId).executeTakeFirst()) !== undefined
    },
    async emailChoice(userId: string): Promise<EmailChoice> {
      return (await db.selectFrom('notification_settings').select('email').where('user_id', '=', userId).executeTakeFirst())?.email ?? 'off'
    },
    async setEmailChoice(userId: string, email: EmailChoice) {
      await db
        .insertInto('notification_settings')
        .values({ user_id: userId, email })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ email, updated_at: sql<Date>`now()` }))
        .execute()
    },
    async watching(userId: string, entityId: string): Promise<boolean> {
      return (await db.selectFrom('network_watches').select('entity_id').where('user_id', '=', userId).where('entity_id', '=', entityId).executeTakeFirst()) !== undefined
    },
    async watch(userId: string, entityId: string) {
      await db.insertInto('network_watches').values({ user_id: userId, entity_id: entityId }).onConflict((oc) => oc.columns(['user_id', 'entity_id']).doNothing()).execute()
    },
    async unwatch(userId: string, entityId: string) {
      await db.deleteFrom('network_watches').where('user_id', '=', userId).where('entity_id', '=', entityId).execute()
    },

    // E-mail (the job): who may be waiting for a message (found as the owner, then counted as them), and marking it sent.
    awaitingEmail(choice: Exclude<EmailChoice, 'off'>, since: Date) {
      return db
        .selectFrom('notifications as n')
        .innerJoin('notification_settings as s', 's.user_id', 'n.user_id')
        .innerJoin('users as u', 'u.id', 'n.user_id')
        .select(['u.id as user_id', 'u.email', sql<string[]>`array_agg(n.id)`.as('ids')])
        .where('s.email', '=', choice)
        .where('u.active', '=', true)
        .where('n.emailed_at', 'is', null)
        .where('n.read_at', 'is', null)
        .where('n.created_at', '>', since)
        .groupBy(['u.id', 'u.email'])
        .execute()
    },
    /**
     * Of `ids`, the ones `viewer` may read now, asked as them: a notification is theirs to read only
     * while its source, person and entity are (0830), and a share revoked or a note made police-only
     * since it was made takes it off their page, so it must come off the count an e-mail gives too.
     */
    readableBy(viewer: DbViewer, ids: string[]): Promise<string[]> {
      if (!ids.length) return Promise.resolve([])
      return runAsRequest(async () => {
        setRequestViewer(viewer, { breakGlass: false })
        return (await db.selectFrom('notifications').select('id').where('user_id', '=', viewer.id).where('id', 'in', ids).execute()).map((r) => r.id)
      })
    },
    async markEmailed(userId: string, ids: string[]) {
      if (!ids.length) return
      await db.updateTable('notifications').set({ emailed_at: sql<Date>`now()` }).where('user_id', '=', userId).where('id', 'in', ids).execute()
    },
  }
}

export type NotificationsStore = ReturnType<typeof notificationsStore>
export type { PersonName }
