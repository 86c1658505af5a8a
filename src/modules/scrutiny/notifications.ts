import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import { formatLongDate, formatReference, planReminders, reminderMessage, type PlannedReminder } from './domain.ts'
import { dueSql, scrutinyStore } from './store.ts'
import type { ItemKind, ItemStatus } from './tables.ts'

/**
 * Notifications go through an outbox: a row in scrutiny_notifications is written in the same
 * transaction as the change that calls for it, and a sender delivers pending rows later. A sender
 * is anything that can deliver one plain-text message; SMTP in production, a log line in
 * development and tests (src/web/mail.ts). The job `scrutiny.reminders` (module.ts, on the job
 * runner) and `lantern scrutiny reminders` queue the reminders that are due and deliver the outbox.
 */
export { SmtpSender, LogSender, senderFromConfig, type OutgoingMessage, type NotificationSender } from '../../web/mail.ts'
import type { NotificationSender } from '../../web/mail.ts'

/** Links in emails point at the public page of the item when Lantern knows its public address. */
function itemLink(baseUrl: string | undefined, slug: string, id: string, isPublic: boolean) {
  if (!baseUrl) return undefined
  return isPublic ? `${baseUrl.replace(/\/$/, '')}/scrutiny/${slug}/items/${id}` : `${baseUrl.replace(/\/$/, '')}/scrutiny/manage/items/${id}`
}

