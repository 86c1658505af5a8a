import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ForbiddenError } from '../../kernel/errors.ts'
import { peopleService } from './service.ts'

export const BASIS_LABELS = {
  owner: 'Their agency owns the record',
  'shared-agency': 'Shared with their agency',
  'shared-user': 'Shared with them',
  'break-glass': 'Break glass (a recorded reason)',
  other: 'None recorded',
} as const

/**
 * "Who has looked at this record": the record's views and exports from the audit trail, for a
 * manager of the owning agency (person:viewers). A share or break glass does not open it: it is
 * the owner's account of who has seen their record. Reading it is audited as a view.
 */
export function viewersService(deps: ModuleDeps) {
  const people = peopleService(deps)
  return {
    async list(ctx: RequestContext, personId: string) {
      const person = await people.header(ctx, personId, 'person:viewers')
      if (person.owner_agency_id !== ctx.user!.agencyId) {
        await deps.audit.record(ctx, { action: 'access-denied', recordType: 'person', recordId: personId, details: { permission: 'person:viewers', reason: 'not the owning agency' } })
        throw new ForbiddenError('Only managers of the agency that owns this record see who has looked at it', { reason: 'need-to-know', canBreakGlass: false, recordType: 'person', recordId: personId })
      }
      await deps.audit.record(ctx, { action: 'view', recordType: 'person', recordId: personId, details: { page: 'viewers' } })
      const viewers = await deps.audit.viewers('person', personId, person.owner_agency_id)
      return { person, viewers: viewers.map((v) => ({ ...v, basisLabel: BASIS_LABELS[v.basis] })) }
    },
  }
}
