import { z } from 'zod'
import type { GuardedRouter } from '../../web/routes.ts'
import { parseForm } from '../../web/forms.ts'
import type { ModuleDeps } from '../types.ts'
import { SHARED_KINDS, twoModeService, type SharedKind } from './two-mode.ts'
import { twoModeSvg } from './map/two-mode-svg.ts'

const twoModeSchema = z.object({
  by: z.enum(SHARED_KINDS.map((k) => k.value) as [SharedKind, ...SharedKind[]], { message: 'Select what the people share' }).default('line'),
})

/** `/network/two-mode`: people by the phones, addresses, vehicles or groups they share (added to the network module's router). */
export function twoModeRoutes(routes: GuardedRouter, deps: ModuleDeps): void {
  const twoMode = twoModeService(deps)
  const kinds = SHARED_KINDS.map((k) => ({ value: k.value, text: k.text }))

  routes.get('/network/two-mode', { permission: 'network:view' }, async (req, res) => {
    const values = { by: typeof req.query.by === 'string' ? req.query.by : 'line' }
    const parsed = parseForm(twoModeSchema, req.query)
    if (!parsed.ok) return res.status(400).render('network/views/two-mode.njk', { kinds, values, errors: parsed.errors })
    const view = await twoMode.peopleBy(req.ctx, parsed.value.by)
    const title = `People by the ${view.kind.plural} they are linked to`
    res.render('network/views/two-mode.njk', { kinds, values, view, title, svg: view.ties.length ? twoModeSvg(view, title) : null })
  })
}
