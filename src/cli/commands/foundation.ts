import type { Command } from 'commander'
import { UserError } from '../errors.ts'
import { withDatabase } from '../context.ts'
import { wholeNumberOption } from '../options.ts'
import { DEFAULT_DEMO_SEED } from '../../demo/defaults.ts'

// What the actions need is imported inside them: `lantern` registers every command at start, and
// loading the web app, the database drivers and the demo for each one took seconds of CPU.

/** `lantern db migrate`, `lantern seed --demo`, `lantern user add`. */
export function register(program: Command) {
  const db = program.command('db').description('The database')
  db.command('migrate')
    .description('Apply every pending migration (also done at start-up), under an advisory lock')
    .action(async () => {
      const [{ underStartUpLock }, { migrateToLatest }] = await Promise.all([import('../../bootstrap.ts'), import('../../db/migrate.ts')])
      await withDatabase(
        async ({ db }) => {
          const applied = await underStartUpLock(db, (conn) => migrateToLatest(conn))
          console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.')
        },
        { migrate: false },
      )
    })

  program
    .command('seed')
    .description('Load generated data')
    .option('--demo', 'the demo partnership and its story (an empty database only)')
    .option('--seed <n>', 'random seed, for a different but still deterministic demo', String(DEFAULT_DEMO_SEED))
    .action(async (options: { demo?: boolean; seed: string }) => {
      if (!options.demo) throw new UserError('say what to seed: --demo')
      const seed = wholeNumberOption('--seed', options.seed)
      const [{ loadConfig }, { underStartUpLock }, { isEmpty, seedDemo }, { modules }] = await Promise.all([
        import('../../config.ts'),
        import('../../bootstrap.ts'),
        import('../../demo/seed.ts'),
        import('../../modules/index.ts'),
      ])
      if (loadConfig().mode === 'production') throw new UserError('demo data is refused in production mode')
      await withDatabase(({ db }) =>
        // Under the start-up lock: a server starting on the same empty database loads the demo too.
        underStartUpLock(db, async (conn) => {
          if (!(await isEmpty(conn))) throw new UserError('the database already holds agencies; demo data goes only into an empty database')
          await seedDemo(conn, modules, { seed })
          console.log('Loaded the demo partnership. Sign in with the accounts listed in the README.')
        }),
      )
    })

  const user = program.command('user').description('User accounts')
  user
    .command('add')
    .description('Add a user (for example the first administrator of a new installation)')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .requiredOption('--role <role>', 'practitioner, manager, analyst, partnership_officer, panel_member, information_governance or administrator')
    .requiredOption('--agency <name>', 'the agency’s name or short name; created if it does not exist')
    .option('--agency-kind <kind>', 'kind of a new agency', 'other')
    .option('--password-stdin', 'read the password from standard input instead of LANTERN_PASSWORD')
    .action(async (options: { email: string; name: string; role: string; agency: string; agencyKind: string; passwordStdin?: boolean }) => {
      const password = options.passwordStdin ? (await readStdin()).trim() : process.env.LANTERN_PASSWORD
      const [{ z }, { hashPassword }, { passwordProblem }, { auditService }, { adminStore }] = await Promise.all([
        import('zod'),
        import('../../auth/passwords.ts'),
        import('../../auth/password-policy.ts'),
        import('../../audit/service.ts'),
        import('../../modules/admin/store.ts'),
      ])
      const parsed = z
        .object({
          email: z.string().email('--email is not an email address'),
          password: z.string({ message: 'set LANTERN_PASSWORD or use --password-stdin' }),
        })
        .safeParse({ email: options.email, password })
      if (!parsed.success) throw new UserError(parsed.error.issues[0].message)
      const problem = passwordProblem(parsed.data.password, { name: options.name, email: options.email })
      if (problem) throw new UserError(`${problem} (set LANTERN_PASSWORD or use --password-stdin)`)
      await withDatabase(async ({ db }, ctx) => {
        const store = adminStore(db)
        if (!(await store.roleExists(options.role))) throw new UserError(`unknown role "${options.role}"`)
        if (await store.emailExists(options.email.toLowerCase())) {
          throw new UserError(`a user with the email ${options.email} already exists`)
        }
        // A new agency holds personal data unless it is an oversight body (insertAgency decides).
        const agency = (await store.agencyByNameOrShortName(options.agency)) ?? (await store.insertAgency({ name: options.agency, short_name: options.agency.slice(0, 40), kind: options.agencyKind }))
        const row = await store.insertUser({
          email: options.email.toLowerCase(),
          name: options.name,
          role: options.role,
          agency_id: agency.id,
          password_hash: await hashPassword(parsed.data.password),
          updated_at: new Date(),
        })
        await auditService(db).record(ctx, { action: 'create', recordType: 'user', recordId: row.id, details: { role: options.role, via: 'cli' } })
        console.log(`Added ${options.name} <${options.email}> as ${options.role}.`)
      })
    })
  user
    .command('deactivate-demo')
    .description('Deactivate every demo account (needed before a demo database is used in production)')
    .action(async () => {
      const { adminStore } = await import('../../modules/admin/store.ts')
      await withDatabase(async ({ db }) => {
        console.log(`Deactivated ${await adminStore(db).deactivateDemoAccounts()} demo account(s).`)
      })
    })
}

async function readStdin(): Promise<string> {
  let data = ''
  for await (const chunk of process.stdin) data += chunk
  return data
}
