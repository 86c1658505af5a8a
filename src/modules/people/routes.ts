import { Router, type Request } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { dateParts, readDateInput } from '../../web/date-input.ts'
import { sendCsv } from '../../lib/csv-download.ts'
import { pagination } from '../../web/pagination.ts'
import { ETHNICITIES, FLAGS, GENDERS, NOTE_KINDS, NOTE_SENSITIVITIES, noteFilterSchema, closureDecisionSchema, closureRequestSchema, noteSchema, recordRetentionSchema, legalHoldSchema, personSchema, type NoteInput, type PersonInput } from './schemas.ts'

/** The form's first question, as the conflict page names its answers. */
const PERSON_KINDS = [
  { value: 'child', text: 'A child or young person at risk' },
  { value: 'adult', text: 'An adult of concern' },
]
import { closureService } from './closure.ts'
import { recordRetentionService, RECORD_RETENTION } from './record-retention.ts'
import { peopleService } from './service.ts'
import { notesService } from './notes.ts'
import { viewersService } from './viewers.ts'
import { subjectAccessService, REDACTION_FLAGS } from './subject-access.ts'
import { subjectAccessPdf } from './subject-access-pdf.ts'
import { seesPoliceOnly } from './timeline.ts'
import { ASSESSMENT_GRADES, HANDLING_CODES, SOURCE_GRADES } from '../../kernel/grading.ts'
import { showPossibleDuplicates } from '../linkage/index.ts'
import { returnWithCreated, safeReturnTo } from '../../web/return-to.ts'
import { showingSavedOnConflict } from '../../web/conflict.ts'

const SCHEMES: Record<string, string> = { nhs_number: 'NHS number', council_case: 'Council case number', police_nominal: 'Police nominal number', upn: 'Unique pupil number', other: 'Other' }

/** Reads the person form: the zod schema for the fields and the GOV.UK date input for the date of birth. */
export function readPersonForm(body: Record<string, unknown>, today: string): Result<PersonInput> {
  const parsed = parseForm(personSchema, body)
  const dob = readDateInput(body, 'dob', 'Date of birth', { notAfter: today, notAfterMessage: 'Date of birth must be in the past' })
  if (parsed.ok && dob.ok) return { ok: true, value: { ...parsed.value, dateOfBirth: dob.value } }
  const issues = [
    ...(dob.ok ? [] : [{ field: 'dob-day', message: dob.message }]),
    ...(parsed.ok ? [] : parsed.errors.errorList.map((e) => ({ field: e.href.slice(1), message: e.text }))),
  ]
  return { ok: false, errors: formErrors(issues) }
}

/** Reads the note form: the zod schema and the date it happened (today or earlier). */
export function readNoteForm(body: Record<string, unknown>, today: string): Result<NoteInput> {
  const parsed = parseForm(noteSchema, body)
  const when = readDateInput(body, 'occurred', 'The date', { required: true, notAfter: today, notAfterMessage: 'The date must be today or in the past' })
  if (parsed.ok && when.ok) return { ok: true, value: { ...parsed.value, occurredOn: when.value! } }
  const issues = [
    ...(parsed.ok ? [] : parsed.errors.errorList.map((e) => ({ field: e.href.slice(1), message: e.text }))),
    ...(when.ok ? [] : [{ field: 'occurred-day', message: when.message === 'Enter the date' ? 'Enter the date it happened' : when.message }]),
  ]
  return { ok: false, errors: formErrors(issues) }
}

const GRADING = { sourceGrades: SOURCE_GRADES, assessmentGrades: ASSESSMENT_GRADES, handlingCodes: HANDLING_CODES }
const textOf = (list: readonly { value: string; text: string }[]) => Object.fromEntries(list.map((g) => [g.value, g.text]))
const GRADE_TEXT = { source: textOf(SOURCE_GRADES), assessment: textOf(ASSESSMENT_GRADES), handling: textOf(HANDLING_CODES) }

type SavedPerson = Awaited<ReturnType<ReturnType<typeof peopleService>['view']>>['person']

/** The edit form's answers for a person as saved: to open the form, and beside a losing edit. */
function personFormValues(person: SavedPerson): Record<string, unknown> {
  return {
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
    flags: ['looked_after', 'care_leaver', 'send', 'learning_disability'].filter((f) => (person as unknown as Record<string, boolean>)[f]),
    aliases: '',
    ...dateParts(person.date_of_birth, 'dob'),
  }
}

