import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { Command } from 'commander'
import { metricsFromText, metricsJson, metricsTable, networkCommand, register, NetworkInputError } from './network.ts'

const TRIANGLE_AND_TAIL = ['"",a,b,c,d', 'a,0,1,0,0', 'b,0,0,2,0', 'c,3,0,0,1', 'd,0,0,0,0'].join('\n')

async function json(text: string, options: Parameters<typeof metricsFromText>[1]) {
  return JSON.parse(metricsJson(await metricsFromText(text, options)))
}

async function failure(text: string, options: Parameters<typeof metricsFromText>[1]): Promise<string> {
  const error = await metricsFromText(text, options, 'net.csv').catch((e: unknown) => e)
  expect(error).toBeInstanceOf(NetworkInputError)
  return (error as Error).message
}

describe('lantern network metrics', () => {
  it('prints the agreed JSON shape, nodes in file order, on one line', async () => {
    const text = metricsJson(await metricsFromText(TRIANGLE_AND_TAIL, { adjacency: 'x' }))
    expect(text).toBe(
      '{"nodes": 4, "edges": 4, "components": 1, "nodes_metrics": {' +
        '"a": {"degree": 2, "betweenness": 0, "closeness": 0.75, "community": 0}, ' +
        '"b": {"degree": 2, "betweenness": 0, "closeness": 0.75, "community": 0}, ' +
        '"c": {"degree": 3, "betweenness": 0.6666666666666666, "closeness": 1, "community": 1}, ' +
        '"d": {"degree": 1, "betweenness": 0, "closeness": 0.6, "community": 1}}}\n',
    )
  })

  it('reads edge lists, with or without weights, in any column order', async () => {
    const out = await json('target,source\nb,a\nc,b\nc,a\nd,c\nd,d\n', { edges: 'x' })
    expect(out).toMatchObject({ nodes: 4, edges: 4, components: 1 })
    expect(Object.keys(out.nodes_metrics)).toEqual(['a', 'b', 'c', 'd'])
    expect(out.nodes_metrics.c.degree).toBe(3)
  })

  it('with --directed keeps direction: degree is in plus out, betweenness over directed paths', async () => {
    const out = await json('source,target\na,b\nb,c\n', { edges: 'x', directed: true })
    expect(out.nodes_metrics.b).toMatchObject({ degree: 2, betweenness: 0.5 })
    expect(out.nodes_metrics.c.closeness).toBeNull()
  })

  it('with --weighted reads values as path lengths', async () => {
    const text = 'source,target,weight\na,b,1\nb,c,1\na,c,5\n'
    expect((await json(text, { edges: 'x' })).nodes_metrics.b.betweenness).toBe(0)
    expect((await json(text, { edges: 'x', weighted: true })).nodes_metrics.b.betweenness).toBe(1)
  })

  it('counts components and gives an isolated node null closeness', async () => {
    const out = await json('"",a,b,c\na,0,1,0\nb,0,0,0\nc,0,0,0\n', { adjacency: 'x' })
    expect(out.components).toBe(2)
    expect(out.nodes_metrics.c).toEqual({ degree: 0, betweenness: 0, closeness: null, community: 1 })
  })

  it('prints a table without --json, saying the measures are exact', async () => {
    const table = metricsTable(await metricsFromText(TRIANGLE_AND_TAIL, { adjacency: 'x' }))
    expect(table.split('\n')[1]).toMatch(/^Degree, betweenness and closeness are exact/)
    expect(table.split('\n')[3]).toMatch(/^c\s+3\s+0\.666667\s+1\.000000\s+1$/)
  })

  describe('--sample, --epsilon and --threads', () => {
    // A ring of 60 with a chord: large enough that 20 sources are a sample.
    const ring = ['source,target', ...Array.from({ length: 60 }, (_, i) => `n${i},n${(i + 1) % 60}`), 'n0,n30'].join('\n') + '\n'

    it('--sample K estimates betweenness from K sources and says so, with its error bound, in JSON and the table', async () => {
      const result = await metricsFromText(ring, { edges: 'x', sample: '20', seed: '3' })
      const out = JSON.parse(metricsJson(result))
      expect(out.betweenness_estimate).toMatchObject({ sources: 20, confidence: 0.95 })
      expect(out.betweenness_estimate.epsilon).toBeGreaterThan(0)
      expect(Object.keys(out)).toEqual(['nodes', 'edges', 'components', 'betweenness_estimate', 'nodes_metrics'])
      expect(out.nodes_metrics.n0.closeness).toBeNull()
      const exact = JSON.parse(metricsJson(await metricsFromText(ring, { edges: 'x' })))
      expect(exact.betweenness_estimate).toBeUndefined()
      for (const label of Object.keys(exact.nodes_metrics)) {
        expect(Math.abs(out.nodes_metrics[label].betweenness - exact.nodes_metrics[label].betweenness)).toBeLessThanOrEqual(out.betweenness_estimate.epsilon)
      }
      expect(metricsTable(result).split('\n')[1]).toMatch(/^Degree is exact\. Betweenness is estimated from 20 sampled sources: every value is within \S+ of the exact value with 95% confidence\. Closeness was not computed\./)
    })

    it('--epsilon computes exactly when sampling to that bound would cost more than every source', async () => {
      const out = JSON.parse(metricsJson(await metricsFromText(ring, { edges: 'x', epsilon: '0.01' })))
      expect(out.betweenness_estimate).toBeUndefined()
      expect(out.nodes_metrics.n0.closeness).not.toBeNull()
    })

    it('--threads N gives the same values as one thread', async () => {
      const one = metricsJson(await metricsFromText(ring, { edges: 'x', threads: '1' }))
      expect(metricsJson(await metricsFromText(ring, { edges: 'x', threads: '2' }))).toBe(one)
    })

    it.each([
      [{ sample: '0' }, '--sample must be a whole number of at least 1 (got "0")'],
      [{ sample: 'ten' }, '--sample must be a whole number of at least 1 (got "ten")'],
      [{ threads: '1.5' }, '--threads must be a whole number of at least 1 (got "1.5")'],
      [{ epsilon: '2' }, '--epsilon must be a number between 0 and 1 (got "2")'],
      [{ sample: '5', epsilon: '0.1' }, 'give --sample or --epsilon, not both'],
    ])('refuses %o with one line naming the flag', async (flags, message) => {
      expect(await failure(ring, { edges: 'net.csv', ...flags })).toBe(message)
    })
  })

  describe('bad input names the row and column', () => {
    it.each([
      ['a missing row', '"",a,b,c\na,0,1,0\nb,0,0,1\n', /the matrix is not square: 3 column labels but 2 rows/],
      ['a short row', '"",a,b\na,0,1\nb,0\n', /row 3, column 3: the matrix is not square: this row has 1 values, the header 2 labels/],
      ['a repeated label', '"",a,b,a\na,0,1,0\nb,0,0,1\na,1,0,0\n', /row 1, column 4: label "a" repeats column 2/],
      ['a row label out of step', '"",a,b\nb,0,1\na,0,0\n', /row 2, column 1: row label "b" differs from column label "a"/],
      ['a non-numeric cell', '"",a,b\na,0,x\nb,0,0\n', /row 2, column 3: the value for "a" -> "b" is "x", not a number/],
      ['an empty cell', '"",a,b\na,0,\nb,0,0\n', /row 2, column 3: .* is "", not a number/],
    ])('adjacency: %s', async (_what, text, message) => {
      expect(await failure(text, { adjacency: 'net.csv' })).toMatch(new RegExp(`^net\\.csv: ${message.source}`))
    })

    it.each([
      ['an unknown column', 'source,target,colour\na,b,red\n', /row 1, column 3: unknown column "colour"/],
      ['no target column', 'source,weight\na,1\n', /row 1: the header has no "target" column/],
      ['a non-numeric weight', 'source,target,weight\na,b,1\nb,c,heavy\n', /row 3, column 3: the weight is "heavy", not a number/],
      ['a short row', 'source,target\na,b\nc\n', /row 3, column 2: this row has 1 cells, the header 2/],
      ['an empty label', 'source,target\na,\n', /row 2, column 2: the node label is empty/],
    ])('edge list: %s', async (_what, text, message) => {
      expect(await failure(text, { edges: 'net.csv' })).toMatch(message)
    })

    it('negative weights are refused only with --weighted', async () => {
      const text = 'source,target,weight\na,b,-2\n'
      expect(await failure(text, { edges: 'net.csv', weighted: true })).toMatch(/row 2, column 3: the weight is -2; weights cannot be negative/)
      await expect(metricsFromText(text, { edges: 'net.csv' })).resolves.toMatchObject({ edges: 1 })
    })
  })

  it('networkCommand gives one `network` group that later subcommands can join', () => {
    const program = new Command()
    register(program)
    const group = networkCommand(program)
    group.command('import')
    expect(program.commands.filter((c) => c.name() === 'network')).toHaveLength(1)
    expect(group.commands.map((c) => c.name())).toEqual(['metrics', 'import'])
  })
})

