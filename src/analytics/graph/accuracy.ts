// Its own file, with no graph code behind it, so that `lantern` can print it without loading the
// graph library at start-up.
import type { NetworkMetrics } from './metrics.ts'

/**
 * One sentence saying which measures are exact and which estimated, with an estimate's error:
 * what a reader of a broker list or node table needs before acting on a ranking.
 */
export function measuresAccuracy(estimate: NetworkMetrics['betweennessEstimate']): string {
  const communities = 'Communities come from the Louvain method, a heuristic with no exact answer to compare against.'
  if (!estimate) return `Degree, betweenness and closeness are exact: every shortest path was counted. ${communities}`
  const confidence = `${Math.round(100 * (1 - estimate.delta))}%`
  return (
    `Degree is exact. Betweenness is estimated from ${estimate.sources.toLocaleString('en-GB')} sampled sources: every value is within ` +
    `${estimate.epsilon.toPrecision(2)} of the exact value with ${confidence} confidence. Closeness was not computed. ${communities}`
  )
}
