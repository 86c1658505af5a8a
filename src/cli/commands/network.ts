import { Command } from 'commander'
import { readFile } from 'node:fs/promises'
import type { BetweennessOptions, NetworkMetrics } from '../../analytics/graph/index.ts'
import { measuresAccuracy } from '../../analytics/graph/accuracy.ts'
import { TwoModeInputError, twoModeInput, twoModeJson, twoModeMetrics, twoModeTable } from './network-two-mode.ts'

/**
 * `lantern network ...`: network intelligence from the command line. `networkCommand` returns the
 * `network` group, creating it the first time, so other modules can add subcommands to it.
 */
export function networkCommand(program: Command): Command {
  const existing = program.commands.find((command) => command.name() === 'network')
  if (existing) return existing
  return program.command('network').description('network intelligence: link analysis of entities and links')
}

/**
 * Input a user can fix. This is not `UserError` from ../index.ts because importing that module
 * from a command deadlocks the CLI: index.ts loads the commands inside its top-level await, so a
 * command that imports it waits for it to finish (node exits with code 13). The action below
 * reports these errors the way index.ts reports a UserError: one line on stderr, exit code 1.
 */
export class NetworkInputError extends Error {}

export function register(program: Command): void {
  networkCommand(program)
    .command('metrics')
    .description(
      'degree, betweenness, closeness and Louvain community of every node of a network read from CSV. ' +
        'Undirected and unweighted unless asked: an edge wherever either direction is non-zero, self-loops dropped, ' +
        'betweenness normalised as 2*raw/((n-1)(n-2)). ' +
        'Two-mode networks (people by events, phones, vehicles or addresses): a matrix that is not square, or any with --two-mode, ' +
        'is an incidence matrix (rows one kind of node, columns the other); an edge list with source_type and target_type columns ' +
        'names each end\'s kind (two kinds, every row joining one of each). For those it prints degree, betweenness and closeness ' +
        'on the two-mode graph and the bipartite density, and with --projections both one-mode projections (pairs weighted by what they share).',
    )
    .option('--adjacency <file>', 'adjacency matrix CSV: first row and first column are node labels (not square: a two-mode incidence matrix)')
    .option('--edges <file>', 'edge list CSV with a header: source,target[,weight], or source,source_type,target,target_type[,weight] for two-mode')
    .option('--two-mode', 'read a square --adjacency matrix as an incidence matrix: rows one kind of node, columns the other')
    .option('--projections', 'two-mode: also print both one-mode projections, each pair with how many nodes of the other kind it shares')
    .option('--directed', 'keep direction: an arc wherever a cell is non-zero')
    .option('--weighted', 'use the values: as path lengths (distances, as igraph does) and as tie strengths for communities')
    .option('--sample <k>', 'estimate betweenness from K sources drawn at random (seeded), with its error bound; closeness is then not computed')
    .option('--epsilon <e>', 'estimate betweenness until every value is within E of exact with 95% confidence (exact when that is cheaper)')
    .option('--seed <n>', 'seed of the sample (default 1: the same estimate every run)')
    .option('--threads <n>', 'worker threads for betweenness (default: every core for large networks, one for small)')
    .option('--json', 'print JSON')
    .action(async (options: MetricsOptions) => {
      try {
        const { file, text } = await readInput(options)
        const twoMode = await twoModeInput(text, options, file)
        if (twoMode) {
          const result = await twoModeMetrics(twoMode, options)
          process.stdout.write(options.json ? twoModeJson(result) : twoModeTable(result))
          return
        }
        const result = await metricsFromText(text, options, file)
        process.stdout.write(options.json ? metricsJson(result) : metricsTable(result))
      } catch (err) {
        if (!(err instanceof NetworkInputError || err instanceof TwoModeInputError)) throw err
        process.stderr.write(`lantern: ${err.message}\n`)
        process.exitCode = 1
      }
    })
}

export interface MetricsOptions {
  adjacency?: string
  edges?: string
  directed?: boolean
  weighted?: boolean
  sample?: string
  epsilon?: string
  seed?: string
  threads?: string
  json?: boolean
  twoMode?: boolean
  projections?: boolean
}

