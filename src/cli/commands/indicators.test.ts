import { describe, expect, it } from 'vitest'
import { Command } from 'commander'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { policeUkSources, register } from './indicators.ts'
import { UserError } from '../errors.ts'
import { duplicateSources } from '../../modules/indicators/police-uk/sources.ts'

describe('lantern import police-uk', () => {
  it('takes files, and every .csv file of a folder in name order', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lantern-police-uk-'))
    for (const f of ['2019-02-x-street.csv', '2019-01-x-street.csv', 'notes.txt']) writeFileSync(path.join(dir, f), 'x\n')
    expect(policeUkSources([dir]).map((s) => s.name)).toEqual(['2019-01-x-street.csv', '2019-02-x-street.csv'])
    expect(policeUkSources([path.join(dir, 'notes.txt')]).map((s) => [s.name, s.size])).toEqual([['notes.txt', 2]])
  })

  it('knows a file named twice, or a folder and a file inside it, as one file, so the import refuses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lantern-police-uk-'))
    for (const f of ['2019-01-x-street.csv', '2019-02-x-street.csv']) writeFileSync(path.join(dir, f), 'x\n')
    const inside = path.join(dir, '2019-02-x-street.csv')
    expect(duplicateSources(policeUkSources([dir, inside]))).toEqual([
      { file: '2019-02-x-street.csv', line: 0, message: 'is the same file as another file of that name: give each file once (a folder and a file inside it count twice)' },
    ])
    expect(duplicateSources(policeUkSources([inside, path.join(dir, '.', '2019-02-x-street.csv')]))).toHaveLength(1)
    expect(duplicateSources(policeUkSources([dir]))).toEqual([])
  })

  it('names a path that does not exist, or a folder with no CSV files', () => {
    expect(() => policeUkSources(['/no/such/place'])).toThrow(new UserError('cannot read /no/such/place: no such file or folder'))
    const empty = mkdtempSync(path.join(tmpdir(), 'lantern-police-uk-'))
    expect(() => policeUkSources([empty])).toThrow(`${empty} holds no .csv files`)
  })

  it('adds import police-uk under a shared import command, and indicators values', () => {
    const program = new Command()
    program.command('import').command('other')
    register(program)
    const imports = program.commands.filter((c) => c.name() === 'import')
    expect(imports).toHaveLength(1)
    expect(imports[0].commands.map((c) => c.name())).toEqual(['other', 'police-uk'])
    expect(program.commands.find((c) => c.name() === 'indicators')?.commands.map((c) => c.name())).toEqual(['values'])
  })
})
