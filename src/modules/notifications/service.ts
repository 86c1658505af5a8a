import type { RequestContext } from '../../kernel/context.ts'
import type { DbViewer } from '../../db/scope.ts'
import { senderFromConfig, type NotificationSender } from '../../web/mail.ts'
import { displayName, notesAdded } from '../people/index.ts'
import { formatDate } from '../../web/nunjucks.ts'
import { missingEvents, rhiStatus, SERIOUS_REASON_TEXT } from '../missing/index.ts'
import { linksMadeTouching, networkStore } from '../network/index.ts'
import { actionsAssigned } from '../plans/index.ts'
import { redsAwaitingConfirmation } from '../risk/index.ts'
import type { ModuleDeps } from '../types.ts'
import { notificationsStore, type NewNotification, type WatchedTable } from './store.ts'
import type { EmailChoice } from './tables.ts'

/** Rescanned on every run, so a record whose transaction committed late is still seen once. */
const OVERLAP_MS = 10 * 60_000
/** On the first scan, how far back to look. */
const FIRST_LOOK_MS = 24 * 3600_000
/** An interview is "falling due" from this many hours before its 72-hour deadline. */
const RHI_WARNING_HOURS = 24

interface Candidate {
  recipient: string | null
  actor?: string | null
  table: WatchedTable
  recordId: string
  notification: Omit<NewNotification, 'user_id' | 'source_table' | 'source_id'>
}

const name = (p: { given_name: string; family_name: string; preferred_name: string | null }) => displayName(p)

/**
 * Alerts for the people who must act. A scan (the job `notifications.scan`, every minute) reads
 * what happened since it last ran and tells each person it concerns, but only after reading the
 * record as that person under the database's need-to-know rules: a police-only note never alerts
 * a council worker, a link under handling code C never alerts an agency outside its conditions,
 * and a hidden record sends nothing at all, not even a hint that something happened. Nobody is
 * told about their own action.
 */
