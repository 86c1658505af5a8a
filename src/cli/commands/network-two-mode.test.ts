import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { TwoModeInputError, twoModeInput, type TwoModeOptions } from './network-two-mode.ts'

// `lantern network metrics` on two-mode input, run as a user runs it.
const lantern = (...args: string[]) => spawnSync(process.execPath, ['bin/lantern.js', 'network', 'metrics', ...args], { encoding: 'utf8' })

const dir = mkdtempSync(path.join(tmpdir(), 'lantern-two-mode-'))
function file(name: string, text: string): string {
  const at = path.join(dir, name)
  writeFileSync(at, text)
  return at
}

// Four people by three events; dan went to none.
const PEOPLE_BY_EVENTS = file('events.csv', ['"",party,funeral,match', 'ann,1,1,0', 'bob,1,1,0', 'cat,0,1,1', 'dan,0,0,0'].join('\n') + '\n')

describe('lantern network metrics, two-mode', () => {
  it('reads a non-square matrix as people by events: degree, betweenness, closeness and bipartite density', () => {
    const run = lantern('--adjacency', PEOPLE_BY_EVENTS, '--json')
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const out = JSON.parse(run.stdout)
    expect(out).toMatchObject({ two_mode: true, modes: ['row', 'column'], nodes: { row: 4, column: 3 }, ties: 6, components: 2, density: 0.5 })
    expect(out.nodes_metrics.row.ann.degree).toBe(2)
    expect(out.nodes_metrics.column.funeral.degree).toBe(3)
    expect(out.nodes_metrics.row.dan).toEqual({ degree: 0, betweenness: 0, closeness: null })
    expect(out.projections).toBeUndefined()
  })

  it('with --projections prints who shares how many events with whom, and which events share people', () => {
    const out = JSON.parse(lantern('--adjacency', PEOPLE_BY_EVENTS, '--projections', '--json').stdout)
    expect(out.projections.row.pairs).toEqual([
      ['ann', 'bob', 2],
      ['ann', 'cat', 1],
      ['bob', 'cat', 1],
    ])
    expect(out.projections.row.nodes_metrics.ann).toMatchObject({ degree: 2, strength: 3 })
    expect(out.projections.column.pairs).toEqual([
      ['party', 'funeral', 2],
      ['funeral', 'match', 1],
    ])
    const table = lantern('--adjacency', PEOPLE_BY_EVENTS, '--projections').stdout
    expect(table).toMatch(/^Two-mode network: 4 row, 3 column, 6 ties, 2 component\(s\), bipartite density 0\.500000$/m)
    expect(table).toMatch(/^Pairs of row by column shared, most first:\nann - bob: 2$/m)
  })

  it('reads an edge list whose type columns name each end, either way round', () => {
    const edges = file('shared.csv', 'source,source_type,target,target_type\nann,person,07700 900461,phone\n07700 900461,phone,bob,person\nbob,person,AB12 CDE,vehicle\n')
    const bad = lantern('--edges', edges)
    expect(bad.status).toBe(1)
    expect(bad.stderr).toBe(`lantern: ${edges}: row 4, column 4: a third node type "vehicle": a two-mode network has two ("person" and "phone")\n`)
    const good = file('phones.csv', 'source,source_type,target,target_type\nann,person,07700 900461,phone\n07700 900461,phone,bob,person\n')
    const out = JSON.parse(lantern('--edges', good, '--projections', '--json').stdout)
    expect(out).toMatchObject({ modes: ['person', 'phone'], nodes: { person: 2, phone: 1 }, ties: 2 })
    expect(out.projections.person.pairs).toEqual([['ann', 'bob', 1]])
  })

  it('a square matrix is two-mode only with --two-mode', () => {
    const square = file('square.csv', '"",party,funeral\nann,1,0\nbob,1,1\n')
    expect(lantern('--adjacency', square).stderr).toMatch(/^lantern: .*square\.csv: row 2, column 1: row label "ann" differs from column label "party"/)
    expect(JSON.parse(lantern('--adjacency', square, '--two-mode', '--json').stdout)).toMatchObject({ nodes: { row: 2, column: 2 }, ties: 3 })
  })

  it('refuses bad input in one line naming the file, row and column, without a stack trace', () => {
    const at = file('bad.csv', '"",a,b,c\nx,1,-1,0\n')
    const run = lantern('--adjacency', at)
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(`lantern: ${at}: row 2, column 3: the value for "x" and "b" is -1; weights cannot be negative\n`)
  })

  async function failure(text: string, options: TwoModeOptions): Promise<string> {
    const error = await twoModeInput(text, options, 'bad.csv').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TwoModeInputError)
    return (error as Error).message
  }

  it.each([
    ['a short row', '"",a,b,c\nx,1,0\n', 'bad.csv: row 2, column 4: this row has 2 values, the header 3 labels'],
    ['a repeated person', '"",a,b,c\nx,1,0,1\nx,0,1,0\n', 'bad.csv: row 3, column 1: label "x" repeats on row 2'],
    ['a word for a number', '"",a,b,c\nx,1,yes,0\n', 'bad.csv: row 2, column 3: the value for "x" and "b" is "yes", not a number'],
    ['no column labels', '""\nx\n', 'bad.csv: row 1: the header has no column labels'],
  ])('refuses a matrix with %s', async (_what, text, message) => {
    expect(await failure(text, { adjacency: 'x' })).toBe(message)
  })

  it.each([
    ['a person linked to a person', 'source,source_type,target,target_type\nann,person,bob,person\n', 'bad.csv: row 2, column 4: both ends are of type "person": each row of a two-mode edge list joins one node of each type'],
    ['a label that changes kind', 'source,source_type,target,target_type\nann,person,x,phone\nx,person,y,phone\n', 'bad.csv: row 3, column 2: "x" is a "person" here but a "phone" on row 2'],
    ['a missing type column', 'source,source_type,target,weight\nann,person,x,1\n', 'bad.csv: row 1: the header has no "target_type" column'],
    ['an empty type', 'source,source_type,target,target_type\nann,,x,phone\n', 'bad.csv: row 2, column 2: the source type is empty'],
    ['one type only', 'source,source_type,target,target_type\n', 'bad.csv: the file has fewer than two node types: a two-mode network needs two'],
  ])('refuses an edge list with %s', async (_what, text, message) => {
    expect(await failure(text, { edges: 'x' })).toBe(message)
  })

  it('refuses flags that have no two-mode meaning, and --two-mode on an edge list', async () => {
    expect(await failure('"",a\nx,1\ny,1\n', { adjacency: 'x', weighted: true })).toBe("--weighted is not for a two-mode network (its measures are exact, undirected and unweighted, as igraph's)")
    expect(await failure('source,target\na,b\n', { edges: 'x', twoMode: true })).toMatch(/^--two-mode reads a matrix/)
  })
})
