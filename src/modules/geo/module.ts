import type { LanternModule } from '../types.ts'
import { geoRoutes } from './routes.ts'
import { seedPlaces } from './demo.ts'

/** The geographic map: locations of concern, cross-border lines and police.uk crimes over the local-authority basemap. */
export const geoModule: LanternModule = {
  name: 'geo',
  staffRoutes: geoRoutes,
  seedDemo: seedPlaces,
}
