import type { BipartiteNetwork, ProjectionMeasures, Projection, TwoModeMeasures } from '../../analytics/graph/index.ts'

/**
 * The two-mode half of `lantern network metrics` (registered in network.ts): a non-square matrix
 * (or any matrix with --two-mode) read as an incidence matrix, or an edge list with `source_type`
 * and `target_type` columns. Kept in its own file so that the one-mode command stays as it was.
 */

export interface TwoModeOptions {
  adjacency?: string
  edges?: string
  twoMode?: boolean
  projections?: boolean
  directed?: boolean
  weighted?: boolean
  sample?: string
  epsilon?: string
}

export interface TwoModeProjection {
  projection: Projection
  measures: ProjectionMeasures
}

export interface TwoModeResult {
  network: BipartiteNetwork
  modes: [string, string]
  measures: TwoModeMeasures
  projections?: [TwoModeProjection, TwoModeProjection]
}

/** Problems with the input as one line, as the one-mode command reports them. */
export class TwoModeInputError extends Error {}

/**
 * The two-mode network the file holds, or null when it is an ordinary (one-mode) network. Throws
 * TwoModeInputError naming the file, row and column for a two-mode file a user can fix.
 */
export async function twoModeInput(text: string, options: TwoModeOptions, file = 'input'): Promise<BipartiteNetwork | null> {
  const { GraphInputError, hasTypeColumns, isNonSquareMatrix, parseIncidenceCsv, parseTwoModeEdgeCsv } = await import('../../analytics/graph/index.ts')
  try {
    const twoMode = options.adjacency ? options.twoMode || isNonSquareMatrix(text) : hasTypeColumns(text)
    if (!twoMode) {
      if (options.twoMode) throw new TwoModeInputError('--two-mode reads a matrix (--adjacency); an edge list is two-mode when it has source_type and target_type columns')
      return null
    }
    for (const [flag, given] of [['--directed', options.directed], ['--weighted', options.weighted], ['--sample', options.sample], ['--epsilon', options.epsilon]] as const) {
      if (given !== undefined && given !== false) throw new TwoModeInputError(`${flag} is not for a two-mode network (its measures are exact, undirected and unweighted, as igraph's)`)
    }
    return options.adjacency ? parseIncidenceCsv(text) : parseTwoModeEdgeCsv(text)
  } catch (err) {
    if (err instanceof GraphInputError) throw new TwoModeInputError(`${file}: ${err.message}`)
    throw err
  }
}

export async function twoModeMetrics(network: BipartiteNetwork, options: TwoModeOptions): Promise<TwoModeResult> {
  const { projection, projectionMeasures, twoModeMeasures } = await import('../../analytics/graph/index.ts')
  const modes = network.modes ?? ['row', 'column']
  const measures = await twoModeMeasures(network)
  if (!options.projections) return { network, modes, measures }
  const project = async (mode: 'first' | 'second') => {
    const projected = projection(network, mode)
    return { projection: projected, measures: await projectionMeasures(projected) }
  }
  return { network, modes, measures, projections: [await project('first'), await project('second')] }
}

const number = (x: number) => (Number.isFinite(x) ? JSON.stringify(x) : 'null')

/**
 * `{"two_mode": true, "modes": [a, b], "nodes": {a: n, b: m}, "ties": t, "components": k,
 * "density": d, "nodes_metrics": {a: {label: {"degree", "betweenness", "closeness"}}, b: {...}}}` on
 * one line, and with --projections `"projections": {a: {"nodes", "edges", "density", "components",
 * "nodes_metrics": {label: {"degree", "strength", "betweenness", "closeness"}}, "pairs": [[x, y,
 * shared]]}, b: {...}}`.
 */
