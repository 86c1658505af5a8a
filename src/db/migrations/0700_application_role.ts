import { statements } from '../migration.ts'

/**
 * The application's own database role. Migrations (and the CLI, the demo seed and start-up) run as
 * the role that owns the tables; every web and API request runs its statements as `lantern_app`
 * (see src/db/scope.ts), which owns nothing and so cannot alter, disable or drop anything, and
 * may only add to and read the audit trail.
 *
 * Roles belong to the whole PostgreSQL cluster, not to one database, so several Lantern databases
 * on one server share it; creating it is a no-op when another database (or a concurrent
 * migration) already has. The owner is made a member so that it may `SET ROLE` to it.
 */
export default statements(
  `do $$ begin
     create role lantern_app nologin;
   exception when duplicate_object or unique_violation then null;
   end $$`,
  `do $$ begin
     execute format('grant lantern_app to %I', current_user);
   exception when others then
     -- A superuser needs no membership; a role that cannot grant it is told by the next statement
     -- that fails, at start-up, not silently at the first request.
     if not (select rolsuper from pg_roles where rolname = current_user) then raise; end if;
   end $$`,
  `grant usage on schema public to lantern_app`,
  `grant select, insert, update, delete on all tables in schema public to lantern_app`,
  `grant usage, select on all sequences in schema public to lantern_app`,
  `grant execute on all functions in schema public to lantern_app`,
  // Tables, sequences and functions later migrations create are granted the same way.
  `alter default privileges in schema public grant select, insert, update, delete on tables to lantern_app`,
  `alter default privileges in schema public grant usage, select on sequences to lantern_app`,
  // The audit trail: add and read only. Its append-only triggers stay as a second wall.
  `revoke update, delete, truncate, references, trigger on audit_events from lantern_app`,
  // The head of the audit trail's hash chain is moved only by its trigger, which runs as the owner.
  `do $$ begin
     if to_regclass('audit_chain_head') is not null then revoke all on audit_chain_head from lantern_app; end if;
   end $$`,
  // Bookkeeping of the migrations themselves is the owner's alone.
  `revoke all on kysely_migration, kysely_migration_lock from lantern_app`,
)
