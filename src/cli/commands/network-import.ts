import type { Command } from 'commander'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Db } from '../../db/index.ts'
import type { RequestContext } from '../../kernel/context.ts'
import type { ParsedNetwork } from '../../analytics/graph/index.ts'
import { UserError } from '../errors.ts'
import { withDatabase } from '../context.ts'
import { checkDateOption } from '../options.ts'
import { networkCommand } from './network.ts'

export interface ImportOptions {
  /** Agency that holds the intelligence (name or short name). */
  agency: string
  /** Prefix of the imported entities' names, so two data sets never share an entity by accident. */
  prefix: string
  operation?: string
  firstSeen?: string
  /** The day an operation made by the import starts when no first-seen date is given. */
  today: string
  lastSeen?: string
  grade: { source: 1 | 2 | 3; assessment: 'A' | 'B' | 'C' | 'D' | 'E'; handling: 'P' | 'C' }
  basis: string
}

export interface ImportSummary {
  entitiesCreated: number
  entitiesReused: number
  links: number
  operationId?: string
}

/**
 * Loads a network read from an adjacency matrix or edge list into the database, in one
 * transaction: each node becomes a deal-line entity (intercepted-call data is between phones),
 * matched by name so that importing the phases of one investigation one after another reuses its
 * entities and builds the intelligence over time; each edge becomes a graded link whose basis
 * records the call count. With an operation, the entities become its targets.
 */
export async function importNetwork(db: Db, ctx: RequestContext, parsed: ParsedNetwork, options: ImportOptions): Promise<ImportSummary> {
  // Imported when the command runs, not when `lantern` starts (see foundation.ts).
  const [{ networkImportStore }, { operationImportStore }, { auditService }] = await Promise.all([
    import('../../modules/network/index.ts'),
    import('../../modules/operations/index.ts'),
    import('../../audit/service.ts'),
  ])
  const agency = await networkImportStore(db).agencyNamed(options.agency)
  if (!agency) throw new UserError(`no agency called "${options.agency}"`)
  const audit = auditService(db)
  return db.transaction().execute(async (trx) => {
    const network = networkImportStore(trx)
    const ids: string[] = []
    let created = 0
    for (const label of parsed.labels) {
      const name = `${options.prefix} ${label}`
      const existing = await network.lineNamed(name)
      if (existing) {
        ids.push(existing.id)
        continue
      }
      const row = await network.insertLine({ name, description: options.basis, ownerAgencyId: agency.id })
      ids.push(row.id)
      created++
    }
    for (const edge of parsed.edges) {
      await network.insertLink({
        source_id: ids[edge.source],
        target_id: ids[edge.target],
        type: 'associates_with',
        directed: parsed.directed,
        first_seen: options.firstSeen ?? null,
        last_seen: options.lastSeen ?? null,
        source_agency_id: agency.id,
        basis: `${options.basis}: ${edge.weight} intercepted call${edge.weight === 1 ? '' : 's'}`,
        grade_source: options.grade.source,
        grade_assessment: options.grade.assessment,
        grade_handling: options.grade.handling,
      })
    }
    let operationId: string | undefined
    if (options.operation) {
      const operations = operationImportStore(trx)
      const op = await operations.operationNamed({ name: options.operation, leadAgencyId: agency.id, startedOn: options.firstSeen ?? options.today, summary: options.basis })
      operationId = op.id
      await operations.addTargets(op.id, ids)
    }
    await audit.record(ctx, { action: 'import', recordType: 'network', details: { entities: ids.length, created, links: parsed.edges.length, operation: options.operation ?? null } }, trx)
    return { entitiesCreated: created, entitiesReused: ids.length - created, links: parsed.edges.length, operationId }
  })
}

const GRADE = /^([123])([A-E])([PC])$/

export function register(program: Command): void {
  networkCommand(program)
    .command('import')
    .description('load a network from CSV into the database as entities and graded links (one transaction: all or nothing)')
    .option('--adjacency <file>', 'adjacency matrix CSV: first row and first column are node labels')
    .option('--edges <file>', 'edge list CSV with a header: source,target[,weight]')
    .option('--directed', 'keep direction')
    .requiredOption('--agency <name>', 'the agency that holds this intelligence')
    .option('--prefix <text>', 'prefix of the entity names (default: the file name)')
    .option('--operation <name>', 'the joint operation the intelligence belongs to (created if new); the entities become its targets')
    .option('--first-seen <date>', 'YYYY-MM-DD: when this intelligence starts (e.g. a wiretap phase)')
    .option('--last-seen <date>', 'YYYY-MM-DD: when it ends')
    .option('--grade <code>', '3x5x2 grade, e.g. 1AP (source 1-3, assessment A-E, handling P/C)', '1AP')
    .action(async (options: { adjacency?: string; edges?: string; directed?: boolean; agency: string; prefix?: string; operation?: string; firstSeen?: string; lastSeen?: string; grade: string }) => {
      const file = options.adjacency ?? options.edges
      if (!file || (options.adjacency && options.edges)) throw new UserError('give one of --adjacency FILE or --edges FILE')
      const grade = GRADE.exec(options.grade)
      if (!grade) throw new UserError(`--grade must look like 1AP (source 1-3, assessment A-E, handling P or C), not "${options.grade}"`)
      checkDateOption('--first-seen', options.firstSeen)
      checkDateOption('--last-seen', options.lastSeen)
      const { GraphInputError, parseAdjacencyCsv, parseEdgeListCsv } = await import('../../analytics/graph/index.ts')
      let parsed: ParsedNetwork
      try {
        const text = await readFile(file, 'utf8')
        parsed = options.adjacency ? parseAdjacencyCsv(text, { directed: options.directed }) : parseEdgeListCsv(text, { directed: options.directed })
      } catch (err) {
        if (err instanceof GraphInputError) throw new UserError(`${file}: ${err.message}`)
        throw new UserError(`cannot read ${file}: ${(err as Error).message}`)
      }
      const [{ loadConfig }, { clockFor }] = await Promise.all([import('../../config.ts'), import('../../kernel/clock.ts')])
      const today = clockFor(loadConfig().today).today()
      const summary = await withDatabase(({ db }, ctx) =>
        importNetwork(db, ctx, parsed, {
          today,
          agency: options.agency,
          prefix: options.prefix ?? path.basename(file).replace(/\.csv$/i, ''),
          operation: options.operation,
          firstSeen: options.firstSeen,
          lastSeen: options.lastSeen,
          grade: { source: Number(grade[1]) as 1, assessment: grade[2] as 'A', handling: grade[3] as 'P' },
          basis: `Imported from ${path.basename(file)}`,
        }),
      )
      console.log(`Imported ${summary.links} links between ${summary.entitiesCreated + summary.entitiesReused} entities (${summary.entitiesCreated} new, ${summary.entitiesReused} already known)${options.operation ? ` into ${options.operation}` : ''}.`)
    })
}
