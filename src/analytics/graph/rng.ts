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

/**
 * k integers drawn independently and uniformly from [0, n), repeats allowed: independent draws are
 * what the sampled betweenness's error bound assumes.
 */
export function sampleWithReplacement(n: number, k: number, random: () => number): Int32Array {
  const sample = new Int32Array(k)
  for (let i = 0; i < k; i++) sample[i] = Math.floor(random() * n)
  return sample
}
