import { sql } from 'kysely'
import type { Insertable } from 'kysely'
import type { Db } from '../../db/index.ts'
import { dueSql } from './visibility-store.ts'
import type { ItemKind, ItemStatus, ScrutinyNotificationsTable } from './tables.ts'

/** An open item with an addressee's email and a date a response is due: what reminders are made from. */
export interface ReminderCandidate {
  id: string
  kind: ItemKind
  status: ItemStatus
  response_due: string | null
  answered_on: string | null
  first_response_on: string | null
  addressee: string
  addressee_email: string | null
  reminder_days: number
  sent_on: string | null
  title: string
  text: string
  number: number
  municipal_year: string
  body_code: string
  body_name: string
  body_slug: string
  public_item: boolean
}

type NewNotification = Pick<Insertable<ScrutinyNotificationsTable>, 'item_id' | 'kind' | 'scheduled_for' | 'to_address' | 'subject' | 'body'>

/** The outbox of notifications (scrutiny_notifications). Pass a transaction to run inside it. */
export function outboxStore(db: Db) {
  return {
    async candidates(ids?: string[]): Promise<ReminderCandidate[]> {
      const only = ids?.length ? sql`and i.id in (${sql.join(ids)})` : sql``
      const { rows } = await sql<ReminderCandidate>`
        select i.id, i.kind, i.status, ${dueSql} as response_due, i.answered_on, i.addressee, i.addressee_email, i.sent_on,
               i.title, i.text, i.number, i.municipal_year, b.reminder_days, b.code as body_code, b.name as body_name,
               b.slug as body_slug, (b.public and not i.restricted and not coalesce(ai.restricted, false)) as public_item,
               (select min(r.responded_on) from scrutiny_responses r where r.item_id = i.id) as first_response_on
          from scrutiny_items i
          join scrutiny_bodies b on b.id = i.body_id
          join scrutiny_meetings m on m.id = i.meeting_id
          left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
         where ${dueSql} is not null and i.addressee_email is not null
           and i.status not in ('implemented','not_accepted','answered','closed') ${only}`.execute(db)
      return rows
    },

    /** Queues notifications; one already queued for the same item, kind and date is left as it is. */
    queue: (rows: NewNotification[]) =>
      db
        .insertInto('scrutiny_notifications')
        .values(rows)
        .onConflict((oc) => oc.columns(['item_id', 'kind', 'scheduled_for']).doNothing())
        .returning(['id', 'item_id', 'kind', 'scheduled_for', 'to_address'])
        .execute(),

    /** Pending notifications scheduled up to `today`, with what is needed to decide whether they are still wanted. */
    pending(today: string, options: { ids?: string[]; limit?: number }) {
      let q = db
        .selectFrom('scrutiny_notifications as n')
        .innerJoin('scrutiny_items as i', 'i.id', 'n.item_id')
        .select(['n.id', 'n.item_id', 'n.kind', 'n.to_address', 'n.subject', 'n.body', 'n.attempts', 'n.scheduled_for', 'i.status', 'i.answered_on', 'i.kind as item_kind'])
        .select(sql<boolean>`exists (select 1 from scrutiny_responses r where r.item_id = i.id)`.as('has_response'))
        .where('n.status', '=', 'pending')
        .where('n.scheduled_for', '<=', today)
        .orderBy('n.scheduled_for')
        .orderBy('n.created_at')
        .limit(options.limit ?? 500)
      if (options.ids?.length) q = q.where('n.id', 'in', options.ids)
      return q.execute()
    },

    cancel: (id: string, why: string) => db.updateTable('scrutiny_notifications').set({ status: 'cancelled', last_error: why }).where('id', '=', id).execute(),

    failedAttempt: (id: string, v: { attempts: number; last_error: string; status: 'failed' | 'pending' }) => db.updateTable('scrutiny_notifications').set(v).where('id', '=', id).execute(),

    markSent: (id: string, v: { attempts: number; transport: string }) =>
      db
        .updateTable('scrutiny_notifications')
        .set({ ...v, status: 'sent', sent_at: new Date(), last_error: null })
        .where('id', '=', id)
        .execute(),

    /** The request went today unless it was already recorded as sent earlier. */
    markItemSent: (itemId: string, today: string) =>
      db.updateTable('scrutiny_items').set({ sent_on: sql`coalesce(sent_on, ${today}::date)` }).where('id', '=', itemId).execute(),

    list: (limit: number) =>
      db
        .selectFrom('scrutiny_notifications as n')
        .innerJoin('scrutiny_items as i', 'i.id', 'n.item_id')
        .innerJoin('scrutiny_bodies as b', 'b.id', 'i.body_id')
        .select(['n.id', 'n.kind', 'n.scheduled_for', 'n.to_address', 'n.subject', 'n.status', 'n.attempts', 'n.last_error', 'n.transport', 'n.sent_at', 'n.created_at'])
        .select(['i.id as item_id', 'i.kind as item_kind', 'i.number', 'i.municipal_year', 'b.code as body_code', 'b.name as body_name'])
        .orderBy(sql`case n.status when 'pending' then 0 when 'failed' then 1 else 2 end`)
        .orderBy('n.scheduled_for', 'desc')
        .limit(limit)
        .execute(),
  }
}
