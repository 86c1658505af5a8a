/**
 * False discovery control across many tests (every indicator in every area): the
 * Benjamini-Hochberg step-up method, as R's `p.adjust(p, method = "BH")`. A test is flagged when
 * its adjusted p-value is below the chosen rate (0.05), so that of all flags, about 1 in 20 or
 * fewer is expected to be chance, wherever the flag appears.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const n = pValues.length
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => b.p - a.p || b.i - a.i)
  const adjusted = new Array<number>(n)
  let running = 1
  order.forEach(({ p, i }, k) => {
    const rank = n - k
    running = Math.min(running, (p * n) / rank)
    adjusted[i] = Math.min(1, running)
  })
  return adjusted
}
