import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const run = promisify(execFile)

/**
 * The house rules of .dependency-cruiser.cjs and eslint.config.js, proved by planting one of each
 * fault they exist to stop in a small tree of their own: each must be caught, and the clean parts
 * must pass.
 */
const PLANTED: Record<string, string> = {
  'src/kernel/clock.ts': "import { x } from '../web/forms.ts'\nexport const clock = x\n",
  'src/web/forms.ts': "import { registerRoutes } from '../modules/register/routes.ts'\nexport const x = registerRoutes\n",
  'src/modules/register/routes.ts': "import { peopleStore } from '../people/store.ts'\nimport { app } from '../../app.ts'\nexport const registerRoutes = [peopleStore, app]\n",
  'src/modules/people/store.ts': "export const peopleStore = 1\n",
  'src/modules/people/index.ts': "export { peopleStore } from './store.ts'\n",
  'src/modules/risk/service.ts': "import { peopleStore } from '../people/index.ts'\nimport { helper } from '../../../test/support/helper.ts'\nexport const risk = [peopleStore, helper]\n",
  'src/analytics/graph/a.ts': "import { b } from './b.ts'\nimport { Db } from '../../db/index.ts'\nexport const a = [b, Db]\n",
  'src/analytics/graph/b.ts': "import { a } from './a.ts'\nexport const b = a\n",
  'src/db/index.ts': 'export const Db = 1\n',
  'src/db/migrations/0001_x.ts': "import { risk } from '../../modules/risk/service.ts'\nexport default risk\n",
  'src/app.ts': "import { risk } from './modules/risk/service.ts'\nexport const app = risk\n",
  'test/support/helper.ts': 'export const helper = 1\n',
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', allowImportingTsExtensions: true, noEmit: true } }),
}

async function violationsIn(files: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-boundaries-'))
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
      writeFileSync(path.join(dir, name), text)
    }
    const bin = path.join(root, 'node_modules/.bin/depcruise')
    const result = await run(bin, ['src', '--config', path.join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd: dir }).catch((err: { stdout: string }) => err)
    const report = JSON.parse(result.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } }
    return report.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('the import rules', () => {
  it('catch each planted fault, and nothing else', async () => {
    const found = await violationsIn(PLANTED)
    expect(found.sort()).toEqual(
      [
        'analytics-is-a-library: src/analytics/graph/a.ts -> src/db/index.ts',
        'kernel-is-the-floor: src/kernel/clock.ts -> src/web/forms.ts',
        'migrations-stand-alone: src/db/migrations/0001_x.ts -> src/modules/risk/service.ts',
        'db-below-everything-else: src/db/migrations/0001_x.ts -> src/modules/risk/service.ts',
        'platform-below-modules: src/web/forms.ts -> src/modules/register/routes.ts',
        'modules-below-assembly: src/modules/register/routes.ts -> src/app.ts',
        'module-internals: src/modules/register/routes.ts -> src/modules/people/store.ts',
        'src-not-to-tests: src/modules/risk/service.ts -> test/support/helper.ts',
        'no-circular: src/analytics/graph/a.ts -> src/analytics/graph/b.ts',
      ].sort(),
    )
  }, 60_000)
})

describe('SQL only in stores and src/db', () => {
  const eslint = new ESLint({ cwd: root })
  const messages = async (filePath: string, text: string) =>
    (await eslint.lintText(text, { filePath: path.join(root, filePath) }))[0].messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message)
  const query = "import { sql } from 'kysely'\nexport const f = (db: any) => [db.selectFrom('people').selectAll().execute(), sql`select 1`]\n"

  it('refuses a query written in a service or a route', async () => {
    expect(await messages('src/modules/people/service.ts', query)).toHaveLength(2)
    expect(await messages('src/modules/people/routes.ts', query)).toHaveLength(2)
    expect(await messages('src/cli/commands/x.ts', query)).toHaveLength(2)
  })

  it('allows it in a store and in the database layer', async () => {
    expect(await messages('src/modules/people/store.ts', query)).toEqual([])
    expect(await messages('src/modules/people/merge-store.ts', query)).toEqual([])
    expect(await messages('src/db/like.ts', query)).toEqual([])
  })
})

