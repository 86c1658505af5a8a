import type { LanternModule } from '../types.ts'
import { peopleRoutes } from './routes.ts'
import { seedPeople } from './demo.ts'

export const peopleModule: LanternModule = {
  name: 'people',
  nav: [{ text: 'Subject access', href: '/subject-access', permission: 'person:disclose', order: 87 }],
  staffRoutes: peopleRoutes,
  seedDemo: seedPeople,
}
