import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { UserError } from '../errors.ts'
import { runLinkCommand, type LinkCommandOptions, type LinkSummary } from './link.ts'

const FEBRL1 = '../shared/data/febrl/dataset1.csv'
const quiet = { log: () => {}, progress: false }

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'lantern-link-'))
}

async function failure(options: LinkCommandOptions, dir: string): Promise<string> {
  const error = await runLinkCommand(options, quiet).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(UserError)
  // Nothing written, not even a temporary file.
  expect(readdirSync(dir).filter((f) => f !== 'input.csv' && f !== 'settings.json')).toEqual([])
  return (error as Error).message
}

describe('lantern link --dedupe', () => {
  let dir: string
  let summary: LinkSummary
  const lines: string[] = []

  beforeAll(async () => {
    dir = scratch()
    summary = await runLinkCommand(
      {
        dedupe: FEBRL1,
        idColumn: 'rec_id',
        out: path.join(dir, 'pairs.csv'),
        clusters: path.join(dir, 'clusters.csv'),
        modelOut: path.join(dir, 'model.json'),
      },
      { log: (l) => lines.push(l), progress: false },
    )
  }, 120_000)

  it('writes every pair at or above the threshold, with the ids and the probability', () => {
    const pairs = readFileSync(path.join(dir, 'pairs.csv'), 'utf8').trim().split('\n')
    expect(pairs[0]).toBe('id_l,id_r,match_probability')
    expect(pairs).toHaveLength(summary.matches + 1)
    expect(summary.matches).toBeGreaterThanOrEqual(495)
    for (const line of pairs.slice(1)) {
      const [l, r, p] = line.split(',')
      expect(l.split('-')[1]).toBe(r.split('-')[1])
      expect(Number(p)).toBeGreaterThanOrEqual(0.5)
    }
  })

  it('writes a cluster for every record and reports the candidate pairs first', () => {
    const clusters = readFileSync(path.join(dir, 'clusters.csv'), 'utf8').trim().split('\n')
    expect(clusters[0]).toBe('id,cluster')
    expect(clusters).toHaveLength(1001)
    expect(summary.clusters).toBeLessThanOrEqual(505)
    expect(lines[0]).toMatch(/^blocking: [\d,]+ candidate pairs to score, of 499,500 possible$/)
    expect(lines.some((l) => l.startsWith('matches at probability ≥ 0.5:'))).toBe(true)
  })

  it('repeats the run exactly from the saved model', async () => {
    const again = path.join(dir, 'again.csv')
    await runLinkCommand({ dedupe: FEBRL1, model: path.join(dir, 'model.json'), out: again }, quiet)
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(path.join(dir, 'pairs.csv'), 'utf8'))
  })
})

describe('lantern link: bad input is refused with a clear message and nothing written', () => {
  const people = 'id,first_name,surname,dob\n1,ann,lee,2001-02-03\n2,bob,ray,2002-03-04\n'

  function setup(csv: string, settings?: unknown): { dir: string; input: string; out: string; settings: string } {
    const dir = scratch()
    const input = path.join(dir, 'input.csv')
    writeFileSync(input, csv)
    const settingsFile = path.join(dir, 'settings.json')
    if (settings !== undefined) writeFileSync(settingsFile, JSON.stringify(settings))
    return { dir, input, out: path.join(dir, 'pairs.csv'), settings: settingsFile }
  }

  it('a missing id column', async () => {
    const s = setup(people)
    expect(await failure({ dedupe: s.input, idColumn: 'person_id', out: s.out }, s.dir)).toBe('no id column "person_id" (columns: id, first_name, surname, dob)')
  })

  it('duplicate ids', async () => {
    const s = setup(people + '2,cy,fox,2003-04-05\n')
    expect(await failure({ dedupe: s.input, idColumn: 'id', out: s.out }, s.dir)).toBe('table: duplicate id "2"')
  })

  it('a settings file naming an unknown column', async () => {
    const s = setup(people, { comparisons: [{ column: 'town', comparison: 'string' }] })
    expect(await failure({ dedupe: s.input, idColumn: 'id', settings: s.settings, out: s.out }, s.dir)).toMatch(/unknown column "town"/)
  })

  it('a settings file naming an unknown comparison', async () => {
    const s = setup(people, { comparisons: [{ column: 'surname', comparison: 'soundex' }] })
    expect(await failure({ dedupe: s.input, idColumn: 'id', settings: s.settings, out: s.out }, s.dir)).toMatch(/unknown comparison "soundex"/)
  })

  it('no file, both modes, or a threshold that is not a probability', async () => {
    const s = setup(people)
    expect(await failure({ dedupe: path.join(s.dir, 'nope.csv'), idColumn: 'id', out: s.out }, s.dir)).toMatch(/cannot read the CSV file .*ENOENT/)
    expect(await failure({ dedupe: s.input, left: s.input, right: s.input, out: s.out }, s.dir)).toMatch(/either --dedupe/)
    expect(await failure({ dedupe: s.input, idColumn: 'id', threshold: '1.5', out: s.out }, s.dir)).toMatch(/--threshold/)
  })

  it('an output that cannot be written, after another output was opened', async () => {
    const s = setup(people)
    const message = await failure({ dedupe: s.input, idColumn: 'id', out: s.out, clusters: path.join(s.dir, 'missing', 'clusters.csv') }, s.dir)
    expect(message).toMatch(/cannot write .*clusters\.csv: ENOENT/)
  })
})

describe('the lantern command', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['bin/lantern.js', 'link', ...args], { encoding: 'utf8' })

  it('links two files and exits 0', () => {
    const dir = scratch()
    const left = path.join(dir, 'left.csv')
    const right = path.join(dir, 'right.csv')
    const rows = (names: string[]) => 'id,first_name,surname,dob\n' + names.map((n, i) => `${i},${n},2001-0${(i % 9) + 1}-1${i % 10}`).join('\n')
    writeFileSync(left, rows(['ann,lee', 'bob,ray', 'cy,fox', 'di,orr', 'ed,ash', 'flo,tate', 'gus,wynn', 'hal,york']))
    writeFileSync(right, rows(['ann,lee', 'bob,rae', 'cy,fox', 'dee,orr', 'ed,ash', 'flo,tait', 'gus,wyn', 'hal,york']))
    const out = path.join(dir, 'pairs.csv')
    const result = cli(['--left', left, '--right', right, '--id-column', 'id', '--out', out, '--threshold', '0.01'])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/blocking: \d+ candidate pairs/)
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('id_l,id_r,match_probability')
  })

  it('prints one line and exits 1 on bad input', () => {
    const dir = scratch()
    const input = path.join(dir, 'input.csv')
    writeFileSync(input, 'id,first_name,surname,dob\n1,ann,lee,2001-02-03\n1,ann,lee,2001-02-03\n')
    const result = cli(['--dedupe', input, '--id-column', 'id', '--out', path.join(dir, 'pairs.csv')])
    expect(result.status).toBe(1)
    expect(result.stderr).toBe('lantern: table: duplicate id "1"\n')
    expect(readdirSync(dir)).toEqual(['input.csv'])
  })
})
