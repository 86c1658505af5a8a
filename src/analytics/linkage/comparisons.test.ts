import { describe, expect, it } from 'vitest'
import { compileComparison } from './comparisons.ts'
import { encodeTables, tableFromObjects } from './dataset.ts'
import { normaliseValue } from './normalise.ts'
import { columnKinds, resolveSettings, type ComparisonInput } from './settings.ts'

/** Level labels for record 0 against each other record, under one comparison. */
function levelsAgainstFirst(comparison: ComparisonInput, values: (string | null)[], other?: (string | null)[]): string[] {
  const rows = values.map((v, i) => ({ id: String(i), a: v, b: other?.[i] ?? null }))
  const settings = resolveSettings({ idColumn: 'id', comparisons: [comparison], blockingRules: ['a'], trainingRules: ['a'] }, ['id', 'a', 'b'], () => {
    throw new Error('no defaults needed')
  })
  const data = encodeTables(columnKinds(settings), 'id', tableFromObjects(rows))
  const compiled = compileComparison(settings.comparisons[0], data)
  return values.slice(1).map((_, k) => settings.comparisons[0].levels[compiled.level(0, k + 1)].type)
}

describe('comparison levels', () => {
  it('grades names: missing, exact, swapped with the other name, Jaro-Winkler bands, sound-alike, else', () => {
    const levels = levelsAgainstFirst(
      { column: 'a', comparison: 'name', otherColumn: 'b' },
      ['catherine', 'catherine', null, 'smith', 'catherin', 'kathryn', 'cathy', 'zoe'],
      ['smith', null, null, 'catherine', null, null, null, null],
    )
    expect(levels).toEqual(['exact', 'null', 'exactOtherColumn', 'jaroWinkler', 'doubleMetaphone', 'jaroWinkler', 'else'])
  })

  it('counts a swap only when both names are swapped, not when one name happens to equal the other', () => {
    const levels = levelsAgainstFirst({ column: 'a', comparison: 'name', otherColumn: 'b' }, ['jacob', 'novak', 'kalinowski'], ['novak', 'jacob', 'jacob'])
    expect(levels).toEqual(['exactOtherColumn', 'else'])
  })

  it('uses the first Jaro-Winkler band the pair reaches', () => {
    const settings = { column: 'a', levels: [{ type: 'jaroWinkler' as const, threshold: 0.95 }, { type: 'jaroWinkler' as const, threshold: 0.7 }] }
    expect(levelsAgainstFirst(settings, ['martha', 'marhta', 'martha', 'xyz'])).toEqual(['jaroWinkler', 'jaroWinkler', 'else'])
  })

  it('grades dates of birth: exact, day and month transposed, one typo, same year, else', () => {
    const levels = levelsAgainstFirst({ column: 'a', comparison: 'date' }, ['2009-03-12', '12/03/2009', '2009-12-03', '2009-03-13', '2009-07-30', '2019-03-12', '1990-01-01'])
    expect(levels).toEqual(['exact', 'dateTransposed', 'damerauLevenshtein', 'sameYear', 'damerauLevenshtein', 'else'])
  })

  it('grades UK postcodes by exact, typo, sector and district', () => {
    const levels = levelsAgainstFirst({ column: 'a', comparison: 'postcode' }, ['EX1 1AA', 'ex11aa', 'EX1 1AB', 'EX1 1ZZ', 'EX1 2ZZ', 'PL4 8AA'])
    expect(levels).toEqual(['exact', 'damerauLevenshtein', 'postcodeSector', 'postcodeDistrict', 'else'])
  })

  it('grades identifiers by edits, ignoring spaces', () => {
    const levels = levelsAgainstFirst({ column: 'a', comparison: 'identifier' }, ['943 476 5919', '9434765919', '9434765918', '9434765991', '9434766999', '1234567890'])
    expect(levels).toEqual(['exact', 'damerauLevenshtein', 'damerauLevenshtein', 'damerauLevenshtein', 'else'])
  })
})

describe('normalisation', () => {
  it('writes dates as YYYYMMDD from ISO, UK day-first and FEBRL forms, keeping impossible dates', () => {
    expect(normaliseValue('date', '2009-03-12')).toBe('20090312')
    expect(normaliseValue('date', '12/3/2009')).toBe('20090312')
    expect(normaliseValue('date', '19991302')).toBe('19991302')
    expect(normaliseValue('date', '  ')).toBeNull()
  })

  it('collapses case and spaces in text', () => {
    expect(normaliseValue('text', '  Mary   ANN ')).toBe('mary ann')
    expect(normaliseValue('postcode', 'sw1a 1aa')).toBe('SW1A1AA')
  })
})
