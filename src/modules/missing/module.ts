import type { LanternModule } from '../types.ts'
import { missingRoutes } from './routes.ts'
import { seedMissing } from './demo.ts'

/** Missing episodes and return-home interviews. */
export const missingModule: LanternModule = {
  name: 'missing',
  staffRoutes: missingRoutes,
  seedDemo: seedMissing,
}
