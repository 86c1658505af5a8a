import { Router, type Request } from 'express'
import type { ModuleDeps } from '../types.ts'
import { formErrors, parseForm, type FormErrors } from '../../web/forms.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { dateParts, readDateInput, todayIso } from '../../web/date-input.ts'
import { ETHNICITIES, FLAGS, GENDERS, personSchema, shareSchema, type PersonInput } from './schemas.ts'
import { peopleService, displayName } from './service.ts'

const SCHEMES: Record<string, string> = { nhs_number: 'NHS number', council_case: 'Council case number', police_nominal: 'Police nominal number', upn: 'Unique pupil number', other: 'Other' }

/** Reads the person form: the zod schema for the fields and the GOV.UK date input for the date of birth. */
export function readPersonForm(body: Record<string, unknown>): { ok: true; value: PersonInput } | { ok: false; errors: FormErrors } {
  const parsed = parseForm(personSchema, body)
  const dob = readDateInput(body, 'dob', 'Date of birth', { notAfter: todayIso(), notAfterMessage: 'Date of birth must be in the past' })
  if (parsed.ok && dob.ok) return { ok: true, value: { ...parsed.value, dateOfBirth: dob.value } }
  const issues = [
    ...(dob.ok ? [] : [{ field: 'dob-day', message: dob.message }]),
    ...(parsed.ok ? [] : parsed.errors.errorList.map((e) => ({ field: e.href.slice(1), message: e.text }))),
  ]
  return { ok: false, errors: formErrors(issues) }
}

export function peopleRoutes(deps: ModuleDeps): Router {
  const router = Router()
  const people = peopleService(deps)

  async function formView(req: Request, extra: Record<string, unknown>) {
    const options = await people.formOptions()
    return { ...options, genders: GENDERS, ethnicities: ETHNICITIES, flagItems: FLAGS, ...extra }
  }

  router.get('/people/new', async (req, res) => {
    await deps.access.authorise(req.ctx, 'person:create')
    res.render('people/views/form.njk', await formView(req, { isNew: true, action: '/people/new', backHref: '/dashboard', values: { kind: req.query.kind === 'adult' ? 'adult' : 'child' } }))
  })

  router.post('/people/new', async (req, res) => {
    const form = readPersonForm(req.body)
    const result = form.ok ? await people.create(req.ctx, form.value) : form
    if (!result.ok) {
      return res.status(400).render('people/views/form.njk', await formView(req, { isNew: true, action: '/people/new', backHref: '/dashboard', values: req.body, errors: result.errors }))
    }
    flash(req, { type: 'success', text: 'Record created' })
    res.redirect(`/people/${result.value}`)
  })

  router.get('/people/:id', async (req, res) => {
    const view = await people.view(req.ctx, req.params.id)
    const gender = GENDERS.find((g) => g.value === view.person.gender)
    res.render('people/views/summary.njk', { ...view, genderText: gender?.text ?? 'Not known', schemes: SCHEMES })
  })

  router.get('/people/:id/edit', async (req, res) => {
    await people.authorised(req.ctx, req.params.id, 'person:edit')
    const view = await people.view(req.ctx, req.params.id)
    const person = view.person
    const flags = ['looked_after', 'care_leaver', 'send', 'learning_disability'].filter((f) => (person as unknown as Record<string, boolean>)[f])
    res.render(
      'people/views/form.njk',
      await formView(req, {
        isNew: false,
        action: `/people/${person.id}/edit`,
        backHref: `/people/${person.id}`,
        values: {
          version: person.version,
          kind: person.kind,
          givenName: person.given_name,
          familyName: person.family_name,
          preferredName: person.preferred_name,
          approximateAge: person.approximate_age ?? '',
          gender: person.gender,
          ethnicity: person.ethnicity,
          homeAreaId: person.home_area_id,
          currentAreaId: person.current_area_id,
          school: person.school,
          flags,
          aliases: '',
          ...dateParts(person.date_of_birth, 'dob'),
        },
        existingAliases: view.aliases,
      }),
    )
  })

  router.post('/people/:id/edit', async (req, res) => {
    const form = readPersonForm(req.body)
    const version = Number(req.body?.version)
    const result = form.ok ? await people.update(req.ctx, req.params.id, version, form.value) : form
    if (!result.ok) {
      await people.header(req.ctx, req.params.id, 'person:edit')
      return res.status(400).render('people/views/form.njk', await formView(req, { isNew: false, action: `/people/${req.params.id}/edit`, backHref: `/people/${req.params.id}`, values: req.body, errors: result.errors }))
    }
    flash(req, { type: 'success', text: 'Details saved' })
    res.redirect(`/people/${req.params.id}`)
  })

  router.get('/people/:id/sharing', async (req, res) => {
    const view = await people.view(req.ctx, req.params.id)
    res.render('people/views/sharing.njk', { ...view, agencies: (await people.formOptions()).agencies, values: {} })
  })

  router.post('/people/:id/sharing', async (req, res) => {
    const parsed = parseForm(shareSchema, req.body)
    const result = parsed.ok ? await people.share(req.ctx, req.params.id, parsed.value.agencyId) : parsed
    if (!result.ok) {
      const view = await people.view(req.ctx, req.params.id)
      return res.status(400).render('people/views/sharing.njk', { ...view, agencies: (await people.formOptions()).agencies, values: req.body, errors: result.errors })
    }
    const header = await people.header(req.ctx, req.params.id)
    flash(req, { type: 'success', text: `${displayName(header)}’s record is shared` })
    res.redirect(`/people/${req.params.id}`)
  })

  router.get('/people/:id/history', async (req, res) => {
    const person = await people.header(req.ctx, req.params.id)
    res.render('people/views/history.njk', { person, events: await people.timeline(req.ctx, req.params.id) })
  })

  return router
}
