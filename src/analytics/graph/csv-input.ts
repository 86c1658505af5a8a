import { DirectedGraph, UndirectedGraph } from 'graphology'
import type { AbstractGraph, Attributes } from 'graphology-types'
import { parse } from 'csv-parse/sync'
import { controlCharacterProblem, findControlCharacter } from '../../kernel/control-characters.ts'

/**
 * Reading a network from CSV: an adjacency matrix (first row and first column are node labels,
 * as in the CAVIAR files) or an edge list (a header naming source, target and optionally weight).
 */

/** Input a user can fix. `row` and `column` count from 1, as a spreadsheet shows them. */
export class GraphInputError extends Error {
  constructor(
    message: string,
    readonly row?: number,
    readonly column?: number,
  ) {
    super(row === undefined ? message : `row ${row}${column === undefined ? '' : `, column ${column}`}: ${message}`)
    this.name = 'GraphInputError'
  }
}

export interface EdgeRecord {
  source: number
  target: number
  /** Undirected: the two directions' values added (total calls between the pair). */
  weight: number
}

export interface ParsedNetwork {
  labels: string[]
  edges: EdgeRecord[]
  directed: boolean
}

export interface ParseOptions {
  /** Keep direction (an arc wherever a cell is non-zero). Default: undirected, an edge wherever either direction is non-zero. */
  directed?: boolean
  /** Refuse negative values: weighted path lengths must be positive. */
  positive?: boolean
}

export interface Row {
  cells: string[]
  line: number
}

export function readRows(text: string): Row[] {
  const control = findControlCharacter(text)
  if (control) throw new GraphInputError(controlCharacterProblem(control).replace(/^column \d+ /, ''), control.line, control.column)
  try {
    const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as {
      record: string[]
      info: { lines: number }
    }[]
    return records.map(({ record, info }) => ({ cells: record, line: info.lines }))
  } catch (err) {
    const e = err as { message: string; lines?: number }
    throw new GraphInputError(`not readable as CSV (${e.message})`, e.lines)
  }
}

export function numberAt(cell: string, row: number, column: number, what: string, positive = false): number {
  const value = cell === '' ? NaN : Number(cell)
  if (!Number.isFinite(value)) throw new GraphInputError(`${what} is ${JSON.stringify(cell)}, not a number`, row, column)
  if (positive && value < 0) throw new GraphInputError(`${what} is ${cell}; weights cannot be negative`, row, column)
  return value
}

export function checkUnique(labels: string[], row: (i: number) => number, column: (i: number) => number, where: (i: number) => string): void {
  const first = new Map<string, number>()
  labels.forEach((label, i) => {
    if (label === '') throw new GraphInputError('the node label is empty', row(i), column(i))
    const seen = first.get(label)
    if (seen !== undefined) throw new GraphInputError(`label ${JSON.stringify(label)} repeats ${where(seen)}`, row(i), column(i))
    first.set(label, i)
  })
}

/** Pairs (or arcs) are merged, their values added; self-loops are dropped. */
class EdgeCollector {
  private readonly byKey = new Map<string, EdgeRecord>()

  constructor(private readonly directed: boolean) {}

  add(source: number, target: number, weight: number): void {
    if (source === target) return
    const [a, b] = this.directed || source < target ? [source, target] : [target, source]
    const key = `${a} ${b}`
    const edge = this.byKey.get(key)
    if (edge) edge.weight += weight
    else this.byKey.set(key, { source: a, target: b, weight })
  }

  edges(): EdgeRecord[] {
    return [...this.byKey.values()]
  }
}

