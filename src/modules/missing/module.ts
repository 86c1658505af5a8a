import type { LanternModule } from '../types.ts'
import { missingRoutes } from './routes.ts'
import { seedMissing } from './demo.ts'
import { missingService } from './service.ts'

/** Missing episodes and return-home interviews. */
export const missingModule: LanternModule = {
  name: 'missing',
  staffRoutes: missingRoutes,
  worklists: (deps) => {
    const missing = missingService(deps)
    return (ctx) => missing.worklists(ctx)
  },
  seedDemo: seedMissing,
}
