import { randomBytes } from 'node:crypto'
import type { Db } from '../../db/index.ts'
import { runAsOwner } from '../../db/scope.ts'
import { clockFor } from '../../kernel/clock.ts'
import { addDays, formatLongDate } from './domain.ts'
import { followStore } from './follow-store.ts'
import { MAX_ATTEMPTS, type NotificationSender } from './notifications.ts'
import { publicScrutiny } from './public.ts'
import type { FollowerSeen } from './tables.ts'

/**
 * Following a public item by e-mail, for anyone, with no account. Double opt-in: the address gets
 * a message with a link that must be opened before anything else is sent to it. Every message has
 * an unsubscribe link; unsubscribing deletes the address. The token in the links is the follower's
 * only authority, so everything here runs as the owner (row-level security gives the application
 * role no row of these tables). What a follower is told is only what the item's public page shows.
 */
export const UNCONFIRMED_DAYS = 7

const asOwner = <T>(work: () => Promise<T>) => runAsOwner('a follower’s address is reached only through their own token or the reminders job', work)
const newToken = () => randomBytes(32).toString('base64url')

function links(baseUrl: string, token: string) {
  const base = baseUrl.replace(/\/$/, '')
  return { confirm: `${base}/scrutiny/follow/${token}/confirm`, unsubscribe: `${base}/scrutiny/follow/${token}/unsubscribe` }
}

async function deliver(db: Db, sender: NotificationSender, ids?: string[]) {
  const store = followStore(db)
  let sent = 0
  for (const m of await store.pending(ids)) {
    try {
      await sender.send({ to: m.email, subject: m.subject, text: m.body })
      await store.delivered(m.id, sender.transport)
      sent++
    } catch (err) {
      await store.failedOnce(m.id, m.attempts + 1, String((err as Error)?.message ?? err).slice(0, 500), m.attempts + 1 >= MAX_ATTEMPTS)
    }
  }
  return sent
}

export function followService(db: Db, sender: NotificationSender, options: { baseUrl: string; today: () => string }) {
  const store = followStore(db)
  return {
    /**
     * Asks to follow: a new address gets the confirmation message; an address already following
     * (or waiting to confirm) gets nothing new. The answer to the person is the same either way,
     * so the page never tells anyone whether an address follows an item.
     */
    async request(item: { id: string; reference: string; title: string }, email: string) {
      await asOwner(async () => {
        if (await store.byItemAndEmail(item.id, email)) return
        const token = newToken()
        const day = options.today()
        const follower = await store.insert({ item_id: item.id, email, token, requested_on: day })
        const link = links(options.baseUrl, token)
        const message = await store.queue({
          follower_id: follower.id,
          kind: 'confirm',
          subject: `Confirm you want to follow ${item.reference}`,
          body: [
            `Someone asked to be e-mailed when ${item.reference}, “${item.title}”, changes.`,
            '',
            `If it was you, confirm by opening this link: ${link.confirm}`,
            '',
            `If it was not you, ignore this message: nothing more will be sent, and this address is deleted after ${UNCONFIRMED_DAYS} days.`,
          ].join('\n'),
          created_on: day,
        })
        await deliver(db, sender, [message.id])
      })
    },

    /** Opens the confirmation link: the follower is told of what happens from now on. */
    confirm: (token: string) =>
      asOwner(async () => {
        const f = await store.byToken(token)
        if (!f) return null
        const page = await publicScrutiny(db, clockFor(options.today())).itemById(f.item_id)
        if (page && !f.confirmed_on) await store.confirm(f.id, options.today(), changesSince(page, {}).seen)
        return { itemId: f.item_id, unsubscribe: links(options.baseUrl, token).unsubscribe }
      }),

    /** Unsubscribes: the address is deleted, not marked. */
    unsubscribe: (token: string) =>
      asOwner(async () => {
        const f = await store.byToken(token)
        if (!f) return false
        await store.remove(f.id)
        return true
      }),
  }
}

/**
 * The job (run with the reminders): for each confirmed follower, what changed on their item's
 * public page since the last day they were told about, in one message; then the outbox. Forgets
 * requests never confirmed.
 */
export async function runFollowerUpdates(db: Db, sender: NotificationSender, day: string, baseUrl: string) {
  const store = followStore(db)
  const pub = publicScrutiny(db, clockFor(day))
  await store.removeUnconfirmedBefore(addDays(day, -UNCONFIRMED_DAYS))
  let queued = 0
  for (const f of await store.confirmed()) {
    const page = await pub.itemById(f.item_id)
    if (!page) continue
    const { changes, seen } = changesSince(page, f.seen)
    if (changes.length) {
      const link = links(baseUrl, f.token)
      await store.queue({
        follower_id: f.id,
        kind: 'update',
        subject: `${page.item.reference} has changed`,
        body: [
          `${page.item.reference}: ${page.item.title}`,
          '',
          ...changes.map((c) => `- ${c}`),
          '',
          `Read it: ${baseUrl.replace(/\/$/, '')}/scrutiny/${page.body.slug}/items/${page.item.id}`,
          '',
          `Stop these e-mails: ${link.unsubscribe}`,
        ].join('\n'),
        created_on: day,
      })
      queued++
      await store.seen(f.id, seen)
    }
  }
  return { queued, sent: await deliver(db, sender) }
}

type PublicItem = NonNullable<Awaited<ReturnType<ReturnType<typeof publicScrutiny>['itemById']>>>

/**
 * What a follower is told: the public page's entries they have not been told about (by id, so the
 * clock of whoever wrote them does not matter), and an overdue spell not yet reported.
 */
export function changesSince(page: PublicItem, seen: FollowerSeen): { changes: string[]; seen: FollowerSeen } {
  const known = (list: string[] | undefined) => new Set(list ?? [])
  const [h, r, e] = [known(seen.history), known(seen.responses), known(seen.evidence)]
  const changes: string[] = []
  for (const x of page.history) if (!h.has(String(x.id))) changes.push(`Status: ${x.statusText}${x.rag ? `, rated ${x.rag}` : ''}${x.reason ? ` (${x.reason})` : ''}`)
  for (const x of page.responses) if (!r.has(String(x.id))) changes.push(`Response from ${x.responder}, ${formatLongDate(x.responded_on)}`)
  for (const x of page.evidence) if (!e.has(String(x.id)) && ['due_set', 'became_overdue'].includes(x.event)) changes.push(x.what)
  const overdueSince = page.item.overdue ? page.item.due : null
  if (overdueSince && overdueSince !== seen.overdueSince) changes.push(`Became overdue: the response was due on ${formatLongDate(overdueSince)}`)
  return {
    changes,
    seen: { history: page.history.map((x) => String(x.id)), responses: page.responses.map((x) => String(x.id)), evidence: page.evidence.map((x) => String(x.id)), overdueSince },
  }
}
