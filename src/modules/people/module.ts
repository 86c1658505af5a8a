import type { LanternModule } from '../types.ts'
import { peopleRoutes } from './routes.ts'
import { seedPeople } from './demo.ts'

export const peopleModule: LanternModule = {
  name: 'people',
  staffRoutes: peopleRoutes,
  seedDemo: seedPeople,
}
