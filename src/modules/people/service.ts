import { sql } from 'kysely'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import type { Db } from '../../db/index.ts'
import type { Permission } from '../../access/permissions.ts'
import type { RecordRef } from '../../access/service.ts'
import { ConflictError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { ageOn } from '../../web/date-input.ts'
import type { Person } from './tables.ts'
import type { PersonInput } from './schemas.ts'
import { peopleStore } from './store.ts'
import { recordPersonEvent, seesPoliceOnly } from './timeline.ts'

export function personRef(person: Pick<Person, 'id' | 'owner_agency_id'> & Partial<Pick<Person, 'merged_into'>>): RecordRef {
  return { type: 'person', id: person.id, ownerAgencyId: person.owner_agency_id, retiredInto: person.merged_into ?? null }
}

export function displayName(p: Pick<Person, 'given_name' | 'family_name' | 'preferred_name'>): string {
  return p.preferred_name ? `${p.given_name} (${p.preferred_name}) ${p.family_name}` : `${p.given_name} ${p.family_name}`
}

/** Age today, from the date of birth or the recorded approximation. */
export function currentAge(p: Pick<Person, 'date_of_birth' | 'approximate_age'>, today: string): number | null {
  return p.date_of_birth ? ageOn(p.date_of_birth, today) : p.approximate_age
}

/** Rules that cut across fields, kept apart from the field schema so each is tested on its own. */
export function crossFieldIssues(input: PersonInput, today: string): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = []
  if (!input.dateOfBirth && input.approximateAge == null) {
    issues.push({ field: 'dob-day', message: 'Enter their date of birth, or an approximate age if it is not known' })
  }
  const age = input.dateOfBirth ? ageOn(input.dateOfBirth, today) : input.approximateAge
  const flags = new Set(input.flags)
  if (input.kind === 'child' && age != null && age >= 18 && !(flags.has('care_leaver') && age <= 25)) {
    issues.push({ field: 'kind', message: 'A person aged 18 or over is an adult, unless they are a care leaver aged 25 or under' })
  }
  if (input.postcode && !input.address) issues.push({ field: 'address', message: 'Enter the address for this postcode' })
  return issues
}

/**
 * People: children and young people at risk, and adults of concern. Every read of a record goes
 * through `authorised` (role and need-to-know) and every page view is audited.
 */