/** The betweenness options a command line asks for; a bad value is a NetworkInputError naming the flag. */
export function betweennessFlags(options: MetricsOptions): BetweennessOptions {
  const whole = (flag: string, value: string | undefined, least: number) => {
    if (value === undefined) return undefined
    const n = Number(value)
    if (value.trim() === '' || !Number.isInteger(n) || n < least) throw new NetworkInputError(`${flag} must be a whole number of at least ${least} (got "${value}")`)
    return n
  }
  if (options.sample !== undefined && options.epsilon !== undefined) throw new NetworkInputError('give --sample or --epsilon, not both')
  let epsilon: number | undefined
  if (options.epsilon !== undefined) {
    epsilon = Number(options.epsilon)
    if (options.epsilon.trim() === '' || !(epsilon > 0 && epsilon < 1)) throw new NetworkInputError(`--epsilon must be a number between 0 and 1 (got "${options.epsilon}")`)
  }
  return { pivots: whole('--sample', options.sample, 1), epsilon, seed: whole('--seed', options.seed, 0), threads: whole('--threads', options.threads, 1) }
}

/** Reads and analyses the file; input problems become a NetworkInputError naming the file, row and column. */
export async function metricsFromFile(options: MetricsOptions): Promise<NetworkMetrics> {
  const { file, text } = await readInput(options)
  return metricsFromText(text, options, file)
}

async function readInput(options: MetricsOptions): Promise<{ file: string; text: string }> {
  const file = options.adjacency ?? options.edges
  if (!file || (options.adjacency && options.edges)) throw new NetworkInputError('give one of --adjacency FILE or --edges FILE')
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new NetworkInputError(`cannot read ${file}: ${(err as Error).message}`)
  }
  return { file, text }
}

export async function metricsFromText(text: string, options: MetricsOptions, file = 'input'): Promise<NetworkMetrics> {
  // Imported here so that `lantern` starts without the graph library (see foundation.ts).
  const { GraphInputError, graphFromParsed, networkMetrics, parseAdjacencyCsv, parseEdgeListCsv } = await import('../../analytics/graph/index.ts')
  const parseOptions = { directed: options.directed, positive: options.weighted }
  const sampling = betweennessFlags(options)
  let parsed
  try {
    parsed = options.adjacency ? parseAdjacencyCsv(text, parseOptions) : parseEdgeListCsv(text, parseOptions)
  } catch (err) {
    if (err instanceof GraphInputError) throw new NetworkInputError(`${file}: ${err.message}`)
    throw err
  }
  return networkMetrics(graphFromParsed(parsed), { ...sampling, weightAttribute: options.weighted ? 'weight' : undefined })
}

/**
 * `{"nodes": n, "edges": m, "components": k, "nodes_metrics": {"<label>": {"degree": d,
 * "betweenness": b, "closeness": c, "community": id}}}` on one line, nodes in file order. Closeness
 * is null where igraph gives NaN (a node that reaches no other). An estimate adds
 * `"betweenness_estimate": {"sources": k, "epsilon": e, "confidence": 0.95}` after "components"
 * (every betweenness within e of exact with that confidence; closeness then null).
 */
export function metricsJson(result: NetworkMetrics): string {
  const number = (x: number) => (Number.isFinite(x) ? JSON.stringify(x) : 'null')
  const nodes = [...result.metrics].map(
    ([label, m]) =>
      `${JSON.stringify(label)}: {"degree": ${m.degree}, "betweenness": ${number(m.betweenness)}, "closeness": ${number(m.closeness)}, "community": ${m.community}}`,
  )
  const estimate = result.betweennessEstimate
  const estimated = estimate
    ? `, "betweenness_estimate": {"sources": ${estimate.sources}, "epsilon": ${number(estimate.epsilon)}, "confidence": ${JSON.stringify(1 - estimate.delta)}}`
    : ''
  return `{"nodes": ${result.nodes}, "edges": ${result.edges}, "components": ${result.components}${estimated}, "nodes_metrics": {${nodes.join(', ')}}}\n`
}

/** A readable table, highest betweenness first. */
export function metricsTable(result: NetworkMetrics): string {
  const rows = [...result.metrics].sort((a, b) => b[1].betweenness - a[1].betweenness)
  const width = Math.max(5, ...rows.map(([label]) => label.length))
  const lines = [
    `${result.nodes} nodes, ${result.edges} edges, ${result.components} component(s), ${result.communities} communities`,
    measuresAccuracy(result.betweennessEstimate),
    `${'node'.padEnd(width)}  degree  betweenness  closeness  community`,
    ...rows.map(
      ([label, m]) =>
        `${label.padEnd(width)}  ${String(m.degree).padStart(6)}  ${m.betweenness.toFixed(6).padStart(11)}  ${(Number.isNaN(m.closeness) ? '-' : m.closeness.toFixed(6)).padStart(9)}  ${String(m.community).padStart(9)}`,
    ),
  ]
  return lines.join('\n') + '\n'
}
