/** The p-th percentile (nearest rank) of values sorted ascending. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

/** Median, 95th and 99th percentiles and the slowest of a set of timings. */
export function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b)
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] }
}

/** Milliseconds for a table: two decimals under 10, one above. */
export const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1)
