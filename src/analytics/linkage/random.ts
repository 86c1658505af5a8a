/**
 * A small seeded generator (mulberry32). Training draws random pairs; with a fixed seed the same
 * input gives the same model, so a run can be repeated exactly.
 */
export type Random = () => number

export function createRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function randomInt(random: Random, below: number): number {
  return Math.floor(random() * below)
}
