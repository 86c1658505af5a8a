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

/**
 * Row-level security on `table`: enabled and forced, the role running the migrations (the tables'
 * owner) keeps full use, and the application role `lantern_app` (every web and API request, and
 * any production web login that is its member) sees and writes only the rows `visible` allows.
 * `insert` is the WITH CHECK condition where it differs; `policy` names the application's policy.
 */
export function rowSecurity(table: string, visible: string, options: { insert?: string; policy?: string } = {}): string[] {
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `do $$ begin execute format('create policy ${table}_owner on ${table} to %I using (true) with check (true)', current_user); end $$`,
    `create policy ${table}_${options.policy ?? 'need_to_know'} on ${table} to lantern_app using (${visible}) with check (${options.insert ?? visible})`,
  ]
}
