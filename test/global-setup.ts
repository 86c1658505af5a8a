import pg from 'pg'
import { randomBytes } from 'node:crypto'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { openDatabase, type Db } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { AXE_CHECKED_ENV, seedTestDemo, TEMPLATE_ENV } from './support/templates.ts'
import { ensureBuilt } from './global-build.ts'

/**
 * Migrating and seeding the demo cost seconds per database (tens of seconds for an embedded one on
 * a busy machine), and almost every integration and browser test file wants one or two. So they
 * are made once per run here, and each test database is a copy: `create database … template …` on
 * the server, a data-folder tar file loaded into a new PGlite.
 *
 * The integration and e2e projects both name this file; vitest loads it once per project, so the
 * work is shared through globalThis and undone by the last teardown.
 */
interface Prepared {
  env: Record<string, string>
  dispose(): Promise<void>
}
interface Shared {
  users: number
  prepared: Promise<Prepared>
}
const KEY = Symbol.for('lantern.test.templates')
const shared = globalThis as { [KEY]?: Shared }

export async function setup(_project: TestProject) {
  const state = (shared[KEY] ??= { users: 0, prepared: prepare() })
  state.users++
  const { env } = await state.prepared
  // Workers are started after global setup and inherit this process's environment.
  Object.assign(process.env, env)
  return async () => {
    if (--state.users > 0) return
    delete shared[KEY]
    for (const name of Object.keys(env)) delete process.env[name]
    await (await state.prepared).dispose()
  }
}

async function prepare(): Promise<Prepared> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-test-templates-'))
  const server = process.env.TEST_DATABASE_URL
  const run = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`
  const results = await Promise.allSettled([
    preparePglite(dir),
    server ? preparePostgres(server, run) : Promise.resolve(undefined),
    // Beside the templates rather than before them: the build is mostly a wait on esbuild's own threads.
    ensureBuilt(),
  ])
  const postgres = results[1].status === 'fulfilled' ? results[1].value : undefined
  const dispose = async () => {
    rmSync(dir, { recursive: true, force: true })
    await postgres?.dispose()
  }
  const failed = results.find((r) => r.status === 'rejected')
  if (failed) {
    await dispose()
    throw (failed as PromiseRejectedResult).reason
  }
  const pglite = (results[0] as PromiseFulfilledResult<Record<string, string>>).value
  const axeChecked = path.join(dir, 'axe-checked')
  mkdirSync(axeChecked)
  return { env: { ...pglite, ...postgres?.env, [AXE_CHECKED_ENV]: axeChecked }, dispose }
}

async function preparePglite(dir: string): Promise<Record<string, string>> {
  const script = fileURLToPath(new URL('./global-setup-pglite.ts', import.meta.url))
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'inherit', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
  if (code !== 0) throw new Error(`preparing the PGlite templates failed (exit ${code}):\n${stderr}`)
  return { [TEMPLATE_ENV.pgliteMigrated]: path.join(dir, 'migrated.tar'), [TEMPLATE_ENV.pgliteDemo]: path.join(dir, 'demo.tar') }
}

async function preparePostgres(serverUrl: string, run: string) {
  const migrated = `lantern_tpl_${run}_migrated`
  const demo = `lantern_tpl_${run}_demo`
  const created: string[] = []
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  /** Creates the database (from a template if given), then does `work` on it and closes it again. */
  const make = async (name: string, template: string | undefined, work: (db: Db) => Promise<unknown>) => {
    await admin(template ? `create database ${name} template ${template}` : `create database ${name}`)
    created.push(name)
    const url = new URL(serverUrl)
    url.pathname = `/${name}`
    const handle = await openDatabase({ url: url.href, poolSize: 2 })
    try {
      await work(handle.db)
    } finally {
      // A template must have no sessions while it is copied.
      await handle.close()
    }
  }
  const dispose = async () => {
    for (const name of created.reverse()) await admin(`drop database if exists ${name} with (force)`)
  }
  try {
    await make(migrated, undefined, migrateToLatest)
    await make(demo, migrated, seedTestDemo)
  } catch (err) {
    await dispose()
    throw err
  }
  return {
    env: { [TEMPLATE_ENV.postgresMigrated]: migrated, [TEMPLATE_ENV.postgresDemo]: demo, [TEMPLATE_ENV.postgresServer]: serverUrl },
    dispose,
  }
}
