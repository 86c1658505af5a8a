import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { Readable } from 'node:stream'
import path from 'node:path'
import { sql } from 'kysely'
import { testDatabaseKinds, type TestDatabase } from '../../../../test/support/databases.ts'
import { importPoliceUk, PoliceUkImportError, type ImportSource } from './import.ts'
import { addDevonAndCornwallAreas } from '../../../../test/support/police-uk-fixture.ts'
import { TEST_TODAY } from '../../../../test/support/templates.ts'

const SHARED = path.resolve('../shared/data/police-uk/devon-and-cornwall')
// One month with LF line endings (2018) and one with CRLF (2019).
const MONTHS = ['2018-12', '2019-05']
const haveShared = existsSync(SHARED)

function fileSource(month: string, dir = SHARED): ImportSource {
  const file = path.join(dir, `${month}-devon-and-cornwall-street.csv`)
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
    // The import never creates areas: the partnership's are set up first, as an administrator would.
    await addDevonAndCornwallAreas(database.db)
    await database.db
      .insertInto('areas')
      .values([
        { code: 'E23000099', name: 'Test Police', kind: 'force', parent_id: null },
        { code: 'E07000999', name: 'Testtown', kind: 'district', parent_id: null },
      ])
      .execute()
  })

  const areaCount = async () => (await database.db.selectFrom('areas').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n
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
    const first = await importPoliceUk(database.db, MONTHS.map((m) => fileSource(m)), { via: 'cli' })
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

  it.skipIf(!haveShared)('counts a month once whichever name of the force its file uses, and creates no area', async () => {
    // Devon and Cornwall's month as police.uk would publish it under another name of the force.
    const dir = mkdtempSync(path.join(tmpdir(), 'lantern-police-uk-'))
    try {
      const original = readFileSync(path.join(SHARED, '2019-05-devon-and-cornwall-street.csv'), 'utf8')
      writeFileSync(path.join(dir, '2019-05-devon-and-cornwall-street.csv'), original.replaceAll('Devon & Cornwall Police', 'Devon and Cornwall Police'))
      const areasBefore = await areaCount()
      const first = await importPoliceUk(database.db, [fileSource('2019-05')], { via: 'cli' })
      const renamed = await importPoliceUk(database.db, [fileSource('2019-05', dir)], { via: 'cli' })
      expect(renamed.months).toMatchObject([{ month: '2019-05', force: 'Devon & Cornwall Police', rows: first.rows, replaced: first.rows }])
      expect(renamed.replacedRows).toBe(first.rows)
      expect(await forceCounts('Devon & Cornwall Police', '2019-05')).toEqual(countDirectly('2019-05'))
      const stored = await database.db.selectFrom('crimes').select(sql<number>`count(*)::int`.as('n')).where('month', '=', '2019-05-01').executeTakeFirstOrThrow()
      expect(stored.n).toBe(first.rows)
      // The county's series is the sum of its districts' once, not twice.
      const devon = await database.db
        .selectFrom('crime_counts')
        .innerJoin('areas', 'areas.id', 'crime_counts.area_id')
        .select(sql<number>`sum(crime_counts.count)::int`.as('n'))
        .where('areas.name', '=', 'Devon')
        .where('crime_counts.month', '=', '2019-05-01')
        .executeTakeFirstOrThrow()
      const lines = original.split(/\r?\n/).filter((l) => / \d{3}[A-Z],/.test(l))
      const devonDistricts = ['East Devon', 'Exeter', 'Mid Devon', 'North Devon', 'South Hams', 'Teignbridge', 'Torridge', 'West Devon']
      expect(devon.n).toBe(lines.filter((l) => devonDistricts.some((d) => l.includes(`,${d} `))).length)
      // Both names in one import are one month in two files: refused, nothing changed.
      const both = await importPoliceUk(database.db, [fileSource('2019-05'), fileSource('2019-05', dir)], { via: 'cli' }).catch((e: unknown) => e)
      expect((both as PoliceUkImportError).problems[0].message).toBe('2019-05 of Devon & Cornwall Police is also in 2019-05-devon-and-cornwall-street.csv: import each month from one file')
      expect(await areaCount()).toBe(areasBefore)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it('stamps the demo’s own street-level import with the demo’s clock, not the real one, so the demo reads the same whenever it is loaded', async () => {
    const demo = await kind.create({ demo: true })
    try {
      const imports = await demo.db.selectFrom('police_uk_imports').select(['started_at', 'finished_at']).where('via', '=', 'demo').execute()
      expect(imports.length).toBeGreaterThan(0)
      for (const i of imports) expect([i.started_at, i.finished_at].map((d) => new Date(d!).toISOString())).toEqual([TEST_TODAY.toISOString(), TEST_TODAY.toISOString()])
    } finally {
      await demo.dispose()
    }
  })

  it('counts rows in local authorities outside the partnership as outside, in the force only, and creates no area', async () => {
    const areasBefore = await areaCount()
    const text = [HEADER, row('2020-03', 'Testtown 001A', 'Drugs'), row('2020-03', 'Neighbourtown 004C', 'Drugs'), row('2020-03', 'Neighbourtown 004C', 'Robbery'), row('2020-03', '', 'Drugs').replace('E01000001', '')].join('\n')
    const summary = await importPoliceUk(database.db, [textSource('border.csv', text)], { via: 'cli' })
    expect(summary.months).toEqual([{ month: '2020-03', force: 'Test Police', rows: 4, replaced: 0, outside: 2, withoutLocation: 1 }])
    expect(summary.outsideRows).toBe(2)
    expect(await forceCounts('Test Police', '2020-03')).toEqual(new Map([['Drugs', 3], ['Robbery', 1]]))
    expect(await forceCounts('Testtown', '2020-03')).toEqual(new Map([['Drugs', 1]]))
    expect(await areaCount()).toBe(areasBefore)
    const names = await database.db.selectFrom('areas').select('name').where('name', '=', 'Neighbourtown').execute()
    expect(names).toEqual([])
  })

  it('refuses a force it does not know, naming the file and line, rather than creating an area for it', async () => {
    const areasBefore = await areaCount()
    const text = [HEADER, row('2020-04', 'Testtown 001A', 'Drugs').replaceAll('Test Police', 'Elsewhere Police')].join('\n')
    const error = await importPoliceUk(database.db, [textSource('elsewhere.csv', text)], { via: 'cli' }).catch((e: unknown) => e)
    expect((error as PoliceUkImportError).problems).toEqual([
      { file: 'elsewhere.csv', line: 2, message: 'Falls within "Elsewhere Police" is not a police force area in Lantern: add the force on the areas page, or its name as a former name of a force' },
    ])
    expect(await areaCount()).toBe(areasBefore)
  })

  it('previews an import without writing anything: what would be added, replaced and left out, by month and force', async () => {
    await importPoliceUk(database.db, [textSource('may.csv', [HEADER, row('2020-05', 'Testtown 001A', 'Drugs')].join('\n'))], { via: 'cli' })
    const importsBefore = await database.db.selectFrom('police_uk_imports').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    const text = [HEADER, row('2020-05', 'Testtown 001A', 'Robbery'), row('2020-05', 'Neighbourtown 001A', 'Robbery'), row('2020-06', 'Testtown 001A', 'Drugs')].join('\n')
    const preview = await importPoliceUk(database.db, [textSource('preview.csv', text)], { via: 'cli', dryRun: true })
    expect(preview.importId).toBeNull()
    expect(preview.months).toEqual([
      { month: '2020-05', force: 'Test Police', rows: 2, replaced: 1, outside: 1, withoutLocation: 0 },
      { month: '2020-06', force: 'Test Police', rows: 1, replaced: 0, outside: 0, withoutLocation: 0 },
    ])
    expect(await forceCounts('Test Police', '2020-05')).toEqual(new Map([['Drugs', 1]]))
    expect(await forceCounts('Test Police', '2020-06')).toEqual(new Map())
    const importsAfter = await database.db.selectFrom('police_uk_imports').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    expect(importsAfter.n).toBe(importsBefore.n)
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

  it('reports a NUL or other control character with its file, line and column, never a database error', async () => {
    const withNul = [HEADER, row('2020-09', 'Testtown 001A', 'Drugs'), row('2020-09', 'Testtown 001A', 'Drugs').replace('High Street', 'High\u0000Street'), row('2020-09', 'Testtown 001A', 'Robbery\u0007')].join('\n')
    const error = await importPoliceUk(database.db, [textSource('nul.csv', withNul)], { via: 'cli' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PoliceUkImportError)
    const problems = (error as PoliceUkImportError).problems
    expect(problems.map((p) => [p.file, p.line])).toEqual([
      ['nul.csv', 3],
      ['nul.csv', 4],
    ])
    expect(problems[0].message).toMatch(/^column 7 \(Location\) holds a NUL byte \(U\+0000\), which is not text/)
    expect(problems[1].message).toMatch(/^column 10 \(Crime type\) holds a control character \(U\+0007\)/)
    expect(await forceCounts('Test Police', '2020-09')).toEqual(new Map())
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