describe("a module's queries on another module's tables", () => {
  const eslint = new ESLint({ cwd: root })
  const messages = async (filePath: string, text: string) =>
    (await eslint.lintText(text, { filePath: path.join(root, filePath) }))[0].messages.filter((m) => m.ruleId === 'lantern-modules/module-tables').map((m) => m.message)

  it('are refused unless eslint.config.js names them, in Kysely calls and in sql templates', async () => {
    const query = "import { sql } from 'kysely'\nexport const f = (db: any) => [db.selectFrom('people as p').selectAll().execute(), sql`select 1 from network_links l join people p on true`]\n"
    expect(await messages('src/modules/scrutiny/store.ts', query)).toEqual([
      expect.stringMatching(/^people belongs to the people module: read it through that module's index.ts/),
      expect.stringMatching(/^network_links belongs to the network module/),
      expect.stringMatching(/^people belongs to the people module/),
    ])
    expect(await messages('src/modules/scrutiny/service.ts', "export const f = (db: any) => db.innerJoin('risk_assessments as a', 'a.id', 'x.id')\n")).toHaveLength(1)
  })

  it('are refused in sql.table() and sql.raw() too, and a delete from a template is a change', async () => {
    const planted = [
      "import { sql } from 'kysely'",
      'export const named = (db: any) => sql`select 1 from ${sql.table(\'nrm_referrals\')}`.execute(db)',
      "const LINKS = 'network_links'",
      'export const constant = (db: any) => sql`insert into ${sql.table(LINKS)} default values`.execute(db)',
      "export const listed = async (db: any) => { for (const t of ['person_notes', 'indicators']) await sql`delete from ${sql.table(t)}`.execute(db) }",
      'export const unknown = (db: any, t: string) => sql`select 1 from ${sql.table(t)}`.execute(db)',
      "export const raw = (db: any) => sql.raw('select 1 from missing_episodes').execute(db)",
      'export const rawTemplate = (db: any, n: number) => sql.raw(`update risk_assessments set x = ${n}`).execute(db)',
      'export const deleted = (db: any) => sql`delete from cawns`.execute(db)',
      '',
    ].join('\n')
    expect(await messages('src/modules/plans/store.ts', planted)).toEqual([
      expect.stringMatching(/^nrm_referrals belongs to the \w+ module: read it/),
      expect.stringMatching(/^network_links belongs to the network module: change it/),
      expect.stringMatching(/^person_notes belongs to the people module: change it/),
      expect.stringMatching(/^indicators belongs to the indicators module: change it/),
      expect.stringMatching(/^sql.table\(\) names its table where/),
      expect.stringMatching(/^missing_episodes belongs to the missing module: read it/),
      expect.stringMatching(/^risk_assessments belongs to the risk module: change it/),
      expect.stringMatching(/^cawns belongs to the referrals module: change it/),
    ])
    // The same delete in the module that owns the table passes.
    expect(await messages('src/modules/indicators/store.ts', "import { sql } from 'kysely'\nexport const f = (db: any) => sql`delete from ${sql.table('indicators')}`.execute(db)\n")).toEqual([])
  })

  it("allow a module's own tables, the platform's, and the reads and writes named", async () => {
    const own = "export const f = (db: any) => [db.selectFrom('people').selectAll(), db.selectFrom('users').selectAll(), db.updateTable('people').set({})]\n"
    expect(await messages('src/modules/people/store.ts', own)).toEqual([])
    // register reads people (named); it may not write it.
    expect(await messages('src/modules/register/store.ts', "export const f = (db: any) => db.selectFrom('people').selectAll()\n")).toEqual([])
    expect(await messages('src/modules/register/store.ts', "export const f = (db: any) => db.updateTable('people').set({})\n")).toEqual([
      expect.stringMatching(/^people belongs to the people module: change it/),
    ])
  })
})

describe('docs/architecture.md', () => {
  it('pictures the imports as the code has them', async () => {
    const { diagram, withDiagram } = await import('../scripts/architecture-diagram.ts')
    const doc = readFileSync(path.join(root, 'docs/architecture.md'), 'utf8')
    expect(withDiagram(doc, diagram()), 'run: node --import tsx scripts/architecture-diagram.ts').toBe(doc)
  }, 60_000)
})
