import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { entryService, type EntryMatch } from './entry.ts'

/**
 * People the user may see with names like the text ("Kyle Mash" finds Kyle Marsh), weighed by the
 * duplicate check's own name comparisons, for the register's search. Audited as a search.
 */
export function similarNames(deps: ModuleDeps, ctx: RequestContext, text: string, limit = 10): Promise<EntryMatch[]> {
  return entryService(deps).byName(ctx, text, 'register:view', { limit })
}