export function twoModeJson(result: TwoModeResult): string {
  const [a, b] = result.modes
  const m = result.measures
  const nodeMetrics = (map: Map<string, { degree: number; betweenness: number; closeness: number; strength?: number }>) =>
    `{${[...map]
      .map(([label, n]) => `${JSON.stringify(label)}: {"degree": ${n.degree}${n.strength === undefined ? '' : `, "strength": ${n.strength}`}, "betweenness": ${number(n.betweenness)}, "closeness": ${number(n.closeness)}}`)
      .join(', ')}}`
  const projections = result.projections
    ? `, "projections": {${result.projections
        .map(({ projection, measures }, i) => {
          const pairs = projection.edges.map((e) => `[${JSON.stringify(projection.labels[e.source])}, ${JSON.stringify(projection.labels[e.target])}, ${e.weight}]`)
          return `${JSON.stringify(result.modes[i])}: {"nodes": ${measures.nodes}, "edges": ${measures.edges}, "density": ${number(measures.density)}, "components": ${measures.components}, "nodes_metrics": ${nodeMetrics(measures.byNode)}, "pairs": [${pairs.join(', ')}]}`
        })
        .join(', ')}}`
    : ''
  return (
    `{"two_mode": true, "modes": [${JSON.stringify(a)}, ${JSON.stringify(b)}], "nodes": {${JSON.stringify(a)}: ${m.nodes.first}, ${JSON.stringify(b)}: ${m.nodes.second}}, ` +
    `"ties": ${m.ties}, "components": ${m.components}, "density": ${number(m.density)}, ` +
    `"nodes_metrics": {${JSON.stringify(a)}: ${nodeMetrics(m.first)}, ${JSON.stringify(b)}: ${nodeMetrics(m.second)}}${projections}}\n`
  )
}

const fixed = (x: number, width: number) => (Number.isNaN(x) ? '-' : x.toFixed(6)).padStart(width)

/** Readable tables: each mode by degree, then (with --projections) each projection and its pairs, most shared first. */
export function twoModeTable(result: TwoModeResult): string {
  const [a, b] = result.modes
  const m = result.measures
  const lines = [
    `Two-mode network: ${m.nodes.first} ${a}, ${m.nodes.second} ${b}, ${m.ties} ties, ${m.components} component(s), bipartite density ${m.density.toFixed(6)}`,
    `Degree, betweenness and closeness are exact, measured on the two-mode graph (betweenness normalised over all ${m.nodes.first + m.nodes.second} nodes, as igraph does).`,
  ]
  for (const [mode, map] of [[a, m.first], [b, m.second]] as const) {
    const rows = [...map].sort((x, y) => y[1].degree - x[1].degree || y[1].betweenness - x[1].betweenness)
    const width = Math.max(mode.length, ...rows.map(([label]) => label.length))
    lines.push('', `${mode.padEnd(width)}  degree  betweenness  closeness`)
    for (const [label, n] of rows) lines.push(`${label.padEnd(width)}  ${String(n.degree).padStart(6)}  ${fixed(n.betweenness, 11)}  ${fixed(n.closeness, 9)}`)
  }
  result.projections?.forEach(({ projection, measures }, i) => {
    const mode = result.modes[i]
    const other = result.modes[1 - i]
    const rows = [...measures.byNode].sort((x, y) => y[1].strength - x[1].strength || y[1].degree - x[1].degree)
    const width = Math.max(mode.length, ...rows.map(([label]) => label.length))
    lines.push(
      '',
      `Projection onto ${mode}: ${measures.nodes} nodes, ${measures.edges} edge(s) (pairs sharing at least one ${other}), density ${fixed(measures.density, 0)}, ${measures.components} component(s)`,
      `${mode.padEnd(width)}  partners  shared  betweenness  closeness`,
      ...rows.map(([label, n]) => `${label.padEnd(width)}  ${String(n.degree).padStart(8)}  ${String(n.strength).padStart(6)}  ${fixed(n.betweenness, 11)}  ${fixed(n.closeness, 9)}`),
      '',
      `Pairs of ${mode} by ${other} shared, most first:`,
      ...[...projection.edges]
        .sort((x, y) => y.weight - x.weight || x.source - y.source || x.target - y.target)
        .map((e) => `${projection.labels[e.source]} - ${projection.labels[e.target]}: ${e.weight}`),
    )
    if (projection.edges.length === 0) lines.push('none')
  })
  return lines.join('\n') + '\n'
}
