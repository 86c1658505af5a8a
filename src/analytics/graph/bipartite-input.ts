import { bipartiteNetwork, type BipartiteNetwork } from './bipartite.ts'
import { GraphInputError, checkUnique, numberAt, readRows } from './csv-input.ts'

/**
 * Reading a two-mode network from CSV: an incidence matrix (any shape: rows are the first mode,
 * columns the second) or an edge list whose `source_type` and `target_type` columns name each
 * end's kind. Errors name the row and column as a spreadsheet shows them.
 */

/** True when an adjacency-style CSV is not square (its column labels and rows differ in number): it can only be two-mode. */
export function isNonSquareMatrix(text: string): boolean {
  const rows = readRows(text)
  return rows.length > 0 && rows[0].cells.length - 1 !== rows.length - 1
}

/**
 * An incidence matrix: the first row labels the second mode's nodes (after a corner cell), each
 * further row starts with a first-mode label; a non-zero cell is a tie with that value.
 */
export function parseIncidenceCsv(text: string): BipartiteNetwork {
  const rows = readRows(text)
  if (rows.length === 0) throw new GraphInputError('the file is empty')
  const [header, ...body] = rows
  const columns = header.cells.slice(1)
  if (columns.length === 0) throw new GraphInputError('the header has no column labels', header.line)
  checkUnique(columns, () => header.line, (i) => i + 2, (i) => `column ${i + 2}`)
  const labels = body.map((row) => row.cells[0] ?? '')
  checkUnique(labels, (i) => body[i].line, () => 1, (i) => `on row ${body[i].line}`)
  const ties: [string, string, number][] = []
  for (const row of body) {
    if (row.cells.length !== columns.length + 1) {
      throw new GraphInputError(`this row has ${row.cells.length - 1} values, the header ${columns.length} labels`, row.line, Math.min(row.cells.length, columns.length + 1) + 1)
    }
    columns.forEach((column, c) => {
      const value = numberAt(row.cells[c + 1], row.line, c + 2, `the value for ${JSON.stringify(row.cells[0])} and ${JSON.stringify(column)}`, true)
      if (value !== 0) ties.push([row.cells[0], column, value])
    })
  }
  return bipartiteNetwork(labels, columns, ties)
}

const TWO_MODE_COLUMNS = ['source', 'target', 'weight', 'source_type', 'target_type'] as const

/** Whether an edge list's header names node types, making it two-mode. */
export function hasTypeColumns(text: string): boolean {
  const rows = readRows(text)
  return rows.length > 0 && rows[0].cells.some((c) => ['source_type', 'target_type'].includes(c.toLowerCase()))
}

/**
 * An edge list of two node types: `source,source_type,target,target_type[,weight]` in any order.
 * Exactly two types; every row joins one of each; a label keeps its type throughout. The first
 * type in the file is the first mode. Rows repeating a pair add their weights.
 */
export function parseTwoModeEdgeCsv(text: string): BipartiteNetwork {
  const rows = readRows(text)
  if (rows.length === 0) throw new GraphInputError('the file is empty')
  const [header, ...body] = rows
  const position = new Map<string, number>()
  header.cells.forEach((cell, i) => {
    const name = cell.toLowerCase()
    if (!(TWO_MODE_COLUMNS as readonly string[]).includes(name)) {
      throw new GraphInputError(`unknown column ${JSON.stringify(cell)} (expected source, source_type, target, target_type and optionally weight)`, header.line, i + 1)
    }
    if (position.has(name)) throw new GraphInputError(`column ${JSON.stringify(name)} appears twice`, header.line, i + 1)
    position.set(name, i)
  })
  for (const required of ['source', 'source_type', 'target', 'target_type']) {
    if (!position.has(required)) throw new GraphInputError(`the header has no ${JSON.stringify(required)} column`, header.line)
  }
  const types: string[] = []
  const typeOf = new Map<string, { type: string; line: number }>()
  const members: [string[], string[]] = [[], []]
  const ties: [string, string, number][] = []
  const cell = (row: (typeof rows)[number], name: string, what: string) => {
    const column = position.get(name)!
    const value = row.cells[column] ?? ''
    if (value === '') throw new GraphInputError(`the ${what} is empty`, row.line, column + 1)
    return value
  }
  const node = (row: (typeof rows)[number], end: 'source' | 'target') => {
    const label = cell(row, end, `${end} label`)
    const type = cell(row, `${end}_type`, `${end} type`)
    let mode = types.indexOf(type)
    if (mode < 0) {
      if (types.length === 2) {
        throw new GraphInputError(`a third node type ${JSON.stringify(type)}: a two-mode network has two (${types.map((t) => JSON.stringify(t)).join(' and ')})`, row.line, position.get(`${end}_type`)! + 1)
      }
      mode = types.push(type) - 1
    }
    const seen = typeOf.get(label)
    if (seen && seen.type !== type) {
      throw new GraphInputError(`${JSON.stringify(label)} is a ${JSON.stringify(type)} here but a ${JSON.stringify(seen.type)} on row ${seen.line}`, row.line, position.get(`${end}_type`)! + 1)
    }
    if (!seen) {
      typeOf.set(label, { type, line: row.line })
      members[mode].push(label)
    }
    return { label, mode }
  }
  for (const row of body) {
    if (row.cells.length !== header.cells.length) {
      throw new GraphInputError(`this row has ${row.cells.length} cells, the header ${header.cells.length}`, row.line, Math.min(row.cells.length, header.cells.length) + 1)
    }
    const source = node(row, 'source')
    const target = node(row, 'target')
    if (source.mode === target.mode) {
      throw new GraphInputError(`both ends are of type ${JSON.stringify(types[source.mode])}: each row of a two-mode edge list joins one node of each type`, row.line, position.get('target_type')! + 1)
    }
    const w = position.get('weight')
    const weight = w === undefined ? 1 : numberAt(row.cells[w], row.line, w + 1, 'the weight', true)
    if (weight === 0) continue
    ties.push(source.mode === 0 ? [source.label, target.label, weight] : [target.label, source.label, weight])
  }
  if (types.length < 2) throw new GraphInputError('the file has fewer than two node types: a two-mode network needs two')
  return { ...bipartiteNetwork(members[0], members[1], ties), modes: [types[0], types[1]] }
}
