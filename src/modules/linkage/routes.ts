import { Router, type Request, type Response } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { formatDate } from '../../web/nunjucks.ts'
import multer from 'multer'
import { readUpload } from '../../web/uploads.ts'
import { z } from 'zod'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors, type FormErrors } from '../../kernel/form-errors.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { peopleService } from '../people/index.ts'
import { GENDERS } from '../people/index.ts'
import { CONFLICT_TEXT, mergeService, MergeRefused } from './merge.ts'
import { runsService, FIELDS, guessMapping, type Role } from './runs.ts'
import { recordKey } from './clusters.ts'
import { entryIndex, entryService, queryRecord } from './entry.ts'
import { decisionSchema, mergeRequestSchema, noteSchema, notSameSchema, peopleRunSchema, runSettingsSchema, uploadSchema } from './schemas.ts'

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024
const KINDS = [
  { value: 'link', text: 'Two extracts: match one agency’s records against another’s' },
  { value: 'dedupe', text: 'One extract: find records of the same person within it' },
  { value: 'register', text: 'One extract against Lantern’s people (those you may see)' },
]

/** The waterfall's running total after each field, for the table. */
export function withRunning<E extends { prior: { log2Odds: number }; rows: readonly { log2Weight: number }[] }>(explanation: E | null) {
  if (!explanation) return null
  let running = explanation.prior.log2Odds
  return { ...explanation, rows: explanation.rows.map((r) => ({ ...r, running: (running += r.log2Weight) })) }
}

