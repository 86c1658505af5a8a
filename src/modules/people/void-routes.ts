import type { Request, Response } from 'express'
import type { GuardedRouter } from '../../web/routes.ts'
import type { FormErrors } from '../../kernel/form-errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { readVoidForm, type VoidInput } from './voiding.ts'

/** What the confirm page shows of the record about to be voided. */
export interface VoidTarget {
  person: { id: string; given_name: string; displayName: string }
  version: number
  /** Which one, after its noun: "reported 3 November 2026 at 21:40". */
  label: string
  summaryRows: { key: { text: string }; value: { text: string } }[]
  /** Where the record is shown, and where the user goes back to. */
  back: string
}

/**
 * The void journey for one kind of record on a person: GET `path` shows the confirm page, POST
 * voids with the reason (required; answers kept on an error) and goes back to the record. Both
 * need person:edit, as changing the record does; the service checks need-to-know.
 */
export function voidRoutes(
  routes: GuardedRouter,
  path: `/people/:id/${string}/void`,
  spec: {
    section: string
    /** The record as a noun: "missing episode". */
    record: string
    load: (req: Request) => Promise<VoidTarget>
    void: (req: Request, input: VoidInput) => Promise<void>
    /** Where the user lands once it is voided: where the struck-through record is shown. */
    done: (req: Request) => string
  },
) {
  async function page(req: Request, res: Response, status: number, values: Record<string, unknown>, errors?: FormErrors) {
    const target = await spec.load(req)
    res.status(status).render('people/views/void-confirm.njk', {
      person: target.person,
      section: spec.section,
      record: spec.record,
      recordLabel: target.label,
      summaryRows: target.summaryRows,
      action: req.originalUrl.split('?')[0],
      back: target.back,
      values: { ...values, version: values.version ?? target.version },
      errors,
    })
  }
  routes.get(path, { permission: 'person:edit' }, (req, res) => page(req, res, 200, {}))
  routes.post(path, { permission: 'person:edit' }, async (req, res) => {
    const form = readVoidForm(req.body)
    if (!form.ok) return page(req, res, 400, { reason: req.body?.reason, version: req.body?.version }, form.errors)
    await spec.void(req, form.value)
    flash(req, { type: 'success', text: `${spec.record[0].toUpperCase()}${spec.record.slice(1)} voided` })
    res.redirect(spec.done(req))
  })
}
