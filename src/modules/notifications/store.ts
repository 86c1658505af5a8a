import { sql } from 'kysely'
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
    /** Who watches which of these entities. */
    async watchesOn(entityIds: readonly string[]) {
      if (!entityIds.length) return []
      return db.selectFrom('network_watches').select(['user_id', 'entity_id']).where('entity_id', 'in', [...entityIds]).execute()
    },
    /** Every entity someone watches. */
    async watchedEntities(): Promise<string[]> {
      return (await db.selectFrom('network_watches').select('entity_id').distinct().execute()).map((r) => r.entity_id)
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
