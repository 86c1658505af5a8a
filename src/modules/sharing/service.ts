import type { ModuleDeps, Worklist } from '../types.ts'
import { worklist, WORKLIST_LENGTH } from '../worklist.ts'
import { elapsedText } from '../../kernel/elapsed.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { NotFoundError, ConflictError } from '../../kernel/errors.ts'
import { fail, type Result } from '../../kernel/form-errors.ts'
import { fromLondon } from '../../kernel/london.ts'
import { displayName, peopleService, personRef, recordPersonEvent } from '../people/index.ts'
import { sharingStore } from './store.ts'
import { legalBasisText } from './legal-bases.ts'
import type { RegisterFilter, RequestInput, ShareInput } from './schemas.ts'

/** How far back the owning agency's managers are shown justifications recorded for its records. */
export const BREAK_GLASS_NOTICE_DAYS = 30

/** The day after `date` ('YYYY-MM-DD'). */
function dayAfter(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}

/** A share that ends on its review date gives access until the end of that day in England. */
export function shareExpiry(reviewOn: string, endsOnReview: boolean): Date | null {
  return endsOnReview ? fromLondon(dayAfter(reviewOn), '00:00') : null
}

/** The latest review date a share may name: a year on, so that no share runs unreviewed for longer. */
export function latestReviewDate(today: string): string {
  const [y, m, d] = today.split('-').map(Number)
  return new Date(Date.UTC(y + 1, m - 1, d)).toISOString().slice(0, 10)
}

/**
 * Lawful sharing of a person's record: only the owning agency shares (decide()), each share names
 * its recipient, purpose, legal basis and review date, and can be revoked; other agencies ask for
 * access and the owner answers; the information governance officer keeps the register; every
 * justification (break glass) is told to the owner and reviewed. Everything is audited.
 */