export function linkageRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const merges = mergeService(deps)
  const runs = runsService(deps)
  const people = peopleService(deps)
  const entry = entryService(deps)
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 2, fields: 10 } }).fields([
    { name: 'left', maxCount: 1 },
    { name: 'right', maxCount: 1 },
  ])

  routes.get('/linkage', { anyOf: ['linkage:run', 'linkage:merge', 'linkage:confirm-merge'] }, async (req, res) => {
    const user = req.ctx.user!
    const canRun = user.permissions.has('linkage:run')
    const canMerge = user.permissions.has('linkage:merge') || user.permissions.has('linkage:confirm-merge')
    res.render('linkage/views/index.njk', {
      runs: canRun ? await runs.list(req.ctx) : null,
      pending: canMerge ? await merges.pending(req.ctx) : null,
      canConfirm: user.permissions.has('linkage:confirm-merge'),
    })
  })

  // ---- Compare two records, merge, "not the same person" -----------------------------------------
  async function compare(req: Request, res: Response, a: string, b: string, extra: { errors?: FormErrors; values?: Record<string, unknown>; status?: number } = {}) {
    const [left, right] = await Promise.all([people.view(req.ctx, a), people.view(req.ctx, b)])
    const { index } = await entryIndex(deps.db)
    const r = right.person
    let explanation = null
    try {
      // The index's own record of B (what its likelihood on "Check for duplicates" was worked out from).
      const recordB = index.record(b) ?? queryRecord({ givenName: r.given_name, familyName: r.family_name, dateOfBirth: r.date_of_birth, gender: r.gender, postcode: right.addresses.find((x) => x.postcode)?.postcode ?? null, nhsNumber: right.identifiers.find((i) => i.scheme === 'nhs_number')?.value ?? null })
      explanation = index.explain(recordB, a)
    } catch {
      explanation = null
    }
    res.status(extra.status ?? 200).render('linkage/views/compare.njk', {
      left,
      right,
      explanation: withRunning(explanation),
      conflicts: await merges.conflictsBetween(left.person, right.person),
      conflictText: CONFLICT_TEXT,
      agreeing: agencyNames(req, left, right),
      notSame: await merges.isNotSame(a, b),
      history: [...(await merges.mergesOf(req.ctx, a)), ...(await merges.mergesOf(req.ctx, b))].filter((m, i, all) => all.findIndex((x) => x.id === m.id) === i),
      genders: Object.fromEntries(GENDERS.map((g) => [g.value, g.text])),
      errors: extra.errors,
      values: extra.values ?? { survivorId: a },
    })
  }

  /** The agencies, other than the user's, whose agreement a merge of these two would wait for. */
  function agencyNames(req: Request, ...sides: { person: { owner_agency_id: string; owner_agency_name: string } }[]) {
    const ids = merges.agenciesToAgree(req.ctx, sides[0].person, sides[1].person)
    return ids.map((id) => sides.find((v) => v.person.owner_agency_id === id)!.person.owner_agency_name)
  }

  // Compare by finding the two people by name (the duplicate check's name comparisons), not by ids.
  routes.get('/linkage/compare/find', { permission: 'linkage:merge' }, async (req, res) => {
    const values = { first: String(req.query.first ?? '').trim().slice(0, 200), second: String(req.query.second ?? '').trim().slice(0, 200) }
    if (!('first' in req.query)) return res.render('linkage/views/find-two.njk', { values, first: [], second: [] })
    const problems: { field: string; message: string }[] = []
    const found: Record<'first' | 'second', Awaited<ReturnType<typeof entry.byName>>> = { first: [], second: [] }
    for (const [field, which] of [['first', 'first'], ['second', 'second']] as const) {
      const text = values[field]
      if (text.split(/\s+/).filter(Boolean).length < 2) problems.push({ field, message: `Enter the ${which} person’s first and last name` })
      else if (!(found[field] = await entry.byName(req.ctx, text, 'linkage:merge')).length) problems.push({ field, message: `Nobody you may see has a name like “${text}”` })
    }
    if (problems.length) return res.status(400).render('linkage/views/find-two.njk', { values, first: [], second: [], errors: formErrors(problems) })
    res.render('linkage/views/find-two.njk', { values, first: found.first, second: found.second })
  })

  routes.get('/linkage/compare', { permission: 'linkage:merge' }, async (req, res) => {
    const parsed = parseForm(notSameSchema, { a: req.query.a, b: req.query.b })
    if (!parsed.ok || parsed.value.a === parsed.value.b) {
      return res.status(400).render('linkage/views/find-two.njk', { errors: formErrors([{ field: 'first', message: 'Choose two different records: find them by name' }]), values: {}, first: [], second: [] })
    }
    await compare(req, res, parsed.value.a, parsed.value.b)
  })

  // A merge is asked for twice: the choice and its reason, then "Check your answers" before it is sent.
  routes.post('/linkage/merges', { permission: 'linkage:merge' }, async (req, res) => {
    const a = String(req.body?.a ?? '')
    const b = String(req.body?.b ?? '')
    const survivorId = req.body?.survivorId
    const parsed = parseForm(mergeRequestSchema, { ...req.body, mergedId: survivorId === a ? b : survivorId === b ? a : '' })
    if (!parsed.ok) return compare(req, res, a, b, { errors: parsed.errors, values: req.body, status: 400 })
    if (req.body?.checked !== 'yes') {
      const [survivor, merged] = await Promise.all([people.view(req.ctx, parsed.value.survivorId), people.view(req.ctx, parsed.value.mergedId)])
      return res.render('linkage/views/merge-check.njk', {
        a,
        b,
        survivor: survivor.person,
        merged: merged.person,
        reason: parsed.value.reason,
        conflicts: await merges.conflictsBetween(survivor.person, merged.person),
        agreeing: agencyNames(req, survivor, merged),
        conflictText: CONFLICT_TEXT,
      })
    }
    try {
      const outcome = await merges.request(req.ctx, parsed.value)
      flash(
        req,
        outcome.status === 'completed'
          ? { type: 'success', text: 'Records merged. You can undo this merge from this page.' }
          : { type: 'important', text: 'The merge is waiting: for the agency that holds the record to agree, or for a manager to confirm the details that differ.' },
      )
      res.redirect(`/linkage/merges/${outcome.mergeId}`)
    } catch (err) {
      if (err instanceof MergeRefused) return compare(req, res, a, b, { errors: formErrors([{ field: 'survivorId', message: err.message }]), values: req.body, status: 400 })
      throw err
    }
  })

  routes.post('/linkage/not-same', { permission: 'linkage:merge' }, async (req, res) => {
    const parsed = parseForm(notSameSchema, req.body)
    if (!parsed.ok) return res.status(400).render('linkage/views/find-two.njk', { errors: formErrors([{ field: 'first', message: parsed.errors.errorList[0]?.text ?? 'Choose two different records' }]), values: {}, first: [], second: [] })
    await merges.markNotSame(req.ctx, parsed.value.a, parsed.value.b, parsed.value.reason)
    flash(req, { type: 'success', text: 'Recorded as not the same person. Lantern will refuse any merge that joins these records.' })
    res.redirect(`/linkage/compare?a=${parsed.value.a}&b=${parsed.value.b}`)
  })

  async function mergePage(req: Request, res: Response, id: string, extra: { errors?: FormErrors; status?: number } = {}) {
    const { merge, survivor, merged } = await merges.sides(req.ctx, id, (personId) => people.header(req.ctx, personId, 'person:view'))
    const moves = await deps.db
      .selectFrom('linkage_merge_moves')
      .select(['table_name', 'action'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merge_id', '=', merge.id)
      .groupBy(['table_name', 'action'])
      .orderBy('table_name')
      .execute()
    const names = await deps.db.selectFrom('users').select(['id', 'name']).where('id', 'in', [merge.requested_by, merge.decided_by, merge.undone_by].filter((x): x is string => Boolean(x))).execute()
    const agreements = await merges.agreements(merge.id)
    const user = req.ctx.user!
    const waiting = agreements.filter((g) => !g.agreed_at)
    await deps.audit.record(req.ctx, { action: 'view', recordType: 'linkage_merge', recordId: merge.id })
    res.status(extra.status ?? 200).render('linkage/views/merge.njk', {
      merge,
      survivor,
      merged,
      moves,
      agreements,
      waiting: waiting.length,
      conflictText: CONFLICT_TEXT,
      errors: extra.errors,
      userNames: Object.fromEntries(names.map((n) => [n.id, n.name])),
      canConfirm: user.permissions.has('linkage:confirm-merge') && merge.requested_by !== user.id && (waiting.length === 0 || waiting.some((g) => g.agency_id === user.agencyId)),
      canUndo: user.permissions.has('linkage:merge') && !survivor.summaryOnly && !merged.summaryOnly,
    })
  }

  routes.get('/linkage/merges/:id', { anyOf: ['linkage:merge', 'linkage:confirm-merge'] }, async (req, res) => mergePage(req, res, req.params.id))

  for (const action of ['confirm', 'decline', 'unmerge'] as const) {
    routes.post(`/linkage/merges/:id/${action}`, { permission: action === 'unmerge' ? 'linkage:merge' : 'linkage:confirm-merge' }, async (req, res) => {
      const parsed = parseForm(noteSchema, { note: req.body?.note ?? req.body?.reason })
      const note = parsed.ok ? parsed.value.note : null
      // An undo is a decision about a child's record as much as the merge was: it needs its reason.
      if (action === 'unmerge' && !note) return mergePage(req, res, req.params.id, { errors: formErrors([{ field: 'reason', message: 'Enter why the merge is being undone' }]), status: 400 })
      try {
        if (action === 'confirm') await merges.confirm(req.ctx, req.params.id, note)
        else if (action === 'decline') await merges.decline(req.ctx, req.params.id, note)
        else await merges.unmerge(req.ctx, req.params.id, note)
      } catch (err) {
        if (err instanceof MergeRefused) {
          flash(req, { type: 'important', text: err.message })
          return res.redirect(`/linkage/merges/${req.params.id}`)
        }
        throw err
      }
      const merge = await merges.merge(req.params.id)
      flash(req, {
        type: 'success',
        text: action === 'confirm' ? (merge?.status === 'completed' ? 'Merge confirmed: the records are merged' : 'Your agency’s agreement is recorded: the merge waits for the others') : action === 'decline' ? 'Merge declined: the records stay apart' : 'Merge undone: both records are restored as they were',
      })
      res.redirect(`/linkage/merges/${req.params.id}`)
    })
  }

  // ---- "Check for duplicates" from a person's page -------------------------------------------------
  routes.get('/linkage/people/:id/matches', { permission: 'linkage:merge' }, async (req, res) => {
    if (!z.string().uuid().safeParse(req.params.id).success) throw new NotFoundError()
    const matches = await entry.forPerson(req.ctx, req.params.id)
    const person = await people.header(req.ctx, req.params.id, 'linkage:merge')
    res.render('linkage/views/person-matches.njk', { person, matches })
  })

  // ---- Bulk runs ----------------------------------------------------------------------------------
  // Lantern's own people, deduplicated: no upload, no column mapping.
  routes.get('/linkage/runs/people', { permission: 'linkage:run' }, async (req, res) => {
    res.render('linkage/views/run-people.njk', { values: { name: `Lantern’s people, ${formatDate(deps.clock.today())}`, reviewFrom: '0.1', matchFrom: '0.9' } })
  })

  routes.post('/linkage/runs/people', { permission: 'linkage:run' }, async (req, res) => {
    const render = (errors: FormErrors) => res.status(400).render('linkage/views/run-people.njk', { values: req.body ?? {}, errors })
    const parsed = parseForm(peopleRunSchema, req.body)
    if (!parsed.ok) return render(parsed.errors)
    const result = await runs.peopleRun(req.ctx, parsed.value)
    if (!result.ok) return render(result.errors)
    flash(req, { type: 'success', text: 'Matching run complete' })
    res.redirect(`/linkage/runs/${result.value}`)
  })

  routes.get('/linkage/runs/new', { permission: 'linkage:run' }, async (req, res) => {
    res.render('linkage/views/run-new.njk', { kinds: KINDS, values: { kind: 'link' } })
  })

  routes.post('/linkage/runs/new', { permission: 'linkage:run' }, async (req, res) => {
    const refusal = await readUpload(upload, req, res)
    const render = (errors: FormErrors) => res.status(400).render('linkage/views/run-new.njk', { kinds: KINDS, values: req.body, errors })
    if (refusal) return render(formErrors([{ field: 'left', message: refusal === 'too-large' ? 'Each file must be smaller than 20 MB' : 'The files could not be read: choose CSV files' }]))
    const parsed = parseForm(uploadSchema, req.body)
    if (!parsed.ok) return render(parsed.errors)
    const files = (req.files ?? {}) as Record<string, Express.Multer.File[]>
    const file = (name: string) => {
      const f = files[name]?.[0]
      return f && f.size > 0 ? { name: f.originalname || `${name}.csv`, text: f.buffer.toString('utf8') } : undefined
    }
    const result = await runs.upload(req.ctx, { ...parsed.value, left: file('left'), right: file('right') })
    if (!result.ok) return render(result.errors)
    res.redirect(`/linkage/uploads/${result.value}`)
  })

  async function mappingPage(req: Request, res: Response, id: string, extra: { errors?: FormErrors; values?: Record<string, unknown> } = {}) {
    const data = await runs.upload_(req.ctx, id)
    const guessedLeft = guessMapping(data.leftHeaders)
    const guessedRight = data.rightHeaders ? guessMapping(data.rightHeaders) : {}
    const values = extra.values ?? {
      ...Object.fromEntries(FIELDS.map((f) => [`left-${f.role}`, guessedLeft[f.role] ?? ''])),
      ...Object.fromEntries(FIELDS.map((f) => [`right-${f.role}`, guessedRight[f.role] ?? ''])),
      reviewFrom: '0.1',
      matchFrom: '0.9',
    }
    res.status(extra.errors ? 400 : 200).render('linkage/views/mapping.njk', { ...data, fields: FIELDS, values, errors: extra.errors })
  }

  routes.get('/linkage/uploads/:id', { permission: 'linkage:run' }, async (req, res) => mappingPage(req, res, req.params.id))

  routes.post('/linkage/uploads/:id', { permission: 'linkage:run' }, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, string>
    const settings = parseForm(runSettingsSchema, body)
    if (!settings.ok) return mappingPage(req, res, req.params.id, { errors: settings.errors, values: body })
    const pick = (side: string) => Object.fromEntries(FIELDS.map((f) => [f.role, (body[`${side}-${f.role}`] ?? '').trim()]).filter(([, v]) => v)) as Partial<Record<Role, string>>
    const result = await runs.run(req.ctx, req.params.id, { left: pick('left'), right: pick('right'), ...settings.value })
    if (!result.ok) return mappingPage(req, res, req.params.id, { errors: result.errors, values: body })
    flash(req, { type: 'success', text: 'Matching run complete' })
    res.redirect(`/linkage/runs/${result.value}`)
  })

  routes.get('/linkage/runs/:id', { permission: 'linkage:run' }, async (req, res) => {
    res.render('linkage/views/run.njk', await runs.view(req.ctx, req.params.id))
  })

  async function pairView(req: Request) {
    const data = await runs.pair(req.ctx, String(req.params.id), String(req.params.pairId))
    return { ...data, pair: { ...data.pair, explanation: withRunning(data.pair.explanation as never) } }
  }

  async function clusterView(req: Request) {
    const { run, cluster } = await runs.cluster(req.ctx, String(req.params.id), String(req.params.pairId))
    const oneList = run.right_name === null
    const records = new Map<string, { list: string; id: string; record: Record<string, string> }>()
    for (const p of cluster.pairs) {
      records.set(recordKey('left', p.id_left, oneList), { list: run.left_name, id: p.id_left, record: p.record_left as Record<string, string> })
      records.set(recordKey('right', p.id_right, oneList), { list: run.right_name ?? run.left_name, id: p.id_right, record: p.record_right as Record<string, string> })
    }
    return { run, cluster, records: cluster.records.map((k) => records.get(k)!) }
  }

  routes.get('/linkage/runs/:id/clusters/:pairId', { permission: 'linkage:run' }, async (req, res) => {
    res.render('linkage/views/cluster.njk', { ...(await clusterView(req)), values: {} })
  })

  routes.post('/linkage/runs/:id/clusters/:pairId', { permission: 'linkage:run' }, async (req, res) => {
    const decisions = Object.fromEntries(
      Object.entries(req.body as Record<string, unknown>)
        .filter(([k]) => k.startsWith('decision-'))
        .map(([k, v]) => [k.slice('decision-'.length), decisionSchema.shape.decision.safeParse(v).data]),
    )
    const result = await runs.decideCluster(req.ctx, req.params.id, req.params.pairId, decisions)
    if (!result.ok) return res.status(400).render('linkage/views/cluster.njk', { ...(await clusterView(req)), values: req.body, errors: result.errors })
    flash(req, { type: 'success', text: `${result.value} decision${result.value === 1 ? '' : 's'} saved` })
    res.redirect(`/linkage/runs/${req.params.id}#queue`)
  })

  routes.get('/linkage/runs/:id/pairs/:pairId', { permission: 'linkage:run' }, async (req, res) => {
    res.render('linkage/views/pair.njk', { ...(await pairView(req)), values: {} })
  })

  routes.post('/linkage/runs/:id/pairs/:pairId', { permission: 'linkage:run' }, async (req, res) => {
    const parsed = parseForm(decisionSchema, req.body)
    if (!parsed.ok) return res.status(400).render('linkage/views/pair.njk', { ...(await pairView(req)), values: req.body, errors: parsed.errors })
    const next = await runs.decide(req.ctx, req.params.id, req.params.pairId, parsed.value.decision)
    flash(req, { type: 'success', text: { accepted: 'Pair accepted as the same person', rejected: 'Pair rejected: not the same person', unsure: 'Pair marked “not sure”: it is listed for a second opinion' }[parsed.value.decision] })
    res.redirect(next ? `/linkage/runs/${req.params.id}/pairs/${next}` : `/linkage/runs/${req.params.id}`)
  })

  return routes.router
}