interface Candidate {
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

async function candidates(db: Db, ids?: string[]): Promise<Candidate[]> {
  const only = ids?.length ? sql`and i.id in (${sql.join(ids)})` : sql``
  const { rows } = await sql<Candidate>`
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
}

function messageFor(c: Candidate, kind: 'request' | PlannedReminder['kind'], today: string, baseUrl?: string) {
  return reminderMessage(
    kind,
    {
      reference: formatReference(c.body_code, c.municipal_year, c.kind, c.number),
      title: c.title,
      text: c.text,
      addressee: c.addressee,
      response_due: c.response_due,
      sent_on: c.sent_on,
      body_name: c.body_name,
    },
    today,
    itemLink(baseUrl, c.body_slug, c.id, c.public_item),
  )
}

/**
 * Queues every reminder due by `today` that is not already in the outbox. Safe to run as often as
 * you like: each reminder has a fixed date and the outbox is unique on (item, kind, date).
 */
export async function queueReminders(db: Db, today: string, options: { baseUrl?: string } = {}): Promise<number> {
  const rows = (await candidates(db)).flatMap((c) =>
    planReminders(c, today).map((plan) => {
      const { subject, body } = messageFor(c, plan.kind, today, options.baseUrl)
      return { item_id: c.id, kind: plan.kind, scheduled_for: plan.scheduledFor, to_address: c.addressee_email!, subject, body }
    }),
  )
  let queued = 0
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await db
      .insertInto('scrutiny_notifications')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['item_id', 'kind', 'scheduled_for']).doNothing())
      .returning(['id', 'item_id', 'kind', 'scheduled_for', 'to_address'])
      .execute()
    // Queued is all that has happened so far: the log says so, and says "sent" only when it was.
    await scrutinyStore(db).insertEvidenceMany(
      inserted.map((n) => ({
        item_id: n.item_id,
        event: 'reminder_queued' as const,
        occurred_on: today,
        channel: null,
        counterpart: n.to_address,
        detail: `${n.kind === 'reminder_before' ? 'A reminder before the due date' : 'An overdue reminder'} was queued for ${formatLongDate(String(n.scheduled_for))}`,
        notification_id: n.id,
        recorded_by: null,
        recorded_by_name: 'Lantern',
      })),
    )
    queued += inserted.length
  }
  return queued
}

/** Queues the request itself for sending (the "send it now" choice when an item is recorded). */
export async function queueRequest(db: Db, itemId: string, today: string, options: { baseUrl?: string } = {}) {
  const [c] = await candidates(db, [itemId])
  if (!c) return null
  const { subject, body } = messageFor(c, 'request', today, options.baseUrl)
  const row = await db
    .insertInto('scrutiny_notifications')
    .values({ item_id: c.id, kind: 'request', scheduled_for: today, to_address: c.addressee_email!, subject, body })
    .onConflict((oc) => oc.columns(['item_id', 'kind', 'scheduled_for']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

export const MAX_ATTEMPTS = 5

export interface DeliveryResult {
  sent: number
  failed: number
  retrying: number
  cancelled: number
}

/**
 * Delivers pending notifications scheduled up to `today`, each in its own transaction: the
 * notification is marked sent and an evidence row written together, so the log says exactly
 * when each reminder went. A notification whose item was answered meanwhile is cancelled, not
 * sent. Failures are retried on the next run, up to MAX_ATTEMPTS.
 */
export async function deliverPending(db: Db, sender: NotificationSender, today: string, options: { ids?: string[]; limit?: number } = {}): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, failed: 0, retrying: 0, cancelled: 0 }
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
  for (const n of await q.execute()) {
    const answered = n.item_kind === 'request' ? n.answered_on != null : n.has_response
    const settled = ['implemented', 'not_accepted', 'answered', 'closed'].includes(n.status)
    if (n.kind !== 'request' && (answered || settled)) {
      await db.updateTable('scrutiny_notifications').set({ status: 'cancelled', last_error: 'answered or settled before it was sent' }).where('id', '=', n.id).execute()
      result.cancelled++
      continue
    }
    try {
      await sender.send({ to: n.to_address, subject: n.subject, text: n.body })
    } catch (err) {
      const attempts = n.attempts + 1
      const failed = attempts >= MAX_ATTEMPTS
      await db
        .updateTable('scrutiny_notifications')
        .set({ attempts, last_error: String((err as Error)?.message ?? err).slice(0, 500), status: failed ? 'failed' : 'pending' })
        .where('id', '=', n.id)
        .execute()
      if (failed) result.failed++
      else result.retrying++
      continue
    }
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('scrutiny_notifications')
        .set({ status: 'sent', attempts: n.attempts + 1, sent_at: new Date(), transport: sender.transport, last_error: null })
        .where('id', '=', n.id)
        .execute()
      const what = n.kind === 'request' ? 'The request' : n.kind === 'reminder_before' ? 'A reminder before the due date' : 'An overdue reminder'
      // Only a message that left Lantern is "sent by e-mail"; a development log sends nothing.
      await scrutinyStore(trx).insertEvidence(
          sender.delivers
            ? {
                item_id: n.item_id,
                event: n.kind === 'request' ? 'sent' : 'reminder_sent',
                occurred_on: today,
                channel: 'email',
                counterpart: n.to_address,
                detail: `${what} was e-mailed by Lantern: “${n.subject}”`,
                notification_id: n.id,
                recorded_by: null,
                recorded_by_name: 'Lantern',
              }
            : {
                item_id: n.item_id,
                event: 'not_sent',
                occurred_on: today,
                channel: null,
                counterpart: n.to_address,
                detail: `${what} was not sent: no e-mail server is configured, so it was written to the development log only (“${n.subject}”)`,
                notification_id: n.id,
                recorded_by: null,
                recorded_by_name: 'Lantern',
              },
      )
      if (n.kind === 'request' && sender.delivers) {
        await trx.updateTable('scrutiny_items').set({ sent_on: sql`coalesce(sent_on, ${today}::date)` }).where('id', '=', n.item_id).execute()
      }
    })
    result.sent++
  }
  return result
}

export async function outbox(db: Db, limit = 200) {
  return db
    .selectFrom('scrutiny_notifications as n')
    .innerJoin('scrutiny_items as i', 'i.id', 'n.item_id')
    .innerJoin('scrutiny_bodies as b', 'b.id', 'i.body_id')
    .select(['n.id', 'n.kind', 'n.scheduled_for', 'n.to_address', 'n.subject', 'n.status', 'n.attempts', 'n.last_error', 'n.transport', 'n.sent_at', 'n.created_at'])
    .select(['i.id as item_id', 'i.kind as item_kind', 'i.number', 'i.municipal_year', 'b.code as body_code', 'b.name as body_name'])
    .orderBy(sql`case n.status when 'pending' then 0 when 'failed' then 1 else 2 end`)
    .orderBy('n.scheduled_for', 'desc')
    .limit(limit)
    .execute()
}
