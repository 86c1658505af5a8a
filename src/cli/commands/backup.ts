import type { Command } from 'commander'
import path from 'node:path'
import { Readable } from 'node:stream'
import { UserError } from '../errors.ts'
import { withDataFolder, withDatabase } from '../context.ts'

// The backup code (and the database drivers) are imported when a command runs (see foundation.ts).
const backups = () => import('../../db/backup.ts')

/** Backup errors are the user's to act on: one line, exit 1. */
async function reported<T>(work: () => Promise<T>): Promise<T> {
  const { BackupError } = await backups()
  try {
    return await work()
  } catch (err) {
    if (err instanceof BackupError) throw new UserError(err.message)
    throw err
  }
}

/** `lantern backup FILE`, `lantern restore FILE [--force]`, for either database. */
export function register(program: Command) {
  program
    .command('backup')
    .description('Back up the whole database into FILE (while the server runs, too): the embedded one as PGlite’s dump, a PostgreSQL server’s with pg_dump')
    .argument('<file>', 'the backup file to write (replaced whole if it exists; readable by you only)')
    .action(async (file: string) => {
      const target = path.resolve(file)
      const { writeAtomically, backUpPostgres } = await backups()
      const { loadConfig } = await import('../../config.ts')
      const config = loadConfig()
      await reported(async () => {
        // The owner's login: the web login may not read the migrations' own tables, nor replace anything.
        if (config.databaseUrl) return backUpPostgres(config.databaseOwnerUrl ?? config.databaseUrl, target)
        await withDatabase(
          async (handle) => writeAtomically(target, Readable.fromWeb((await handle.dumpDataDir!('gzip')).stream() as never)),
          {
            migrate: false,
            // The running server takes the dump between requests; this command writes the file.
            forward: async (server) => writeAtomically(target, await server.request('GET', '/v1/backup')),
          },
        )
      })
      console.log(`Backed up the database to ${target}.`)
    })

  program
    .command('restore')
    .description('Replace the database with a backup made by `lantern backup` (stop the server first); the backup is checked before anything is replaced')
    .argument('<file>', 'the backup file')
    .option('--force', 'replace a database that already holds data')
    .action(async (file: string, options: { force?: boolean }) => {
      const source = path.resolve(file)
      const [{ restoreEmbedded, restorePostgres }, { loadConfig }, { embeddedFolder }] = await Promise.all([backups(), import('../../config.ts'), import('../../bootstrap.ts')])
      const config = loadConfig()
      await reported(() =>
        config.databaseUrl
          ? restorePostgres(config.databaseOwnerUrl ?? config.databaseUrl, source, options)
          : withDataFolder(config, () => restoreEmbedded(source, embeddedFolder(config), options)),
      )
      console.log(`Restored the database from ${source}. Start Lantern: it applies any newer migrations.`)
    })
}
