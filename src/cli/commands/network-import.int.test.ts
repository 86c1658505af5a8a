import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { testDatabaseKinds, type TestDatabase } from '../../../test/support/databases.ts'
import { seedDemo } from '../../demo/seed.ts'
import { parseAdjacencyCsv } from '../../analytics/graph/index.ts'
import { systemContext } from '../../kernel/context.ts'
import { importNetwork } from './network-import.ts'

const PHASES = '../shared/data/networks/caviar-phases'

describe.each(testDatabaseKinds())('lantern network import on $name', (kind) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await kind.create()
    await seedDemo(database.db, [])
  })
  afterAll(async () => {
    await database?.dispose()
  })

  const options = (phase: number) => ({
    agency: 'Police',
    prefix: 'CAVIAR actor',
    operation: 'Operation Caviar',
    firstSeen: `1994-0${phase}-01`,
    today: '1994-12-31',
    grade: { source: 1 as const, assessment: 'A' as const, handling: 'P' as const },
    basis: `Wiretap phase ${phase}`,
  })

  it('loads two CAVIAR phases as one operation’s intelligence over time, reusing the actors', async () => {
    const phase1 = parseAdjacencyCsv(await readFile(`${PHASES}/phase1.csv`, 'utf8'))
    const phase2 = parseAdjacencyCsv(await readFile(`${PHASES}/phase2.csv`, 'utf8'))
    const first = await importNetwork(database.db, systemContext(), phase1, options(1))
    expect(first).toMatchObject({ entitiesCreated: phase1.labels.length, entitiesReused: 0, links: phase1.edges.length })
    const second = await importNetwork(database.db, systemContext(), phase2, options(2))
    const shared = phase2.labels.filter((l) => phase1.labels.includes(l)).length
    expect(second).toMatchObject({ entitiesReused: shared, entitiesCreated: phase2.labels.length - shared, operationId: first.operationId })
    const links = await database.db.selectFrom('network_links').select(['basis', 'first_seen']).where('basis', 'like', 'Wiretap phase 2%').execute()
    expect(links).toHaveLength(phase2.edges.length)
    expect(links[0].first_seen).toBe('1994-02-01')
    const targets = await database.db.selectFrom('operation_targets').select('entity_id').where('operation_id', '=', first.operationId!).execute()
    expect(targets).toHaveLength(new Set([...phase1.labels, ...phase2.labels]).size)
  })

  it('imports nothing when the agency is unknown', async () => {
    const before = await database.db.selectFrom('network_links').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const phase3 = parseAdjacencyCsv(await readFile(`${PHASES}/phase3.csv`, 'utf8'))
    await expect(importNetwork(database.db, systemContext(), phase3, { ...options(3), agency: 'Nobody' })).rejects.toThrow(/no agency called "Nobody"/)
    const after = await database.db.selectFrom('network_links').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })
})
