import { z } from 'zod'
import type { ModuleDeps } from '../../types.ts'
import type { RequestContext } from '../../../kernel/context.ts'
import { requireUser, SCOPE_LIMITS } from '../service.ts'
import type { ScopeInput } from '../schemas.ts'
import { mapLayoutsStore } from './layouts-store.ts'
import type { MapPositions } from './map-data.ts'

/** One saved layout for each scope an analyst opens: the partnership, an operation, an entity's network. */
export function layoutScopeKey(scope: Pick<ScopeInput, 'scope' | 'operationId' | 'entityId'>): string {
  if (scope.scope === 'operation') return `operation:${scope.operationId}`
  if (scope.scope === 'entity') return `entity:${scope.entityId}`
  return 'all'
}

const coordinate = z.number().min(-1e6).max(1e6)
const positionsSchema = z.record(z.string().uuid(), z.object({ x: coordinate, y: coordinate }))

/** Saving and reading an analyst's own arrangement of a map. */
export function mapLayouts(deps: ModuleDeps) {
  const store = mapLayoutsStore(deps.db)
  return {
    async layoutFor(ctx: RequestContext, scope: ScopeInput): Promise<MapPositions | undefined> {
      const saved = await store.find(requireUser(ctx).id, layoutScopeKey(scope))
      return saved ? new Map(Object.entries(saved)) : undefined
    },

    /** Keeps the places the analyst gave the map's entities; false when what was sent is not a layout. */
    async saveLayout(ctx: RequestContext, scope: ScopeInput, positionsJson: unknown): Promise<boolean> {
      await deps.access.authorise(ctx, 'network:view')
      let parsed: unknown
      try {
        parsed = typeof positionsJson === 'string' && positionsJson.length < 200_000 ? JSON.parse(positionsJson) : undefined
      } catch {
        return false
      }
      const positions = positionsSchema.safeParse(parsed)
      if (!positions.success || Object.keys(positions.data).length > SCOPE_LIMITS.entities) return false
      await store.save(requireUser(ctx).id, layoutScopeKey(scope), positions.data)
      return true
    },
  }
}