export function notificationsService(deps: ModuleDeps, options: { sender?: NotificationSender } = {}) {
  const { db, audit, clock, config, logger } = deps
  const store = notificationsStore(db)
  const missing = missingEvents(db)
  const sender = options.sender ?? senderFromConfig(config, logger)

  /** New links touching a watched entity, one for each watcher and watched end. */
  async function linksToWatched(from: Date, to: Date) {
    const links = await linksMadeTouching(db, await store.watchedEntities(), from, to)
    const watchers = new Map<string, string[]>()
    for (const w of await store.watchesOn([...new Set(links.flatMap((l) => [l.source_id, l.target_id]))])) watchers.set(w.entity_id, [...(watchers.get(w.entity_id) ?? []), w.user_id])
    return links.flatMap((l) =>
      [
        { entity_id: l.source_id, label: l.source_label },
        { entity_id: l.target_id, label: l.target_label },
      ].flatMap((end) => (watchers.get(end.entity_id) ?? []).map((watcher) => ({ id: l.id, actor: l.actor, watcher, ...end }))),
    )
  }

  async function candidates(from: Date, to: Date): Promise<Candidate[]> {
    const list: Candidate[] = []
    for (const e of await missing.reported(from, to)) {
      list.push({
        recipient: e.holder,
        actor: e.actor,
        table: 'missing_episodes',
        recordId: e.id,
        notification: { kind: 'missing-reported', person_id: e.person_id, entity_id: null, text: `${name(e)} has been reported missing`, href: `/people/${e.person_id}/missing/${e.id}`, event_key: `missing-reported:${e.id}` },
      })
    }
    for (const e of await missing.found(from, to)) {
      list.push({
        recipient: e.holder,
        actor: e.actor,
        table: 'missing_episodes',
        recordId: e.id,
        notification: { kind: 'missing-found', person_id: e.person_id, entity_id: null, text: `${name(e)} has been found`, href: `/people/${e.person_id}/missing/${e.id}`, event_key: `missing-found:${e.id}` },
      })
    }
    const now = clock.now()
    for (const e of await missing.awaitingInterview(new Date(now.getTime() - 30 * 24 * 3600_000))) {
      const rhi = rhiStatus({ found_at: e.found_at, rhi_held_at: e.rhi_held_at, rhi_declined: e.rhi_declined }, now)
      if (!(rhi.status === 'overdue' || (rhi.status === 'due' && (rhi.hoursLeft ?? 0) < RHI_WARNING_HOURS))) continue
      list.push({
        recipient: e.holder,
        table: 'missing_episodes',
        recordId: e.id,
        notification: {
          kind: 'rhi-due',
          person_id: e.person_id,
          entity_id: null,
          text: rhi.status === 'overdue' ? `The return home interview for ${name(e)} is overdue` : `The return home interview for ${name(e)} is due within ${RHI_WARNING_HOURS} hours`,
          href: `/people/${e.person_id}/missing/${e.id}`,
          event_key: `rhi-due:${e.id}`,
        },
      })
    }
    for (const e of await missing.reviewsPrompted(from, to)) {
      list.push({
        recipient: e.holder,
        actor: e.actor,
        table: 'missing_episodes',
        recordId: e.id,
        notification: {
          kind: 'review-prompted',
          person_id: e.person_id,
          entity_id: null,
          text: `A review of ${name(e)}’s risk is due now: ${e.serious_reasons.map((r) => SERIOUS_REASON_TEXT[r]).join(', ')}`.slice(0, 300),
          href: `/people/${e.person_id}/risk`,
          event_key: `review-prompted:${e.id}:${e.review_prompted_at!.toISOString()}`,
        },
      })
    }
    for (const a of await redsAwaitingConfirmation(db)) {
      for (const m of await store.confirmers(a.owner_agency_id, a.owner_team_id)) {
        list.push({
          recipient: m.id,
          actor: a.actor,
          table: 'risk_assessments',
          recordId: a.id,
          notification: { kind: 'red-awaiting', person_id: a.person_id, entity_id: null, text: `A Red rating for ${name(a)} is awaiting your confirmation`, href: `/people/${a.person_id}/risk`, event_key: `red-awaiting:${a.id}` },
        })
      }
    }
    for (const n of await notesAdded(db, from, to)) {
      const intelligence = n.kind === 'intelligence'
      list.push({
        recipient: n.holder,
        actor: n.actor,
        table: 'person_notes',
        recordId: n.id,
        notification: {
          kind: intelligence ? 'intelligence-added' : 'note-added',
          person_id: n.person_id,
          entity_id: null,
          text: intelligence ? `New intelligence recorded on ${name(n)}` : `New note recorded on ${name(n)}`,
          href: `/people/${n.person_id}/notes`,
          event_key: `note:${n.id}`,
        },
      })
    }
    for (const a of await actionsAssigned(db, from, to)) {
      list.push({
        recipient: a.holder,
        actor: a.actor,
        table: 'plan_actions',
        recordId: a.id,
        notification: { kind: 'plan-action-assigned', person_id: a.person_id, entity_id: null, text: `A plan action for ${name(a)} has been assigned to you, due ${formatDate(a.due_on)}`, href: `/plans/meetings/${a.meeting_id}#action-${a.id}`, event_key: `plan-action:${a.id}` },
      })
    }
    for (const w of await linksToWatched(from, to)) {
      list.push({
        recipient: w.watcher,
        actor: w.actor,
        table: 'network_links',
        recordId: w.id,
        notification: { kind: 'watch-hit', person_id: null, entity_id: w.entity_id, text: `New link to ${w.label}, which you watch`, href: `/network/entities/${w.entity_id}`, event_key: `watch:${w.id}:${w.entity_id}` },
      })
    }
    return list
  }

  return {
    /** One run of the scan: returns how many notifications it made. */
    async scan(): Promise<number> {
      const to = await store.now()
      const last = await store.cursor('scan')
      const from = new Date((last ?? new Date(to.getTime() - FIRST_LOOK_MS)).getTime() - (last ? OVERLAP_MS : 0))
      const all = (await candidates(from, to)).filter((c) => c.recipient && c.recipient !== c.actor)
      // Reds and interviews stay candidates every minute until dealt with: ask only about new ones.
      const done = await store.alreadyNotified(all.map((c) => c.notification.event_key))
      const list = all.filter((c) => !done.has(`${c.recipient} ${c.notification.event_key}`))
      const viewers = await store.viewers(list.map((c) => c.recipient!))
      let made = 0
      for (const c of list) {
        const viewer: DbViewer | undefined = viewers.get(c.recipient!)
        if (!viewer) continue
        if (!(await store.visibleTo(viewer, c.table, c.recordId))) continue
        if (await store.add({ ...c.notification, user_id: viewer.id, source_table: c.table, source_id: c.recordId })) made++
      }
      await store.setCursor('scan', to)
      return made
    },

    /**
     * E-mails what is waiting: each user who chose `choice` gets one message saying how many
     * notifications wait and where, never what they say (names stay inside Lantern). With no mail
     * server configured nothing is sent and nothing is marked sent.
     */
    async email(choice: Exclude<EmailChoice, 'off'>): Promise<{ sent: number; skipped: 'no mail server' | null }> {
      if (!sender.delivers) {
        logger.info({ choice }, 'notification e-mails not sent: no mail server is configured (SMTP_URL)')
        return { sent: 0, skipped: 'no mail server' }
      }
      const now = await store.now()
      const since = new Date(now.getTime() - (choice === 'daily' ? 2 : 1) * 24 * 3600_000)
      const waiting = await store.awaitingEmail(choice, since)
      const viewers = await store.viewers(waiting.map((u) => u.user_id))
      let sent = 0
      for (const waiter of waiting) {
        const viewer = viewers.get(waiter.user_id)
        // Counted as the recipient's page would count them: the owner also sees notifications whose
        // record has since been withdrawn from them, and a count of those would tell that something happened.
        const ids = viewer ? await store.readableBy(viewer, waiter.ids) : []
        if (!ids.length) continue
        const u = { email: waiter.email, ids, count: ids.length }
        const where = config.publicBaseUrl ? `${config.publicBaseUrl.replace(/\/$/, '')}/notifications` : 'Notifications in Lantern'
        await sender.send({
          to: u.email,
          subject: choice === 'daily' ? `Lantern: your daily summary (${u.count} new)` : `Lantern: ${u.count === 1 ? 'a new notification' : `${u.count} new notifications`}`,
          text: `You have ${u.count} new notification${u.count === 1 ? '' : 's'} in Lantern. For their details, sign in and open ${where}.\n\nThis message does not say what they are about: that stays in Lantern. Change how you are told on your notification settings page.`,
        })
        await store.markEmailed(waiter.user_id, u.ids)
        sent++
      }
      return { sent, skipped: null }
    },

    emailAvailable: sender.delivers,

    async unreadCount(ctx: RequestContext): Promise<number> {
      return store.unreadCount(ctx.user!.id)
    },
    async list(ctx: RequestContext, options: { unreadOnly: boolean; page: number; pageSize: number }) {
      const rows = await store.list(ctx.user!.id, { unreadOnly: options.unreadOnly, limit: options.pageSize + 1, offset: (options.page - 1) * options.pageSize })
      await audit.record(ctx, { action: 'view', recordType: 'notifications', details: { count: Math.min(rows.length, options.pageSize) } })
      return { rows: rows.slice(0, options.pageSize), more: rows.length > options.pageSize }
    },
    /** Marks the notification read and gives the page it is about; null if it is not theirs. */
    async open(ctx: RequestContext, id: string): Promise<string | null> {
      return store.open(ctx.user!.id, id)
    },
    async markRead(ctx: RequestContext, ids: string[] | 'all'): Promise<number> {
      return store.markRead(ctx.user!.id, ids)
    },
    async emailChoice(ctx: RequestContext): Promise<EmailChoice> {
      return store.emailChoice(ctx.user!.id)
    },
    async setEmailChoice(ctx: RequestContext, email: EmailChoice) {
      await store.setEmailChoice(ctx.user!.id, email)
      await audit.record(ctx, { action: 'update', recordType: 'notification_settings', recordId: ctx.user!.id, details: { email } })
    },
    async watching(ctx: RequestContext, entityId: string) {
      return store.watching(ctx.user!.id, entityId)
    },
    /** Watching needs sight of the entity: row-level security refuses a watch on one the user cannot see. */
    async setWatch(ctx: RequestContext, entityId: string, on: boolean): Promise<boolean> {
      if (!(await networkStore(db).entity(entityId))) return false
      if (on) await store.watch(ctx.user!.id, entityId)
      else await store.unwatch(ctx.user!.id, entityId)
      await audit.record(ctx, { action: 'update', recordType: 'network_entity', recordId: entityId, details: { watch: on } })
      return true
    },
  }
}

export type NotificationsService = ReturnType<typeof notificationsService>
