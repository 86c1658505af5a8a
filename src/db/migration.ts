import { sql, type Kysely, type Migration } from 'kysely'

/**
 * A migration is a list of SQL statements run in order inside the migrator's transaction. Statements
 * are sent one at a time because the embedded PGlite and the pg driver both take one statement per
 * parameterised query.
 */
export function statements(...list: string[]): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const statement of list) await sql.raw(statement).execute(db)
    },
  }
}
