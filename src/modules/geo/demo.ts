import type { DemoSeed } from '../../demo/context.ts'
import { geoStore } from './store.ts'

/**
 * Where the demo's locations of concern are: near the real streets their invented addresses name.
 * The Basingstoke hotel is left unplaced, for an analyst to place on the map.
 */
const PLACES: Record<string, { latitude: number; longitude: number }> = {
  garyFlat: { latitude: 50.8727, longitude: -0.9853 },
  trapHouse: { latitude: 50.7987, longitude: -1.0838 },
  hotspot: { latitude: 51.2467, longitude: -0.7597 },
}

export async function seedPlaces(seed: DemoSeed) {
  const { db, refs } = seed
  const store = geoStore(db)
  for (const [key, place] of Object.entries(PLACES)) {
    const id = refs.network?.[key]
    if (id) await store.seedPlace(id, place)
  }
}
