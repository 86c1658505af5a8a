import type { Db } from '../../db/index.ts'
import { formatLongDate, formatReference, planReminders, reminderMessage, type PlannedReminder } from './domain.ts'
import { scrutinyStore } from './store.ts'
import { outboxStore, type ReminderCandidate } from './outbox-store.ts'

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

function messageFor(c: ReminderCandidate, kind: 'request' | PlannedReminder['kind'], today: string, baseUrl?: string) {
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
  const outbox = outboxStore(db)
  const rows = (await outbox.candidates()).flatMap((c) =>
    planReminders(c, today).map((plan) => {
      const { subject, body } = messageFor(c, plan.kind, today, options.baseUrl)
      return { item_id: c.id, kind: plan.kind, scheduled_for: plan.scheduledFor, to_address: c.addressee_email!, subject, body }
    }),
  )
  let queued = 0
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await outbox.queue(rows.slice(i, i + 500))
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
  const outbox = outboxStore(db)
  const [c] = await outbox.candidates([itemId])
  if (!c) return null
  const { subject, body } = messageFor(c, 'request', today, options.baseUrl)
  const [row] = await outbox.queue([{ item_id: c.id, kind: 'request', scheduled_for: today, to_address: c.addressee_email!, subject, body }])
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
  const outbox = outboxStore(db)
  for (const n of await outbox.pending(today, options)) {
    const answered = n.item_kind === 'request' ? n.answered_on != null : n.has_response
    const settled = ['implemented', 'not_accepted', 'answered', 'closed'].includes(n.status)
    if (n.kind !== 'request' && (answered || settled)) {
      await outbox.cancel(n.id, 'answered or settled before it was sent')
      result.cancelled++
      continue
    }
    try {
      await sender.send({ to: n.to_address, subject: n.subject, text: n.body })
    } catch (err) {
      const attempts = n.attempts + 1
      const failed = attempts >= MAX_ATTEMPTS
      await outbox.failedAttempt(n.id, { attempts, last_error: String((err as Error)?.message ?? err).slice(0, 500), status: failed ? 'failed' : 'pending' })
      if (failed) result.failed++
      else result.retrying++
      continue
    }
    await db.transaction().execute(async (trx) => {
      await outboxStore(trx).markSent(n.id, { attempts: n.attempts + 1, transport: sender.transport })
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
        await outboxStore(trx).markItemSent(n.item_id, today)
      }
    })
    result.sent++
  }
  return result
}

export async function outbox(db: Db, limit = 200) {
  return outboxStore(db).list(limit)
}