function pageNumber(value: unknown): number {
  const n = Number(value)
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1
}

export function peopleRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const people = peopleService(deps)
  const notes = notesService(deps)

  // People are found through the register, which lists children and adults alike.
  routes.get('/people', { permission: 'person:search' }, (req, res) => {
    const query = new URLSearchParams(req.query as Record<string, string>)
    if (!query.has('kind')) query.set('kind', 'all')
    res.redirect(`/register?${query}`)
  })

  async function formView(req: Request, extra: Record<string, unknown>) {
    const options = await people.formOptions()
    return { ...options, genders: GENDERS, ethnicities: ETHNICITIES, flagItems: FLAGS, ...extra }
  }

  // Started from a report's triage, the new record goes back there to be linked (checked return address).
  routes.get('/people/new', { permission: 'person:create' }, async (req, res) => {
    const returnTo = safeReturnTo(req.query.returnTo)
    res.render('people/views/form.njk', await formView(req, { isNew: true, action: '/people/new', backHref: returnTo ?? '/dashboard', returnTo, values: { kind: req.query.kind === 'adult' ? 'adult' : 'child' } }))
  })

  routes.post('/people/new', { permission: 'person:create' }, async (req, res) => {
    const form = readPersonForm(req.body, deps.clock.today())
    // "Is this one of these?": likely existing matches are shown before a new record is saved.
    if (form.ok && (await showPossibleDuplicates(deps, req, res, form.value))) return
    const result = form.ok ? await people.create(req.ctx, form.value) : form
    const returnTo = safeReturnTo(req.body?.returnTo)
    if (!result.ok) {
      return res.status(400).render('people/views/form.njk', await formView(req, { isNew: true, action: '/people/new', backHref: returnTo ?? '/dashboard', returnTo, values: req.body, errors: result.errors }))
    }
    flash(req, { type: 'success', text: 'Record created' })
    res.redirect(returnTo ? returnWithCreated(returnTo, result.value) : `/people/${result.value}`)
  })

  routes.get('/people/:id', { permission: 'person:view' }, async (req, res) => {
    const view = await people.view(req.ctx, req.params.id)
    const gender = GENDERS.find((g) => g.value === view.person.gender)
    res.render('people/views/summary.njk', { ...view, genderText: gender?.text ?? 'Not known', schemes: SCHEMES })
  })

  routes.get('/people/:id/edit', { permission: 'person:edit' }, async (req, res) => {
    await people.authorised(req.ctx, req.params.id, 'person:edit')
    const view = await people.view(req.ctx, req.params.id)
    const person = view.person
    res.render(
      'people/views/form.njk',
      await formView(req, {
        isNew: false,
        action: `/people/${person.id}/edit`,
        backHref: `/people/${person.id}`,
        values: personFormValues(person),
        existingAliases: view.aliases,
      }),
    )
  })

  routes.post('/people/:id/edit', { permission: 'person:edit' }, async (req, res) => {
    const form = readPersonForm(req.body, deps.clock.today())
    const version = Number(req.body?.version)
    const result = form.ok
      ? await showingSavedOnConflict(
          people.update(req.ctx, req.params.id, version, form.value),
          async () => personFormValues((await people.view(req.ctx, req.params.id)).person),
          async () => {
            const { areas } = await people.formOptions()
            return { homeAreaId: areas, currentAreaId: areas, gender: GENDERS, flags: FLAGS, kind: PERSON_KINDS }
          },
        )
      : form
    if (!result.ok) {
      await people.header(req.ctx, req.params.id, 'person:edit')
      return res.status(400).render('people/views/form.njk', await formView(req, { isNew: false, action: `/people/${req.params.id}/edit`, backHref: `/people/${req.params.id}`, values: req.body, errors: result.errors }))
    }
    flash(req, { type: 'success', text: 'Details saved' })
    res.redirect(`/people/${req.params.id}`)
  })

  routes.get('/people/:id/history', { permission: 'person:view' }, async (req, res) => {
    const person = await people.header(req.ctx, req.params.id)
    res.render('people/views/history.njk', { person, events: await people.timeline(req.ctx, req.params.id) })
  })

  routes.get('/people/:id/viewers', { permission: 'person:viewers' }, async (req, res) => {
    res.render('people/views/viewers.njk', await viewersService(deps).list(req.ctx, req.params.id))
  })

  const closure = closureService(deps)
  const closurePage = async (req: Request, extra: Record<string, unknown> = {}) => ({ ...(await closure.status(req.ctx, req.params.id as string)), values: {}, ...extra })
  routes.get('/people/:id/closure', { permission: 'person:view' }, async (req, res) => {
    res.render('people/views/closure.njk', await closurePage(req))
  })

  routes.post('/people/:id/closure', { permission: 'person:edit' }, async (req, res) => {
    const form = parseForm(closureRequestSchema, req.body)
    if (!form.ok) return res.status(400).render('people/views/closure.njk', await closurePage(req, { values: req.body, errors: form.errors }))
    await closure.request(req.ctx, req.params.id, form.value.reason)
    flash(req, { type: 'success', text: 'Your request has been sent to a manager' })
    res.redirect(`/people/${req.params.id}/closure`)
  })

  routes.post('/people/:id/closure/:requestId', { permission: 'person:close' }, async (req, res) => {
    const form = parseForm(closureDecisionSchema, req.body)
    const result = form.ok ? await closure.decide(req.ctx, req.params.id, req.params.requestId, form.value) : form
    if (!result.ok) return res.status(400).render('people/views/closure.njk', await closurePage(req, { decision: req.body, errors: result.errors }))
    flash(req, { type: 'success', text: result.value === 'approved' ? 'Request approved' : 'Request declined' })
    res.redirect(`/people/${req.params.id}/closure`)
  })

  const retention = recordRetentionService(deps)
  const retentionPage = async (extra: Record<string, unknown>) => ({ kinds: RECORD_RETENTION, plan: await retention.plan(), ...extra })
  routes.get('/admin/record-retention', { permission: 'admin:config' }, async (_req, res) => {
    res.render('people/views/record-retention.njk', await retentionPage({ values: await retention.years() }))
  })

  routes.post('/admin/record-retention', { permission: 'admin:config' }, async (req, res) => {
    const form = parseForm(recordRetentionSchema, req.body)
    if (!form.ok) return res.status(400).render('people/views/record-retention.njk', await retentionPage({ values: req.body, errors: form.errors }))
    const before = await retention.years()
    for (const kind of ['child', 'adult'] as const) if (before[kind] !== form.value[kind]) await retention.setYears(req.ctx, kind, form.value[kind])
    flash(req, { type: 'success', text: 'Retention periods saved' })
    res.redirect('/admin/record-retention')
  })

  routes.post('/people/:id/legal-hold', { permission: 'person:close' }, async (req, res) => {
    if (req.body?.lift === 'yes') {
      await retention.setLegalHold(req.ctx, req.params.id, null)
      flash(req, { type: 'success', text: 'Legal hold lifted' })
      return res.redirect(`/people/${req.params.id}/closure`)
    }
    const form = parseForm(legalHoldSchema, req.body)
    if (!form.ok) return res.status(400).render('people/views/closure.njk', await closurePage(req, { holdValues: req.body, errors: form.errors }))
    await retention.setLegalHold(req.ctx, req.params.id, form.value.holdReason)
    flash(req, { type: 'success', text: 'Legal hold placed' })
    res.redirect(`/people/${req.params.id}/closure`)
  })

  const disclosure = subjectAccessService(deps)
  routes.get('/subject-access', { permission: 'person:disclose' }, async (req, res) => {
    const name = typeof req.query.name === 'string' ? req.query.name.trim() : undefined
    if (name === undefined) return res.render('people/views/subject-access-find.njk', { values: {} })
    if (name.length < 2 || name.length > 100) {
      const message = name.length < 2 ? 'Enter at least 2 letters of their name' : 'Name must be 100 characters or fewer'
      return res.status(400).render('people/views/subject-access-find.njk', { values: { name }, errors: formErrors([{ field: 'name', message }]) })
    }
    res.render('people/views/subject-access-find.njk', { values: { name }, ...(await disclosure.find(req.ctx, name)), searched: true })
  })

  routes.get('/people/:id/subject-access', { permission: 'person:disclose' }, async (req, res) => {
    const { person, data } = await disclosure.preview(req.ctx, req.params.id)
    const sections = Object.entries(data.sections).map(([key, items]) => ({
      title: data.titles[key] ?? key,
      count: items.length,
      flagged: items.filter((i) => i.flags.length).length,
    }))
    res.render('people/views/subject-access.njk', { person, data, sections, flagMeanings: Object.values(REDACTION_FLAGS) })
  })

  routes.get('/people/:id/subject-access.json', { permission: 'person:disclose' }, async (req, res) => {
    const { data } = await disclosure.export(req.ctx, req.params.id, 'json')
    res.setHeader('Content-Disposition', `attachment; filename="subject-access-${req.params.id}.json"`)
    res.type('application/json').send(JSON.stringify(data, null, 2))
  })

  routes.get('/people/:id/subject-access.pdf', { permission: 'person:disclose' }, async (req, res) => {
    const { data } = await disclosure.export(req.ctx, req.params.id, 'pdf')
    const pdf = await subjectAccessPdf(data)
    res.setHeader('Content-Disposition', `attachment; filename="subject-access-${req.params.id}.pdf"`)
    res.type('application/pdf').send(pdf)
  })

  routes.get('/people/:id/notes', { permission: 'person:view' }, async (req, res) => {
    const person = await people.header(req.ctx, req.params.id)
    const page = pageNumber(req.query.page)
    const filter = noteFilterSchema.parse(req.query)
    const filtered = Boolean(filter.kind || filter.handling || filter.source.length || filter.assessment.length)
    const list = await notes.list(req.ctx, req.params.id, page, filtered ? filter : undefined)
    const pages = Math.ceil(list.total / list.pageSize)
    const query = new URLSearchParams([
      ...(filter.kind ? [['kind', filter.kind]] : []),
      ...filter.source.map((v) => ['source', v]),
      ...filter.assessment.map((v) => ['assessment', v]),
      ...(filter.handling ? [['handling', filter.handling]] : []),
    ])
    res.render('people/views/notes.njk', {
      person,
      ...list,
      filter,
      filtered,
      grading: GRADING,
      gradeText: GRADE_TEXT,
      kinds: NOTE_KINDS,
      kindText: textOf(NOTE_KINDS),
      pagination: pagination(page, pages, (n) => `/people/${person.id}/notes?${query.size ? `${query}&` : ''}page=${n}`),
      canAdd: deps.access.can(req.ctx, 'note:create'),
      canExport: deps.access.can(req.ctx, 'person:export'),
      seesPoliceOnly: seesPoliceOnly(req.ctx.user!),
    })
  })

  async function noteForm(req: Request, extra: Record<string, unknown>) {
    const person = await people.header(req.ctx, req.params.id as string, 'note:create')
    return { person, kinds: NOTE_KINDS, sensitivities: NOTE_SENSITIVITIES, grading: GRADING, agencies: (await people.formOptions()).agencies, seesPoliceOnly: seesPoliceOnly(req.ctx.user!), ...extra }
  }

  routes.get('/people/:id/notes/new', { permission: 'note:create' }, async (req, res) => {
    const today = deps.clock.today().split('-')
    res.render('people/views/note-form.njk', await noteForm(req, { values: { sensitivity: 'standard', 'occurred-day': String(Number(today[2])), 'occurred-month': String(Number(today[1])), 'occurred-year': today[0] } }))
  })

  routes.post('/people/:id/notes/new', { permission: 'note:create' }, async (req, res) => {
    const form = readNoteForm(req.body, deps.clock.today())
    const result = form.ok ? await notes.add(req.ctx, req.params.id, form.value) : form
    if (!result.ok) return res.status(400).render('people/views/note-form.njk', await noteForm(req, { values: req.body, errors: result.errors }))
    flash(req, { type: 'success', text: form.ok && form.value.sensitivity === 'police_only' ? 'Note added. Only police staff can read it.' : form.ok && form.value.grade?.handling === 'C' ? 'Note added. Under handling code C only your agency and the agencies you chose can read it.' : 'Note added' })
    res.redirect(`/people/${req.params.id}/notes`)
  })

  routes.get('/people/:id/notes.csv', { permission: 'person:export' }, async (req, res) => {
    const download = await notes.export(req.ctx, req.params.id)
    await sendCsv(res, download.filename, download.columns, download.batches)
  })

  return routes.router
}
