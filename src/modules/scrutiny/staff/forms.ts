import type { Request, Response } from 'express'
import type { z } from 'zod'
import { parseForm } from '../../../web/forms.ts'
import { formErrors, type FormErrors } from '../../../kernel/form-errors.ts'
import { flash } from '../../../web/middleware/current-user.ts'
import { MAX_FILE_BYTES, type Result, type ScrutinyService, type UploadedFile } from '../service.ts'
import { CHANNELS, EVENT_KINDS, EVIDENCE_EVENTS, MEETING_STATUSES, collapseDates } from '../schemas.ts'
import { BODY_KINDS, ITEM_KINDS, ORGANISATION_KINDS, RAGS, REQUEST_TYPES, STATUSES, WORK_STATUSES } from '../domain.ts'
import { megabytes, receiveFile } from '../upload.ts'
import type { GuardedRouter } from '../../../web/routes.ts'
import type { ModuleDeps } from '../../types.ts'
import type { StrategyService } from '../strategy.ts'
import type { EventsService } from '../events.ts'
import type { TraceService } from '../trace.ts'

export const M = '/scrutiny/manage'

/** Points the error summary's links at the ids a page really uses when a form's fields are renamed there. */
export function retarget(errors: FormErrors, ids: Record<string, string>): FormErrors {
  return { ...errors, errorList: errors.errorList.map((e) => ({ ...e, href: ids[e.href.slice(1)] ? `#${ids[e.href.slice(1)]}` : e.href })) }
}

/**
 * A posted form read with its schema (GOV.UK date inputs folded into ISO dates first) and acted
 * on: the service's answer, or the form's own errors. A service that answers nothing succeeded.
 */
export async function submitted<S extends z.ZodType, T = undefined>(req: Request, schema: S, act: (value: z.infer<S>) => Promise<Result<T> | void>, dates: string[] = []): Promise<Result<T>> {
  const parsed = parseForm(schema, collapseDates(req.body, dates))
  if (!parsed.ok) return parsed
  return (await act(parsed.value)) ?? { ok: true, value: undefined as T }
}

/** A form with one file: a file over the size limit is a form error like the form's own. */
export async function uploaded<S extends z.ZodType, T>(
  req: Request,
  res: Response,
  schema: S,
  act: (value: z.infer<S>, file: UploadedFile | undefined) => Promise<Result<T>>,
  maxBytes = MAX_FILE_BYTES,
): Promise<Result<T>> {
  const { file, tooLarge } = await receiveFile(req, res, maxBytes)
  if (tooLarge) return { ok: false, errors: formErrors([{ field: 'file', message: `The selected file must be smaller than ${megabytes(maxBytes)}` }]) }
  return submitted(req, schema, (value) => act(value, file))
}

/** Saved: the success message goes to the next page, and the browser there. */
export function saved(req: Request, res: Response, text: string, url: string) {
  flash(req, { type: 'success', text })
  res.redirect(url)
}

export function options() {
  return {
    bodyKinds: BODY_KINDS,
    itemKinds: ITEM_KINDS.map((k) => ({ value: k.value, text: k.text })),
    requestTypes: REQUEST_TYPES,
    statuses: STATUSES,
    rags: RAGS,
    workStatuses: WORK_STATUSES,
    meetingStatuses: MEETING_STATUSES,
    evidenceEvents: EVIDENCE_EVENTS,
    channels: CHANNELS,
    eventKinds: EVENT_KINDS,
    organisationKinds: ORGANISATION_KINDS,
  }
}

/** What every staff page's routes are built from: the router and the module's services, each built once. */
export interface StaffContext {
  routes: GuardedRouter
  deps: ModuleDeps
  scrutiny: ScrutinyService
  strategy: StrategyService
  events: EventsService
  tracing: TraceService
}