describe('the lantern command', () => {
  const lantern = (...args: string[]) => spawnSync(process.execPath, ['bin/lantern.js', 'network', 'metrics', ...args], { encoding: 'utf8' })

  it('prints CAVIAR phase 1 as JSON and exits 0', () => {
    const run = lantern('--adjacency', '../shared/data/networks/caviar-phases/phase1.csv', '--json')
    expect(run.status).toBe(0)
    const out = JSON.parse(run.stdout)
    expect(out).toMatchObject({ nodes: 15, edges: 18, components: 1 })
    expect(out.nodes_metrics['1'].degree).toBe(12)
  })

  it('--sample with --threads on CAVIAR: an estimate that says so, from the command line', () => {
    const run = lantern('--adjacency', '../shared/data/networks/caviar-full.csv', '--sample', '50', '--threads', '2', '--json')
    expect(run.status).toBe(0)
    const out = JSON.parse(run.stdout)
    expect(out.betweenness_estimate).toMatchObject({ sources: 50, confidence: 0.95 })
  })

  it('on bad input prints one line on stderr, nothing on stdout, and exits 1', () => {
    const run = lantern('--adjacency', 'src/cli/commands/network.test.ts', '--json')
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^lantern: src\/cli\/commands\/network\.test\.ts: row \d+/)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
  })
})
