/**
 * How well an estimate ranks nodes against the exact values: what an analyst reading a "top
 * brokers" list relies on. Used by the tests and benches of the sampled betweenness.
 */

/** Ranks from 0, ties sharing the mean of their positions (as Spearman's correlation needs). */
function ranks(xs: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: xs.length }, (_, i) => i).sort((a, b) => xs[a] - xs[b])
  const result = new Float64Array(xs.length)
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && xs[order[j + 1]] === xs[order[i]]) j++
    for (let k = i; k <= j; k++) result[order[k]] = (i + j) / 2
    i = j + 1
  }
  return result
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length
  let meanA = 0
  let meanB = 0
  for (let i = 0; i < n; i++) {
    meanA += a[i] / n
    meanB += b[i] / n
  }
  let ab = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < n; i++) {
    ab += (a[i] - meanA) * (b[i] - meanB)
    aa += (a[i] - meanA) ** 2
    bb += (b[i] - meanB) ** 2
  }
  return ab / Math.sqrt(aa * bb)
}

/** Spearman's rank correlation: Pearson's correlation of the ranks, ties at their mean rank. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(ranks(a), ranks(b))
}

/** How many of the k highest of `exact` are among the k highest of `estimate` (ties broken by node index). */
export function topOverlap(estimate: ArrayLike<number>, exact: ArrayLike<number>, k: number): number {
  const top = (xs: ArrayLike<number>) => new Set(Array.from({ length: xs.length }, (_, i) => i).sort((i, j) => xs[j] - xs[i] || i - j).slice(0, k))
  const wanted = top(exact)
  return [...top(estimate)].filter((i) => wanted.has(i)).length
}
