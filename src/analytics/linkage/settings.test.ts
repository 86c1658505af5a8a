import { describe, expect, it } from 'vitest'
import { deduplicate, defaultSettings, LinkageInputError, parseSettingsInput, settingsFor, tableFromObjects } from './index.ts'

const FEBRL_COLUMNS = ['rec_id', 'given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id']

describe('default settings from column names', () => {
  it('compares every FEBRL column with a fitting comparison and blocks on several rules', () => {
    const settings = settingsFor(FEBRL_COLUMNS, {}, 'rec_id')
    const byColumn = Object.fromEntries(settings.comparisons.map((c) => [c.column, c.levels.map((l) => l.type)]))
    expect(Object.keys(byColumn).sort()).toEqual(FEBRL_COLUMNS.slice(1).sort())
    expect(byColumn.given_name).toContain('exactOtherColumn')
    expect(byColumn.given_name).toContain('doubleMetaphone')
    expect(byColumn.date_of_birth).toContain('dateTransposed')
    expect(byColumn.soc_sec_id).toContain('damerauLevenshtein')
    expect(settings.comparisons.find((c) => c.column === 'surname')!.levels[1]).toEqual({ type: 'exact', termFrequency: true })
    expect(settings.blockingRules.length).toBeGreaterThanOrEqual(5)
    expect(settings.trainingRules.length).toBeGreaterThanOrEqual(3)
  })

  it('recognises agency column names and leaves unknown columns out', () => {
    const defaults = defaultSettings(['person_id', 'First Name', 'Last_Name', 'DOB', 'Post Code', 'NHS number', 'Gender', 'notes'], 'person_id')
    expect(defaults.comparisons.map((c) => [c.column, c.comparison])).toEqual([
      ['First Name', 'name'],
      ['Last_Name', 'name'],
      ['DOB', 'date'],
      ['NHS number', 'identifier'],
      ['Post Code', 'postcode'],
      ['Gender', 'exact'],
    ])
    expect(defaults.ignored).toEqual(['notes'])
  })
})

describe('settings files', () => {
  const columns = ['id', 'first', 'last', 'dob']
  const resolve = (json: unknown) => settingsFor(columns, parseSettingsInput(json), 'id')

  it('expands a preset and keeps custom levels, always between "missing" and "else"', () => {
    const settings = resolve({
      comparisons: [{ column: 'first', comparison: 'name' }, { column: 'dob', levels: [{ type: 'exact' }, { type: 'sameYear' }] }],
      blockingRules: ['dob', [{ column: 'last', transform: 'metaphone' }]],
      trainingRules: [['dob']],
    })
    expect(settings.comparisons[1]).toEqual({
      name: 'dob',
      column: 'dob',
      kind: 'date',
      levels: [{ type: 'null' }, { type: 'exact' }, { type: 'sameYear' }, { type: 'else' }],
    })
    expect(settings.blockingRules[1]).toEqual([{ column: 'last', transform: 'metaphone' }])
  })

  it.each([
    [{ comparisons: [{ column: 'middle', comparison: 'name' }] }, /unknown column "middle"/],
    [{ comparisons: [{ column: 'first', comparison: 'fuzzy' }] }, /unknown comparison "fuzzy".*known: name, date/],
    [{ comparisons: [{ column: 'first', levels: [{ type: 'soundex' }] }] }, /comparisons\.0\.levels\.0/],
    [{ blockingRules: [['first', 'town']] }, /blocking rule 1: unknown column "town"/],
    [{ comparisons: [{ column: 'first' }, { column: 'first' }] }, /two comparisons are named "first"/],
    [{ comparisons: [{ column: 'dob', levels: [{ type: 'exact' }, { type: 'null' }] }] }, /"null" level must come first/],
    [{ treshold: 0.5 }, /Unrecognized key/],
  ])('rejects %j with a clear message', (json, message) => {
    expect(() => resolve(json)).toThrow(LinkageInputError)
    expect(() => resolve(json)).toThrow(message)
  })
})

describe('bad tables', () => {
  it('rejects a missing id column and duplicate ids', () => {
    const rows = tableFromObjects([
      { id: '1', first: 'a', last: 'b', dob: '20000101' },
      { id: '1', first: 'a', last: 'b', dob: '20000101' },
    ])
    expect(() => deduplicate(rows, { idColumn: 'person' })).toThrow('no id column "person" (columns: id, first, last, dob)')
    expect(() => deduplicate(rows, { idColumn: 'id' })).toThrow(/duplicate id "1"/)
  })
})
