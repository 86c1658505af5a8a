/**
 * A small seeded generator (mulberry32), so Louvain, pivot sampling and generated benchmark graphs
 * give the same answer on every run.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** k distinct integers from [0, n), in random order (partial Fisher-Yates). */
export function sampleWithoutReplacement(n: number, k: number, random: () => number): Int32Array {
  const pool = new Int32Array(n)
  for (let i = 0; i < n; i++) pool[i] = i
  const take = Math.min(k, n)
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (n - i))
    const t = pool[i]
    pool[i] = pool[j]
    pool[j] = t
  }
  return pool.slice(0, take)
}