export function sharingService(deps: ModuleDeps) {
  const { db, access, audit } = deps
  const store = sharingStore(db)
  const people = peopleService(deps)

  /** The reviewers of access outside need-to-know: information governance, or an administrator. */
  async function authoriseReviewer(ctx: RequestContext) {
    if (!access.can(ctx, 'sharing:register')) await access.authorise(ctx, 'admin:audit')
  }

  return {
    /**
     * Home's list for staff who may share their agency's records: requests for access waiting
     * for an answer, the longest waiting first. The record is named: it is their agency's own.
     */
    // Requests are stamped on the database's real clock (as inbox() counts them), so they age by the real time.
    async worklists(ctx: RequestContext, now = new Date()): Promise<Worklist[]> {
      if (!ctx.user || !access.can(ctx, 'person:share')) return []
      const pending = await store.pendingFor(ctx.user.agencyId)
      return [
        worklist({
          key: 'access-requests',
          title: 'Requests for access awaiting your agency’s decision',
          hint: 'Staff of other agencies asking to see a record your agency holds, the longest waiting first.',
          rows: pending.length > WORKLIST_LENGTH ? pending.slice(0, WORKLIST_LENGTH + 1) : pending,
          more: { text: 'See every request', href: '/sharing' },
          item: (q) => ({
            href: `/sharing/requests/${q.id}`,
            name: q.given_name ? displayName({ given_name: q.given_name, family_name: q.family_name!, preferred_name: q.preferred_name }) : 'A record',
            what: `Asked by ${q.requester_name}, ${q.requester_agency_name}`,
            age: `waiting ${elapsedText(q.requested_at, now)}`,
            due: null,
            overdue: false,
          }),
        }),
      ]
    },

    /** The record's sharing page: every share, and for the owning agency the means to share, revoke and answer requests. */
    async recordPage(ctx: RequestContext, personId: string) {
      const person = await people.header(ctx, personId)
      const ref = personRef(person)
      const canShare = (await access.check(ctx, 'person:share', ref)).allowed
      const [shares, requests, breakGlass] = await Promise.all([
        store.recordShares('person', personId),
        canShare ? store.requests().where('q.record_type', '=', 'person').where('q.record_id', '=', personId).where('q.status', '=', 'pending').execute() : [],
        canShare ? store.breakGlassOnRecord('person', personId) : [],
      ])
      await audit.record(ctx, { action: 'view', recordType: 'person', recordId: personId, details: { page: 'sharing' } })
      return { person, canShare, shares, requests, breakGlass }
    },

    /** Who the owner may share with: agencies that hold personal data and their staff, never oversight bodies. */
    async recipients(ctx: RequestContext, personId: string) {
      const person = await people.header(ctx, personId, 'person:share')
      const [agencies, users] = await Promise.all([store.recipientAgencies(person.owner_agency_id), store.recipientUsers(person.owner_agency_id)])
      return {
        person,
        agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
        users: users.map((u) => ({ value: u.id, text: `${u.name} (${u.agency_name})` })),
      }
    },

    async share(ctx: RequestContext, personId: string, input: ShareInput): Promise<Result<string>> {
      const { agencies, users } = await this.recipients(ctx, personId)
      const to = input.recipient === 'agency' ? { agencyId: input.agencyId, userId: null } : { agencyId: null, userId: input.userId }
      const recipient = to.agencyId ? agencies.find((a) => a.value === to.agencyId) : users.find((u) => u.value === to.userId)
      if (!recipient) {
        return to.agencyId ? fail('agencyId', 'Select an agency that holds personal data') : fail('userId', 'Select a person at another agency that holds personal data')
      }
      if (await store.hasLiveShare('person', personId, to)) return fail(to.agencyId ? 'agencyId' : 'userId', `${recipient.text} can already see this record`)
      const expiresAt = shareExpiry(input.reviewOn, input.endsOnReview)
      const id = await db.transaction().execute(async (trx) => {
        const row = await store.insertShare(trx, {
          record_type: 'person',
          record_id: personId,
          agency_id: to.agencyId,
          user_id: to.userId,
          granted_by: ctx.user!.id,
          purpose: input.purpose,
          legal_basis: input.legalBasis,
          review_on: input.reviewOn,
          expires_at: expiresAt,
        })
        await recordPersonEvent(trx, { personId, kind: 'shared', summary: `Shared with ${recipient.text} (${legalBasisText(input.legalBasis)})`, actorId: ctx.user!.id })
        await audit.record(ctx, { action: 'share', recordType: 'person', recordId: personId, details: { shareId: row.id, ...to, legalBasis: input.legalBasis, reviewOn: input.reviewOn, expiresAt } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    /** A share of this record, for the revoke page; only the owning agency may see it there. */
    async shareOf(ctx: RequestContext, personId: string, shareId: string) {
      const person = await people.header(ctx, personId, 'person:share')
      const share = await store.share(shareId)
      if (!share || share.record_type !== 'person' || share.record_id !== personId) throw new NotFoundError()
      return { person, share }
    },

    async revoke(ctx: RequestContext, personId: string, shareId: string, reason: string) {
      const { share } = await this.shareOf(ctx, personId, shareId)
      const name = share.agency_name ?? share.user_name ?? 'the recipient'
      await db.transaction().execute(async (trx) => {
        if (!(await store.revokeShare(trx, shareId, ctx.user!.id, reason))) throw new ConflictError(`The share with ${name} has already been revoked.`)
        await recordPersonEvent(trx, { personId, kind: 'share-revoked', summary: `Share with ${name} revoked`, actorId: ctx.user!.id })
        await audit.record(ctx, { action: 'share-revoked', recordType: 'person', recordId: personId, reason, details: { shareId } }, trx)
      })
      return name
    },

    /**
     * What the request-access page may say: which agency holds the record, and whether this user
     * has already asked. Nothing of the record itself.
     */
    async requestPage(ctx: RequestContext, personId: string) {
      await access.authorise(ctx, 'person:view')
      const target = await access.breakGlassTarget('person', personId)
      // Reading it on a justification is no reason not to ask for a proper share.
      const decision = await access.check(ctx, 'person:view', target)
      if (decision.allowed && decision.basis !== 'break-glass') return { alreadyVisible: true as const }
      const [owner, pending] = await Promise.all([
        store.agencies().then((list) => list.find((a) => a.id === target.ownerAgencyId)),
        store.pendingRequestBy('person', personId, ctx.user!.id),
      ])
      return { alreadyVisible: false as const, ownerAgencyName: owner?.name ?? 'The agency that holds it', pending }
    },

    async requestAccess(ctx: RequestContext, personId: string, input: RequestInput): Promise<Result<string>> {
      const page = await this.requestPage(ctx, personId)
      if (page.alreadyVisible) return fail('purpose', 'You can already see this record')
      if (page.pending) return fail('purpose', 'You have already asked for access to this record; the agency that holds it has not answered yet')
      if (ctx.user!.agencyKind === 'oversight') return fail('purpose', 'Your agency does not hold personal data, so it cannot be given access to records')
      const target = await access.breakGlassTarget('person', personId)
      const id = await db.transaction().execute(async (trx) => {
        const row = await store.insertRequest(trx, {
          record_type: 'person',
          record_id: personId,
          owner_agency_id: target.ownerAgencyId,
          requested_by: ctx.user!.id,
          requester_agency_id: ctx.user!.agencyId,
          purpose: input.purpose,
          legal_basis: input.legalBasis,
        })
        await audit.record(ctx, { action: 'access-requested', recordType: 'person', recordId: personId, details: { requestId: row.id, legalBasis: input.legalBasis } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    /** The sharing inbox: requests waiting for the user's agency, their own requests, and justifications recorded on the agency's records. */
    async inbox(ctx: RequestContext) {
      await access.authorise(ctx, 'person:view')
      const user = ctx.user!
      // Justifications and answers are stamped on the database's real clock (a security timer), so they are counted back from the real time.
      const since = new Date(Date.now() - BREAK_GLASS_NOTICE_DAYS * 86_400_000)
      const [pending, mine, breakGlass] = await Promise.all([
        access.can(ctx, 'person:share') ? store.pendingFor(user.agencyId) : [],
        store.requestsBy(user.id),
        access.can(ctx, 'team:view') ? store.breakGlassOnAgencyRecords(user.agencyId, since) : [],
      ])
      return { pending, mine, breakGlass }
    },

    /** A request waiting for the owning agency, for its staff who may share the record. */
    async request(ctx: RequestContext, requestId: string) {
      const request = await store.request(requestId)
      if (!request) throw new NotFoundError()
      const person = await people.header(ctx, request.record_id, 'person:share')
      return { request, person }
    },

    async respond(
      ctx: RequestContext,
      requestId: string,
      answer: { decision: 'accept'; reviewOn: string; endsOnReview: boolean } | { decision: 'decline'; reason: string },
    ): Promise<Result<{ requesterName: string }>> {
      const { request, person } = await this.request(ctx, requestId)
      if (request.status !== 'pending') throw new ConflictError('This request has already been answered.')
      const alreadyShared = answer.decision === 'accept' && (await store.hasLiveShare('person', person.id, { agencyId: null, userId: request.requested_by }))
      await db.transaction().execute(async (trx) => {
        let shareId: string | null = null
        if (answer.decision === 'accept') {
          if (!alreadyShared) {
            const share = await store.insertShare(trx, {
              record_type: 'person',
              record_id: person.id,
              agency_id: null,
              user_id: request.requested_by,
              granted_by: ctx.user!.id,
              purpose: request.purpose,
              legal_basis: request.legal_basis,
              review_on: answer.reviewOn,
              expires_at: shareExpiry(answer.reviewOn, answer.endsOnReview),
            })
            shareId = share.id
            await recordPersonEvent(trx, { personId: person.id, kind: 'shared', summary: `Shared with ${request.requester_name} (${request.requester_agency_name}) on their request`, actorId: ctx.user!.id })
          }
        }
        const answered = await store.answerRequest(trx, requestId, {
          status: answer.decision === 'accept' ? 'accepted' : 'declined',
          decided_by: ctx.user!.id,
          decline_reason: answer.decision === 'decline' ? answer.reason : null,
          share_id: shareId,
        })
        if (!answered) throw new ConflictError('This request has already been answered.')
        await audit.record(
          ctx,
          {
            action: answer.decision === 'accept' ? 'access-request-accepted' : 'access-request-declined',
            recordType: 'person',
            recordId: person.id,
            reason: answer.decision === 'decline' ? answer.reason : undefined,
            details: { requestId, shareId },
          },
          trx,
        )
      })
      return { ok: true, value: { requesterName: request.requester_name } }
    },

    async register(ctx: RequestContext, filter: RegisterFilter, pageSize: number) {
      await access.authorise(ctx, 'sharing:register')
      const [result, agencies] = await Promise.all([store.register(filter, pageSize), store.agencies()])
      await audit.record(ctx, { action: 'search', recordType: 'record_share', details: { filter } })
      return { ...result, agencies }
    },

    async registerExport(ctx: RequestContext, filter: Omit<RegisterFilter, 'page'>) {
      await access.authorise(ctx, 'sharing:register')
      await audit.record(ctx, { action: 'export', recordType: 'record_share', details: { filter } })
      return store.iterateRegister(filter)
    },

    async breakGlassUses(ctx: RequestContext, unreviewedOnly: boolean) {
      await authoriseReviewer(ctx)
      return store.breakGlassUses({ unreviewedOnly })
    },

    async breakGlassUse(ctx: RequestContext, id: string) {
      await authoriseReviewer(ctx)
      const use = await store.breakGlassUse(id)
      if (!use) throw new NotFoundError()
      return use
    },

    async reviewBreakGlass(ctx: RequestContext, id: string, review: { outcome: 'appropriate' | 'not_appropriate'; note: string | null }) {
      const use = await this.breakGlassUse(ctx, id)
      await db.transaction().execute(async (trx) => {
        if (!(await store.reviewBreakGlass(trx, id, { reviewed_by: ctx.user!.id, review_outcome: review.outcome, review_note: review.note }))) {
          throw new ConflictError('This access has already been reviewed.')
        }
        await audit.record(ctx, { action: 'break-glass-reviewed', recordType: use.record_type, recordId: use.record_id, reason: review.note ?? undefined, details: { breakGlassId: id, outcome: review.outcome } }, trx)
      })
      return use
    },

    /** What the home page tells this user about sharing: requests waiting for their agency and records opened outside need-to-know. */
    async notices(ctx: RequestContext): Promise<{ text: string; href: string }[]> {
      if (!ctx.user || !access.can(ctx, 'person:view')) return []
      const { breakGlass, mine } = await this.inbox(ctx)
      const unseen = mine.filter((r) => r.status !== 'pending' && r.decided_at && Date.now() - new Date(r.decided_at).getTime() < 14 * 86_400_000)
      const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
      return [
        ...(breakGlass.length ? [{ text: `${plural(breakGlass.length, 'record', 'records')} of your agency opened outside need-to-know in the last ${BREAK_GLASS_NOTICE_DAYS} days`, href: '/sharing#break-glass' }] : []),
        ...(unseen.length ? [{ text: `${plural(unseen.length, 'request', 'requests')} for access you made answered recently`, href: '/sharing#my-requests' }] : []),
      ]
    },
  }
}

export type SharingService = ReturnType<typeof sharingService>
