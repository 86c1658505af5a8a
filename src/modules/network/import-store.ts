import { sql, type Insertable } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { NetworkLinksTable } from './tables.ts'

/**
 * SQL for `lantern network import` and nothing else: the command validates the file and audits.
 * Imported entities are deal lines matched by name, so the phases of one investigation loaded one
 * after another reuse their entities.
 */
export function networkImportStore(db: Db) {
  return {
    /** The agency named by its name or short name, any case. */
    agencyNamed: (name: string) =>
      db
        .selectFrom('agencies')
        .select('id')
        .where((eb) => eb.or([eb(sql`lower(name)`, '=', name.toLowerCase()), eb(sql`lower(short_name)`, '=', name.toLowerCase())]))
        .executeTakeFirst(),

    lineNamed: (name: string) => db.selectFrom('network_entities').select('id').where('kind', '=', 'line').where('line_name', '=', name).executeTakeFirst(),

    insertLine: (row: { name: string; description: string; ownerAgencyId: string }) =>
      db
        .insertInto('network_entities')
        .values({ kind: 'line', label: row.name, line_name: row.name, description: row.description, owner_agency_id: row.ownerAgencyId })
        .returning('id')
        .executeTakeFirstOrThrow(),

    insertLink: (row: Insertable<NetworkLinksTable>) => db.insertInto('network_links').values(row).execute(),
  }
}