export function parseAdjacencyCsv(text: string, options: ParseOptions = {}): ParsedNetwork {
  const directed = options.directed ?? false
  const rows = readRows(text)
  if (rows.length === 0) throw new GraphInputError('the file is empty')
  const header = rows[0]
  const labels = header.cells.slice(1)
  const body = rows.slice(1)
  checkUnique(labels, () => header.line, (i) => i + 2, (i) => `column ${i + 2}`)
  if (body.length !== labels.length) {
    throw new GraphInputError(`the matrix is not square: ${labels.length} column labels but ${body.length} rows of values`)
  }
  const edges = new EdgeCollector(directed)
  body.forEach((row, r) => {
    if (row.cells.length !== labels.length + 1) {
      throw new GraphInputError(
        `the matrix is not square: this row has ${row.cells.length - 1} values, the header ${labels.length} labels`,
        row.line,
        Math.min(row.cells.length, labels.length + 1) + 1,
      )
    }
    if (row.cells[0] !== labels[r]) {
      throw new GraphInputError(
        `row label ${JSON.stringify(row.cells[0])} differs from column label ${JSON.stringify(labels[r])}: rows and columns must list the same nodes in the same order`,
        row.line,
        1,
      )
    }
    for (let c = 0; c < labels.length; c++) {
      const value = numberAt(row.cells[c + 1], row.line, c + 2, `the value for ${JSON.stringify(labels[r])} -> ${JSON.stringify(labels[c])}`, options.positive)
      if (value !== 0) edges.add(r, c, value)
    }
  })
  return { labels, edges: edges.edges(), directed }
}

const EDGE_COLUMNS = ['source', 'target', 'weight'] as const

export function parseEdgeListCsv(text: string, options: ParseOptions = {}): ParsedNetwork {
  const directed = options.directed ?? false
  const rows = readRows(text)
  if (rows.length === 0) throw new GraphInputError('the file is empty')
  const header = rows[0]
  const names = header.cells.map((c) => c.toLowerCase())
  const position = new Map<string, number>()
  names.forEach((name, i) => {
    if (!(EDGE_COLUMNS as readonly string[]).includes(name)) {
      throw new GraphInputError(`unknown column ${JSON.stringify(header.cells[i])} (expected source, target and optionally weight)`, header.line, i + 1)
    }
    if (position.has(name)) throw new GraphInputError(`column ${JSON.stringify(name)} appears twice`, header.line, i + 1)
    position.set(name, i)
  })
  for (const required of ['source', 'target']) {
    if (!position.has(required)) throw new GraphInputError(`the header has no ${JSON.stringify(required)} column`, header.line)
  }
  const labels: string[] = []
  const index = new Map<string, number>()
  const nodeAt = (row: Row, column: number): number => {
    const label = row.cells[column] ?? ''
    if (label === '') throw new GraphInputError('the node label is empty', row.line, column + 1)
    let i = index.get(label)
    if (i === undefined) {
      i = labels.length
      labels.push(label)
      index.set(label, i)
    }
    return i
  }
  const edges = new EdgeCollector(directed)
  for (const row of rows.slice(1)) {
    if (row.cells.length !== names.length) {
      throw new GraphInputError(`this row has ${row.cells.length} cells, the header ${names.length}`, row.line, Math.min(row.cells.length, names.length) + 1)
    }
    const source = nodeAt(row, position.get('source')!)
    const target = nodeAt(row, position.get('target')!)
    const w = position.get('weight')
    const weight = w === undefined ? 1 : numberAt(row.cells[w], row.line, w + 1, 'the weight', options.positive)
    // A zero weight means no tie, as a zero cell does in a matrix.
    if (weight !== 0) edges.add(source, target, weight)
  }
  return { labels, edges: edges.edges(), directed }
}

/** A graphology graph of a parsed network, nodes in file order, each edge's value in `weight`. */
export function graphFromParsed(parsed: ParsedNetwork): AbstractGraph<Attributes, { weight: number }> {
  const options = { allowSelfLoops: false }
  const graph = parsed.directed
    ? new DirectedGraph<Attributes, { weight: number }>(options)
    : new UndirectedGraph<Attributes, { weight: number }>(options)
  for (const label of parsed.labels) graph.addNode(label)
  for (const edge of parsed.edges) graph.addEdge(parsed.labels[edge.source], parsed.labels[edge.target], { weight: edge.weight })
  return graph
}
