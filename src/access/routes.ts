import { Router } from 'express'
import { z } from 'zod'
import type { AccessService } from './service.ts'
import { parseForm } from '../web/forms.ts'
import { isLocalPath } from '../web/local-path.ts'

const breakGlassSchema = z.object({
  recordType: z.string().min(1),
  recordId: z.string().uuid(),
  reason: z.string().trim().min(10, 'Explain why you need to see this record, in at least 10 characters').max(1000, 'Reason must be 1,000 characters or fewer'),
  returnTo: z.string().refine(isLocalPath, 'Invalid return address'),
})

/** Recording a justification ("break glass") to open a record outside need-to-know. */
export function accessRoutes(access: AccessService): Router {
  const router = Router()
  router.post('/access/break-glass', async (req, res) => {
    const parsed = parseForm(breakGlassSchema, req.body)
    if (!parsed.ok) {
      return res.status(400).render('pages/forbidden.njk', {
        message: 'You do not have a need to know for this record',
        reason: 'need-to-know',
        canBreakGlass: access.can(req.ctx, 'break-glass'),
        recordType: req.body?.recordType,
        recordId: req.body?.recordId,
        returnTo: req.body?.returnTo,
        errors: parsed.errors,
        values: req.body,
      })
    }
    const target = await access.breakGlassTarget(parsed.value.recordType, parsed.value.recordId)
    await access.breakGlass(req.ctx, target, parsed.value.reason)
    res.redirect(parsed.value.returnTo)
  })
  return router
}
