import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { Readable } from 'node:stream'
import path from 'node:path'
import { sql } from 'kysely'
import { testDatabaseKinds, type TestDatabase } from '../../../../test/support/databases.ts'
import { importPoliceUk, PoliceUkImportError, type ImportSource } from './import.ts'

const SHARED = path.resolve('../shared/data/police-uk/devon-and-cornwall')
// One month with LF line endings (2018) and one with CRLF (2019).
const MONTHS = ['2018-12', '2019-05']
const haveShared = existsSync(SHARED)

function fileSource(month: string): ImportSource {
  const file = path.join(SHARED, `${month}-devon-and-cornwall-street.csv`)
  return { name: path.basename(file), size: statSync(file).size, open: () => createReadStream(file) }
}

function textSource(name: string, text: string): ImportSource {
  return { name, size: text.length, open: () => Readable.from([Buffer.from(text)]) }
}

/** Counts the file directly with a plain line reader: month → category → rows. */
function countDirectly(month: string): Map<string, number> {
  const text = readFileSync(path.join(SHARED, `${month}-devon-and-cornwall-street.csv`), 'utf8')
  const counts = new Map<string, number>()
  const lines = text.split(/\r?\n/)
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue
    const category = lines[i].split(',')[9]
    counts.set(category, (counts.get(category) ?? 0) + 1)
  }
  return counts
}

const HEADER = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context'
const row = (month: string, lsoaName: string, type: string, id = 'abc') =>
  `${id},${month},Test Police,Test Police,-1.0,50.8,On or near High Street,E01000001,${lsoaName},${type},Under investigation,`

describe.each(testDatabaseKinds())('police.uk import on $name', (kind) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await kind.create()
  })
  afterAll(async () => {
    await database?.dispose()
  })

  async function forceCounts(force: string, month: string) {
    const rows = await database.db
      .selectFrom('crime_counts')
      .innerJoin('areas', 'areas.id', 'crime_counts.area_id')
      .select(['crime_counts.category', 'crime_counts.count'])
      .where('areas.name', '=', force)
      .where('crime_counts.month', '=', `${month}-01`)
      .execute()
    return new Map(rows.map((r) => [r.category, r.count]))
  }

  it.skipIf(!haveShared)('gives the same counts per category per month as counting the files directly, and replaces a re-imported month', async () => {
    const first = await importPoliceUk(database.db, MONTHS.map(fileSource), { via: 'cli' })
    expect(first.months.map((m) => m.month)).toEqual(MONTHS)
    for (const month of MONTHS) {
      const expected = countDirectly(month)
      expect(await forceCounts('Devon & Cornwall Police', month)).toEqual(expected)
      const total = [...expected.values()].reduce((a, b) => a + b, 0)
      expect(first.months.find((m) => m.month === month)?.rows).toBe(total)
    }
    // Each local authority is its own area; Devon's districts roll up into Devon.
    const areas = await database.db.selectFrom('areas').select(['name', 'kind', 'code']).execute()
    const byName = new Map(areas.map((a) => [a.name, a]))
    expect(byName.get('Devon & Cornwall Police')?.kind).toBe('force')
    expect(byName.get('Plymouth')?.code).toBe('E06000026')
    expect(byName.get('Isles of Scilly')?.kind).toBe('unitary')
    expect(byName.get('North Devon')?.kind).toBe('district')
    const may = await database.db
      .selectFrom('crime_counts')
      .innerJoin('areas', 'areas.id', 'crime_counts.area_id')
      .select(['areas.name', sql<number>`sum(crime_counts.count)::int`.as('n')])
      .where('crime_counts.month', '=', '2019-05-01')
      .groupBy('areas.name')
      .execute()
    const n = new Map(may.map((r) => [r.name, r.n]))
    const devonDistricts = ['East Devon', 'Exeter', 'Mid Devon', 'North Devon', 'South Hams', 'Teignbridge', 'Torridge', 'West Devon']
    expect(n.get('Devon')).toBe(devonDistricts.reduce((s, d) => s + (n.get(d) ?? 0), 0))

    // Importing a month again replaces it: same counts, rows not doubled.
    const again = await importPoliceUk(database.db, [fileSource('2019-05')], { via: 'cli' })
    expect(again.replacedRows).toBe(first.months.find((m) => m.month === '2019-05')?.rows)
    expect(await forceCounts('Devon & Cornwall Police', '2019-05')).toEqual(countDirectly('2019-05'))
    const stored = await database.db
      .selectFrom('crimes')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('month', '=', '2019-05-01')
      .executeTakeFirstOrThrow()
    expect(stored.n).toBe(again.rows)
  })

  it('reports a malformed row with its file and line and keeps nothing of the month', async () => {
    const good = [HEADER, row('2020-01', 'Testtown 001A', 'Drugs'), row('2020-01', 'Testtown 002B', 'Robbery')].join('\r\n')
    await importPoliceUk(database.db, [textSource('good.csv', good)], { via: 'cli' })
    expect(await forceCounts('Test Police', '2020-01')).toEqual(new Map([['Drugs', 1], ['Robbery', 1]]))

    const bad = [HEADER, row('2020-01', 'Testtown 001A', 'Drugs'), row('2020-01', 'Testtown 001A', 'Drugs'), row('2020-13', 'Testtown 001A', 'Drugs'), row('2020-01', 'Testtown 001A', '')].join('\n')
    const error = await importPoliceUk(database.db, [textSource('bad.csv', bad)], { via: 'cli' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PoliceUkImportError)
    expect((error as PoliceUkImportError).problems).toEqual([
      { file: 'bad.csv', line: 4, message: 'Month "2020-13" is not a month like 2019-05' },
      { file: 'bad.csv', line: 5, message: 'Crime type is empty' },
    ])
    // The earlier import of the month stands untouched.
    expect(await forceCounts('Test Police', '2020-01')).toEqual(new Map([['Drugs', 1], ['Robbery', 1]]))
    const imports = await database.db.selectFrom('police_uk_imports').select('id').execute()
    expect(imports.length).toBeGreaterThan(0)
  })

  it('refuses a file that is not police.uk street-level crime, and a month split across two files', async () => {
    const wrong = await importPoliceUk(database.db, [textSource('other.csv', 'period,count\n2020-01,4\n')], { via: 'cli' }).catch((e: unknown) => e)
    expect((wrong as PoliceUkImportError).problems[0]).toMatchObject({ file: 'other.csv', line: 1 })
    const a = [HEADER, row('2020-02', 'Testtown 001A', 'Drugs')].join('\n')
    const split = await importPoliceUk(database.db, [textSource('a.csv', a), textSource('b.csv', a)], { via: 'cli' }).catch((e: unknown) => e)
    expect((split as PoliceUkImportError).problems[0].message).toContain('is also in a.csv')
    expect(await forceCounts('Test Police', '2020-02')).toEqual(new Map())
  })
})
