import { runAsOwner } from '../../db/scope.ts'
import type { Db } from '../../db/index.ts'
import type { ModuleDeps, Worklist } from '../types.ts'
import { worklist, WORKLIST_LENGTH } from '../worklist.ts'
import { addDays, daysBetween, elapsedText } from '../../kernel/elapsed.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ConflictError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { formatDate } from '../../web/nunjucks.ts'
import { peopleService, displayName, personRef, voidedRecordError, voidRecord, type VoidInput } from '../people/index.ts'
import { recordPersonEvent } from '../people/index.ts'
import { breachIssues, cawnActive, cawnDefaultExpiry, cawnIssues, nrmIssues, nrmStage } from './rules.ts'
import type { BreachFields, CawnFields, NrmFields } from './schemas.ts'
import { cawnsExpiring, nrmDecisionsAwaited, referralsStore } from './store.ts'

export interface NrmInput extends NrmFields {
  referredOn: string
  rgDecisionOn: string | null
  cgDecisionOn: string | null
}
export interface CawnInput extends CawnFields {
  servedOn: string
  /** Blank: worked out from the child's date of birth (cawnDefaultExpiry). */
  expiresOn: string | null
}

/** Said on saving a notice on an adult who already has one in force: allowed, but worth a look. */
const secondNoticeWarning = (adultName: string, n: number) =>
  `${adultName} already has ${n === 1 ? 'another child abduction warning notice' : `${n} other child abduction warning notices`} in force. Check the notices agree and that each is still needed.`
export interface BreachInput extends BreachFields {
  occurredOn: string
}

/** How soon before a CAWN expires it comes on to Home's worklist. */
export const CAWN_EXPIRY_WARNING_DAYS = 28
/**
 * How long after an NRM referral Home lists it as awaiting a decision: 45 days is the recovery
 * period the Home Office allows before a conclusive grounds decision is normally made.
 */
export const NRM_DECISION_WAIT_DAYS = 45

const nameOf = (given: string, family: string, preferred: string | null) => displayName({ given_name: given, family_name: family, preferred_name: preferred })

/**
 * NRM referrals and CAWNs. Reading needs person:view on the person, recording person:edit; a CAWN
 * names an adult the user may see. Every view and change is audited and goes on the timeline.
 */
