/**
 * Lantern's link analysis: pure functions over graphology graphs, knowing nothing of HTTP or the
 * database. A typical page:
 *
 * ```ts
 * const network = buildNetwork({ entities, links }, { around: { ids: [lineId], steps: 2 } })
 * const table = await networkMetrics(network)          // degree, betweenness, closeness, community
 * const ranked = await brokers(network, { betweenness: new Map([...table.metrics].map(([k, m]) => [k, m.betweenness])) })
 * ```
 *
 * Betweenness and closeness match python-igraph (see fixtures/ and docs/performance/graph.md).
 * Large scopes: pass `{ pivots: 64 }` or `{ epsilon: 0.01 }` for a sampled betweenness estimate with a
 * stated error bound (see betweenness-estimate.ts).
 */

export { ENTITY_KINDS } from './model.ts'
export type { Entity, EntityKind, Rag, Grade, Link, LinkStatus, NetworkData, NodeAttributes, EdgeAttributes } from './model.ts'

/** Scoping: the graph for a date range, grades, statuses, or one entity's network within N steps. */
export { buildNetwork } from './network.ts'
export type { Network, Scope } from './network.ts'

/** Connected components, largest first. */
export { components } from './components.ts'

/** Degree, betweenness and closeness of every node (betweenness exact, or sampled with `pivots`). */
export { centralities } from './centrality.ts'
export type { Centralities, CentralityOptions, NodeCentrality } from './centrality.ts'

/** Seeded, deterministic Louvain communities. */
export { communities } from './communities.ts'
export type { Communities, CommunityOptions } from './communities.ts'

/** The whole node table (degree, betweenness, closeness, community) plus counts. */
export { measuresAccuracy } from './accuracy.ts'
export { networkMetrics } from './metrics.ts'
export type { NetworkMetrics, NetworkMetricsOptions, NodeMetrics } from './metrics.ts'

/** Shortest path between two entities; entities of a kind (children by default) within N steps. */
export { shortestPath, shortestPaths, nearby, childrenNear } from './paths.ts'
export type { Path, NearbyEntity } from './paths.ts'

/** The nodes whose removal splits the network most. */
export { brokers, removalEffects } from './brokers.ts'
export type { Broker, BrokerOptions, RemovalEffects } from './brokers.ts'

/** Deal lines linked into local authorities other than their own, and counts by area pair. */
export { crossBorderLines, crossBorderPairs } from './cross-border.ts'
export type { CrossBorderLine, ImportingArea, AreaPair } from './cross-border.ts'

/** The fast kernel, for callers that hold their own compact graph (benchmarks, large imports). */
export { betweenness, betweennessSync } from './betweenness.ts'
export type { BetweennessError, BetweennessOptions, BetweennessResult } from './betweenness.ts'

/** Exact betweenness over pairs two steps apart (igraph's cutoff = 2), the estimator's unsampled part. */
export { twoStepBetweenness } from './two-step-betweenness.ts'
export { compactFromEdges, compactFromGraphology } from './compact.ts'
export type { CompactGraph, CompactOptions } from './compact.ts'

/** Reading networks from adjacency-matrix or edge-list CSV, with errors naming row and column. */
export { parseAdjacencyCsv, parseEdgeListCsv, graphFromParsed, GraphInputError } from './csv-input.ts'
export type { ParsedNetwork, EdgeRecord, ParseOptions } from './csv-input.ts'

/** How well an estimate ranks nodes against exact values (Spearman; top-k overlap). */
export { spearman, topOverlap } from './rank-agreement.ts'

export { randomEdges } from './random-graph.ts'
export { seededRandom } from './rng.ts'

/** Two-mode networks (people by events, phones, vehicles or addresses): projections and measures, as python-igraph. */
export { bipartiteDensity, bipartiteNetwork, neighbours, projection, projectionMeasures, projectionSize, twoModeMeasures } from './bipartite.ts'
export type { BipartiteNetwork, BipartiteTie, Mode, Projection, ProjectionEdge, ProjectionMeasures, ProjectedNode, TwoModeMeasures } from './bipartite.ts'
export { hasTypeColumns, isNonSquareMatrix, parseIncidenceCsv, parseTwoModeEdgeCsv } from './bipartite-input.ts'