export function peopleService({ db, access, audit, clock }: ModuleDeps) {
  const store = peopleStore(db)

  async function authorised(ctx: RequestContext, id: string, permission: Permission = 'person:view'): Promise<Person> {
    const person = await store.find(id)
    if (!person) return access.refuseUnreadable(ctx, permission, 'person', id)
    await access.authorise(ctx, permission, personRef(person))
    return person
  }

  async function writeRelated(trx: Db, personId: string, agencyId: string, input: PersonInput) {
    for (const name of input.aliases) await trx.insertInto('person_aliases').values({ person_id: personId, name }).execute()
    const ids: [string | null, 'nhs_number' | 'council_case' | 'police_nominal'][] = [
      [input.nhsNumber?.replace(/\s/g, '') ?? null, 'nhs_number'],
      [input.councilCase, 'council_case'],
      [input.policeNominal, 'police_nominal'],
    ]
    for (const [value, scheme] of ids) {
      if (value) await trx.insertInto('person_identifiers').values({ person_id: personId, scheme, value, agency_id: agencyId }).execute()
    }
  }

  function columns(input: PersonInput) {
    const flags = new Set(input.flags)
    return {
      kind: input.kind,
      given_name: input.givenName,
      family_name: input.familyName,
      preferred_name: input.preferredName,
      date_of_birth: input.dateOfBirth,
      approximate_age: input.dateOfBirth ? null : input.approximateAge,
      gender: input.gender,
      ethnicity: input.ethnicity,
      home_area_id: input.homeAreaId,
      current_area_id: input.currentAreaId,
      school: input.school,
      looked_after: flags.has('looked_after'),
      care_leaver: flags.has('care_leaver'),
      send: flags.has('send'),
      learning_disability: flags.has('learning_disability'),
    }
  }

  /** The record's header (identity bar) for any page about the person; authorises, does not audit. */
  async function header(ctx: RequestContext, id: string, permission: Permission = 'person:view') {
    // The record with its names, then the permission check on it: one read of the row, not two.
    const details = await store.details(id)
    if (!details) return access.refuseUnreadable(ctx, permission, 'person', id)
    const decision = await access.authorise(ctx, permission, personRef(details))
    return {
      ...details,
      // Every page of the record says when a justification's read-only access ends (person-layout.njk).
      breakGlassUntil: decision.basis === 'break-glass' ? decision.breakGlassUntil : null,
      displayName: displayName(details),
      age: currentAge(details, clock.today()),
      outOfArea: Boolean(details.current_area_id && details.home_area_id && details.current_area_id !== details.home_area_id),
    }
  }

  return {
    authorised,
    header,

    /** The person page: the record with everything that hangs off it. Audited as a view. */
    async view(ctx: RequestContext, id: string) {
      // The record with its names, the permission check, then what hangs off it (one statement)
      // beside the audit row: three waits on the database and at most four statements.
      const person = await header(ctx, id)
      const [related] = await Promise.all([store.related(id), audit.record(ctx, { action: 'view', recordType: 'person', recordId: id })])
      return { person, ...related }
    },

    async timeline(ctx: RequestContext, id: string) {
      await authorised(ctx, id)
      await audit.record(ctx, { action: 'view', recordType: 'person', recordId: id, details: { page: 'history' } })
      return store.timeline(id, { policeOnly: seesPoliceOnly(ctx.user!), agencyId: ctx.user!.agencyId })
    },

    async create(ctx: RequestContext, input: PersonInput): Promise<Result<string>> {
      await access.authorise(ctx, 'person:create')
      const issues = crossFieldIssues(input, clock.today())
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const user = ctx.user!
      const id = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('people')
          .values({
            ...columns(input),
            owner_agency_id: user.agencyId,
            owner_team_id: user.teamId,
            allocated_worker_id: user.id,
            created_by: user.id,
            updated_at: clock.now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await writeRelated(trx, row.id, user.agencyId, input)
        if (input.address) {
          await trx.insertInto('person_addresses').values({ person_id: row.id, address: input.address, postcode: input.postcode?.toUpperCase() ?? null, area_id: input.currentAreaId, from_date: clock.today() }).execute()
        }
        await recordPersonEvent(trx, { personId: row.id, kind: 'created', summary: `Record created by ${user.agencyName}`, actorId: user.id })
        await audit.record(ctx, { action: 'create', recordType: 'person', recordId: row.id }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    /**
     * Saves an edit only if nobody else saved since the form was opened (optimistic concurrency on
     * `version`); otherwise ConflictError, and nothing is overwritten.
     */
    async update(ctx: RequestContext, id: string, version: number, input: PersonInput): Promise<Result<string>> {
      const before = await authorised(ctx, id, 'person:edit')
      const issues = crossFieldIssues(input, clock.today())
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const existingAliases = new Set((await store.aliases(id)).map((a) => a.name.toLowerCase()))
      const existingIds = new Set((await store.identifiers(id)).map((i) => `${i.scheme}:${i.value}`))
      await db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('people')
          .set({ ...columns(input), updated_at: sql`now()`, version: sql`version + 1` })
          .where('id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst()
        if (Number(result.numUpdatedRows) === 0) {
          throw new ConflictError(`${displayName(before)}’s record was changed by someone else after you opened it.`)
        }
        await writeRelated(trx, id, ctx.user!.agencyId, {
          ...input,
          aliases: input.aliases.filter((a) => !existingAliases.has(a.toLowerCase())),
          nhsNumber: input.nhsNumber && !existingIds.has(`nhs_number:${input.nhsNumber.replace(/\s/g, '')}`) ? input.nhsNumber : null,
          councilCase: input.councilCase && !existingIds.has(`council_case:${input.councilCase}`) ? input.councilCase : null,
          policeNominal: input.policeNominal && !existingIds.has(`police_nominal:${input.policeNominal}`) ? input.policeNominal : null,
        })
        const changed = Object.entries(columns(input))
          .filter(([k, v]) => (before as unknown as Record<string, unknown>)[k] !== v)
          .map(([k]) => k)
        await recordPersonEvent(trx, { personId: id, kind: 'updated', summary: changed.length ? `Details changed: ${changed.join(', ').replaceAll('_', ' ')}` : 'Details saved', actorId: ctx.user!.id })
        await audit.record(ctx, { action: 'update', recordType: 'person', recordId: id, details: { fields: changed } }, trx)
      })
      return { ok: true, value: id }
    },

    async formOptions() {
      const [areas, agencies] = await Promise.all([store.areas(), store.agencies()])
      return {
        areas: areas.map((a) => ({ value: a.id, text: a.name })),
        agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
      }
    },
  }
}

export type PeopleService = ReturnType<typeof peopleService>