export function referralsService(deps: ModuleDeps) {
  const { db, access, audit, clock } = deps
  const people = peopleService(deps)
  const store = referralsStore(db)

  async function nrmOf(personId: string, id: string) {
    const row = await store.findNrm(id)
    if (!row || row.person_id !== personId) throw new NotFoundError()
    return row
  }
  /** A referral that may still be changed: a voided one is kept exactly as it was. */
  async function liveNrmOf(personId: string, id: string) {
    const row = await nrmOf(personId, id)
    if (row.voided_at) throw voidedRecordError('NRM referral')
    return row
  }
  async function cawnOf(personId: string, id: string) {
    const row = await store.findCawn(id)
    if (!row || row.person_id !== personId) throw new NotFoundError()
    return row
  }
  async function adultChoice(ctx: RequestContext, adultId: string) {
    const adults = await store.visibleAdults({ id: ctx.user!.id, agencyId: ctx.user!.agencyId })
    return adults.find((a) => a.id === adultId) ?? null
  }

  /**
   * A notice served on an adult is on the adult's record too, so decide() must allow changing it:
   * refused, as a form error on the adult, while their record is closed.
   */
  async function adultClosedIssue(ctx: RequestContext, adult: { id: string; owner_agency_id: string; given_name: string; family_name: string; preferred_name: string | null }, field = 'adultId') {
    const decision = await access.check(ctx, 'person:edit', personRef(adult))
    return !decision.allowed && (decision.reason === 'closed' || decision.reason === 'retired')
      ? [{ field, message: `${displayName(adult)}’s record is closed, so a notice cannot be served on them or changed until a manager reopens it` }]
      : []
  }

  /**
   * The CAWNs on a person whose page the caller has authorised. A notice names both parties;
   * row-level security would drop one the user may not see, so the notices are read as the owner
   * and each page names the other party only where decide() allows.
   */
  const cawnsNamingBoth = (personId: string, as: 'child' | 'adult') =>
    runAsOwner('a CAWN names both parties; the other is shown only where decide() allows', () => store.cawnsFor(personId, as))

  /**
   * How many other notices are in force on the adult today. Counted across every child (as the
   * owner) because a second notice on one adult is a fact about the adult; no child is named.
   */
  const otherNoticesInForce = async (adultId: string, exceptId: string | null, today = clock.today()) =>
    (await cawnsNamingBoth(adultId, 'adult')).filter((c) => c.id !== exceptId && cawnActive(c, today)).length

  return {
    /**
     * Home's lists: CAWNs expiring within CAWN_EXPIRY_WARNING_DAYS (to renew, or plan for the
     * day protection ends) and NRM decisions awaited past NRM_DECISION_WAIT_DAYS, on the user's cases.
     */
    async worklists(ctx: RequestContext, today = clock.today(), now = clock.now()): Promise<Worklist[]> {
      if (!access.can(ctx, 'register:view')) return []
      const user = ctx.user!
      const wholeTeam = access.can(ctx, 'team:view')
      const [cawns, nrm] = await Promise.all([
        cawnsExpiring(db, user, wholeTeam, today, addDays(today, CAWN_EXPIRY_WARNING_DAYS), WORKLIST_LENGTH),
        nrmDecisionsAwaited(db, user, wholeTeam, addDays(today, -NRM_DECISION_WAIT_DAYS), WORKLIST_LENGTH),
      ])
      const cases = wholeTeam ? 'your team’s' : 'your'
      return [
        worklist({
          key: 'cawns-expiring',
          title: 'Child abduction warning notices expiring',
          hint: `Notices in force that expire within ${CAWN_EXPIRY_WARNING_DAYS} days, where the child or the adult is one of ${cases} cases.`,
          rows: cawns,
          more: { text: 'See every notice expiring', href: '/register?kind=all&cawnExpiring=yes' },
          item: (c) => {
            const days = daysBetween(today, c.expires_on)
            // Only a party the user may see is named (the other's columns are null then).
            const adult = c.adult_visible ? nameOf(c.adult_given_name!, c.adult_family_name!, c.adult_preferred_name) : ''
            return {
              href: c.child_visible ? `/people/${c.person_id}/referrals/cawn/${c.id}` : `/people/${c.adult_id}/referrals`,
              name: c.child_visible ? nameOf(c.given_name!, c.family_name!, c.preferred_name) : adult,
              what: c.child_visible && c.adult_visible ? `Notice on ${adult} expires in ${days} day${days === 1 ? '' : 's'}` : `Notice expires in ${days} day${days === 1 ? '' : 's'}`,
              age: `served ${elapsedText(new Date(`${c.served_on}T00:00:00Z`), now)} ago`,
              due: c.expires_on,
              overdue: false,
            }
          },
        }),
        worklist({
          key: 'nrm-awaited',
          title: 'NRM decisions awaited',
          hint: `National Referral Mechanism referrals with no conclusive grounds decision more than ${NRM_DECISION_WAIT_DAYS} days after the referral, on ${cases} cases.`,
          rows: nrm,
          more: { text: 'See every decision awaited', href: '/register?kind=all&nrmAwaited=yes' },
          item: (n) => ({
            href: `/people/${n.person_id}/referrals`,
            name: nameOf(n.given_name, n.family_name, n.preferred_name),
            what: n.rg_decision === 'positive' ? 'Awaiting conclusive grounds decision' : 'Awaiting reasonable grounds decision',
            age: `referred ${daysBetween(n.referred_on, today)} days ago`,
            due: addDays(n.referred_on, NRM_DECISION_WAIT_DAYS),
            overdue: true,
          }),
        }),
      ]
    },

    async page(ctx: RequestContext, personId: string, today = clock.today()) {
      const person = await people.header(ctx, personId)
      const [nrm, cawns] = await Promise.all([
        store.nrmForPerson(personId),
        cawnsNamingBoth(personId, person.kind === 'child' ? 'child' : 'adult'),
      ])
      // On an adult's page, name each child only to a user who may see that child's record.
      const shown = await Promise.all(
        cawns.map(async (c) => {
          const other = person.kind === 'child' ? { id: c.adult_id, owner: c.adult_owner_agency_id } : { id: c.person_id, owner: c.child_owner_agency_id }
          const decision = await access.check(ctx, 'person:view', { type: 'person', id: other.id, ownerAgencyId: other.owner })
          return {
            ...c,
            active: cawnActive(c, today),
            adultName: nameOf(c.adult_given_name, c.adult_family_name, c.adult_preferred_name),
            childName: nameOf(c.child_given_name, c.child_family_name, c.child_preferred_name),
            otherVisible: decision.allowed,
          }
        }),
      )
      await audit.record(ctx, { action: 'view', recordType: 'person', recordId: personId, details: { page: 'referrals' } })
      return { person, nrm: nrm.map((n) => ({ ...n, stage: nrmStage({ rgDecision: n.rg_decision, cgDecision: n.cg_decision }) })), cawns: shown, canEdit: access.can(ctx, 'person:edit') }
    },

    async forEditNrm(ctx: RequestContext, personId: string, id: string | null) {
      const person = await people.header(ctx, personId, 'person:edit')
      const referral = id ? await liveNrmOf(personId, id) : null
      if (referral) await audit.record(ctx, { action: 'view', recordType: 'nrm_referral', recordId: referral.id, details: { personId, page: 'edit' } })
      return { person, referral }
    },

    async forEditCawn(ctx: RequestContext, personId: string, id: string | null) {
      const person = await people.header(ctx, personId, 'person:edit')
      if (person.kind !== 'child') throw new NotFoundError()
      const cawn = id ? await cawnOf(personId, id) : null
      if (cawn) await audit.record(ctx, { action: 'view', recordType: 'cawn', recordId: cawn.id, details: { personId, page: 'edit' } })
      return { person, cawn }
    },

    async options(ctx: RequestContext) {
      const [agencies, adults] = await Promise.all([store.agencies(), store.visibleAdults({ id: ctx.user!.id, agencyId: ctx.user!.agencyId })])
      return {
        agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
        adults: adults.map((a) => ({ value: a.id, text: `${nameOf(a.given_name, a.family_name, a.preferred_name)}${a.date_of_birth ? `, born ${formatDate(a.date_of_birth)}` : a.approximate_age ? `, about ${a.approximate_age}` : ''}` })),
      }
    },

    /**
     * `alsoRecord` runs inside the same transaction with the new referral's id: a joint operation
     * records its NRM activity as this referral, so that both or neither are saved.
     */
    async createNrm(ctx: RequestContext, personId: string, input: NrmInput, alsoRecord?: (trx: Db, referralId: string) => Promise<void>): Promise<Result<string>> {
      const person = await people.authorised(ctx, personId, 'person:edit')
      const issues = nrmIssues(input)
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const agency = (await store.agencies()).find((a) => a.id === input.firstResponderAgencyId)
      if (!agency) return { ok: false, errors: formErrors([{ field: 'firstResponderAgencyId', message: 'Select the first responder organisation' }]) }
      const user = ctx.user!
      const id = await db.transaction().execute(async (trx) => {
        const row = await referralsStore(trx).insertNrm({
          person_id: person.id,
          referred_on: input.referredOn,
          first_responder_agency_id: agency.id,
          reference: input.reference,
          exploitation_types: JSON.stringify(input.exploitationTypes),
          rg_decision: input.rgDecision,
          rg_decision_on: input.rgDecisionOn,
          cg_decision: input.cgDecision,
          cg_decision_on: input.cgDecisionOn,
          notes: input.notes,
          created_by: user.id,
          updated_by: user.id,
          updated_at: clock.now(),
        })
        await recordPersonEvent(trx, { personId, kind: 'nrm-referral', summary: `Referred to the National Referral Mechanism on ${formatDate(input.referredOn)} by ${agency.name}`, actorId: user.id, refType: 'nrm_referral', refId: row.id })
        if (input.rgDecision) await recordPersonEvent(trx, { personId, kind: 'nrm-decision', summary: `NRM reasonable grounds decision: ${input.rgDecision}`, actorId: user.id, refType: 'nrm_referral', refId: row.id })
        if (input.cgDecision) await recordPersonEvent(trx, { personId, kind: 'nrm-decision', summary: `NRM conclusive grounds decision: ${input.cgDecision}`, actorId: user.id, refType: 'nrm_referral', refId: row.id })
        await audit.record(ctx, { action: 'create', recordType: 'nrm_referral', recordId: row.id, details: { personId } }, trx)
        if (alsoRecord) await alsoRecord(trx, row.id)
        return row.id
      })
      return { ok: true, value: id }
    },

    async updateNrm(ctx: RequestContext, personId: string, id: string, version: number, input: NrmInput): Promise<Result<string>> {
      const person = await people.authorised(ctx, personId, 'person:edit')
      const before = await liveNrmOf(personId, id)
      const issues = nrmIssues(input)
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      if (!(await store.agencies()).some((a) => a.id === input.firstResponderAgencyId)) {
        return { ok: false, errors: formErrors([{ field: 'firstResponderAgencyId', message: 'Select the first responder organisation' }]) }
      }
      const user = ctx.user!
      await db.transaction().execute(async (trx) => {
        const changed = await referralsStore(trx).updateNrm(id, version, {
          referred_on: input.referredOn,
          first_responder_agency_id: input.firstResponderAgencyId,
          reference: input.reference,
          exploitation_types: JSON.stringify(input.exploitationTypes),
          rg_decision: input.rgDecision,
          rg_decision_on: input.rgDecisionOn,
          cg_decision: input.cgDecision,
          cg_decision_on: input.cgDecisionOn,
          notes: input.notes,
          updated_by: user.id,
        })
        if (!changed) throw new ConflictError(`This NRM referral for ${displayName(person)} was changed by someone else after you opened it. Nothing you entered was saved.`)
        const events: string[] = []
        if (input.rgDecision && input.rgDecision !== before.rg_decision) events.push(`NRM reasonable grounds decision: ${input.rgDecision}`)
        if (input.cgDecision && input.cgDecision !== before.cg_decision) events.push(`NRM conclusive grounds decision: ${input.cgDecision}`)
        if (!events.length) events.push('NRM referral details updated')
        for (const summary of events) await recordPersonEvent(trx, { personId, kind: summary.startsWith('NRM referral') ? 'nrm-updated' : 'nrm-decision', summary, actorId: user.id, refType: 'nrm_referral', refId: id })
        await audit.record(ctx, { action: 'update', recordType: 'nrm_referral', recordId: id, details: { personId, rgDecision: input.rgDecision, cgDecision: input.cgDecision } }, trx)
      })
      return { ok: true, value: id }
    },

    /**
     * Voids a referral recorded in error, with the reason: kept and shown struck through, left out
     * of every count, and never changed again. Needs what editing needs (role and need-to-know).
     */
    async voidNrm(ctx: RequestContext, personId: string, id: string, input: VoidInput): Promise<void> {
      const person = await people.authorised(ctx, personId, 'person:edit')
      const before = await liveNrmOf(personId, id)
      await voidRecord(db, audit, ctx, {
        personId,
        personName: displayName(person),
        what: 'NRM referral',
        recordType: 'nrm_referral',
        id,
        eventKind: 'nrm-voided',
        summary: `NRM referral of ${formatDate(before.referred_on)} voided as recorded in error: ${input.reason}`,
        reason: input.reason,
        markVoided: (trx) => referralsStore(trx).voidNrm(id, input.version, ctx.user!.id, input.reason, clock.now()),
      })
    },

    async cawn(ctx: RequestContext, personId: string, id: string, today = clock.today()) {
      const person = await people.header(ctx, personId)
      await cawnOf(personId, id)
      const row = (await cawnsNamingBoth(personId, 'child')).find((c) => c.id === id)!
      const breaches = await store.breaches(id)
      const othersInForce = cawnActive(row, today) ? await otherNoticesInForce(row.adult_id, id, today) : 0
      await audit.record(ctx, { action: 'view', recordType: 'cawn', recordId: id, details: { personId } })
      const adultName = nameOf(row.adult_given_name, row.adult_family_name, row.adult_preferred_name)
      return {
        person,
        warning: othersInForce ? secondNoticeWarning(adultName, othersInForce) : null,
        cawn: { ...row, active: cawnActive(row, today), adultName: nameOf(row.adult_given_name, row.adult_family_name, row.adult_preferred_name) },
        breaches,
        canEdit: access.can(ctx, 'person:edit'),
      }
    },

    async createCawn(ctx: RequestContext, personId: string, input: CawnInput): Promise<Result<string> & { warning?: string | null }> {
      const person = await people.authorised(ctx, personId, 'person:edit')
      if (person.kind !== 'child') throw new NotFoundError()
      const adult = await adultChoice(ctx, input.adultId)
      const expiresOn = input.expiresOn ?? cawnDefaultExpiry(person, input.servedOn)
      const issues = [...(adult ? await adultClosedIssue(ctx, adult) : [{ field: 'adultId', message: 'Select the adult the notice was served on' }]), ...cawnIssues({ ...input, expiresOn }, person)]
      if (issues.length || !adult || !expiresOn) return { ok: false, errors: formErrors(issues) }
      const user = ctx.user!
      const adultName = displayName(adult)
      const alsoInForce = await otherNoticesInForce(adult.id, null)
      const id = await db.transaction().execute(async (trx) => {
        const row = await referralsStore(trx).insertCawn({
          person_id: personId,
          adult_id: adult.id,
          served_on: input.servedOn,
          expires_on: expiresOn,
          served_by_agency_id: input.servedByAgencyId,
          reference: input.reference,
          notes: input.notes,
          created_by: user.id,
          updated_by: user.id,
          updated_at: clock.now(),
        })
        await recordPersonEvent(trx, { personId, kind: 'cawn-served', summary: `Child abduction warning notice served on ${adultName} on ${formatDate(input.servedOn)}, until ${formatDate(expiresOn)}`, actorId: user.id, refType: 'cawn', refId: row.id })
        await recordPersonEvent(trx, { personId: adult.id, kind: 'cawn-served', summary: `Child abduction warning notice served on ${formatDate(input.servedOn)}, until ${formatDate(expiresOn)}`, actorId: user.id, refType: 'cawn', refId: row.id })
        await audit.record(ctx, { action: 'create', recordType: 'cawn', recordId: row.id, details: { personId, adultId: adult.id } }, trx)
        return row.id
      })
      return { ok: true, value: id, warning: alsoInForce ? secondNoticeWarning(adultName, alsoInForce) : null }
    },

    async updateCawn(ctx: RequestContext, personId: string, id: string, version: number, input: CawnInput): Promise<Result<string>> {
      const person = await people.authorised(ctx, personId, 'person:edit')
      await cawnOf(personId, id)
      const adult = await adultChoice(ctx, input.adultId)
      const expiresOn = input.expiresOn ?? cawnDefaultExpiry(person, input.servedOn)
      const issues = [...(adult ? await adultClosedIssue(ctx, adult) : [{ field: 'adultId', message: 'Select the adult the notice was served on' }]), ...cawnIssues({ ...input, expiresOn }, person)]
      if (issues.length || !adult || !expiresOn) return { ok: false, errors: formErrors(issues) }
      const user = ctx.user!
      await db.transaction().execute(async (trx) => {
        const changed = await referralsStore(trx).updateCawn(id, version, {
          adult_id: adult.id,
          served_on: input.servedOn,
          expires_on: expiresOn,
          served_by_agency_id: input.servedByAgencyId,
          reference: input.reference,
          notes: input.notes,
          updated_by: user.id,
        })
        if (!changed) throw new ConflictError(`This notice for ${displayName(person)} was changed by someone else after you opened it. Nothing you entered was saved.`)
        await recordPersonEvent(trx, { personId, kind: 'cawn-updated', summary: `Child abduction warning notice against ${displayName(adult)} updated`, actorId: user.id, refType: 'cawn', refId: id })
        await audit.record(ctx, { action: 'update', recordType: 'cawn', recordId: id, details: { personId, adultId: adult.id } }, trx)
      })
      return { ok: true, value: id }
    },

    async addBreach(ctx: RequestContext, personId: string, cawnId: string, input: BreachInput): Promise<Result<string>> {
      await people.authorised(ctx, personId, 'person:edit')
      const cawn = await cawnOf(personId, cawnId)
      const issues = breachIssues(input, cawn)
      const adult = await store.person(cawn.adult_id)
      if (adult) issues.push(...(await adultClosedIssue(ctx, adult, 'description')))
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const user = ctx.user!
      const id = await db.transaction().execute(async (trx) => {
        const row = await referralsStore(trx).insertBreach({ cawn_id: cawnId, occurred_on: input.occurredOn, description: input.description, action_taken: input.actionTaken, created_by: user.id })
        await recordPersonEvent(trx, { personId, kind: 'cawn-breach', summary: `Breach of the child abduction warning notice against ${adult ? displayName(adult) : 'an adult'} on ${formatDate(input.occurredOn)}`, actorId: user.id, refType: 'cawn', refId: cawnId })
        await recordPersonEvent(trx, { personId: cawn.adult_id, kind: 'cawn-breach', summary: `Breach of a child abduction warning notice on ${formatDate(input.occurredOn)}`, actorId: user.id, refType: 'cawn', refId: cawnId })
        await audit.record(ctx, { action: 'create', recordType: 'cawn_breach', recordId: row.id, details: { personId, cawnId } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

  }
}

export type ReferralsService = ReturnType<typeof referralsService>
