import { afterAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from './config.ts'
import { createLogger } from './web/logger.ts'
import { openConfiguredDatabase, prepareDatabase, resolveSessionSecret, underStartUpLock } from './bootstrap.ts'
import { openDatabase } from './db/index.ts'
import { sql } from 'kysely'
import { freePort, signInCookie, LANTERN_SERVER, startNode, stopProcess } from '../bench/support/server.ts'

const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-data-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('starting Lantern on the embedded database', () => {
  it('loads the demo into a new data folder once, and a second start keeps every change', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, LANTERN_MODE: 'demo' })
    const logger = createLogger('silent')

    const first = await openConfiguredDatabase(config)
    await prepareDatabase(config, first.db, logger)
    const secret = await resolveSessionSecret(config, first.db)
    await first.db.insertInto('agencies').values({ name: 'Added before the restart', short_name: 'Restart', kind: 'other' }).execute()
    const counts = await first.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(counts.n).toBeGreaterThan(0)
    await first.close()

    const second = await openConfiguredDatabase(config)
    await prepareDatabase(config, second.db, logger)
    const agency = await second.db.selectFrom('agencies').select('name').where('short_name', '=', 'Restart').execute()
    expect(agency).toEqual([{ name: 'Added before the restart' }])
    const after = await second.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(after.n).toBe(counts.n)
    expect(await resolveSessionSecret(config, second.db)).toBe(secret)
    await second.close()
  }, 300_000)

  it('will not start on a new empty database where a restore was cut short between moving the old folder aside and the new one in', async () => {
    const interrupted = mkdtempSync(path.join(tmpdir(), 'lantern-data-'))
    try {
      mkdirSync(path.join(interrupted, 'pglite.replaced-0123456789ab'))
      const config = loadConfig({ DATA_DIR: interrupted, LANTERN_MODE: 'demo' })
      await expect(openConfiguredDatabase(config)).rejects.toThrow(/a restore was cut short: .*pglite\.replaced-0123456789ab holds the database it was replacing/)
      expect(readdirSync(interrupted)).toEqual(['pglite.replaced-0123456789ab'])
    } finally {
      rmSync(interrupted, { recursive: true, force: true })
    }
  })

  it('refuses to start in production while a demo account is active', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, LANTERN_MODE: 'production', SESSION_SECRET: 'x'.repeat(40), LANTERN_SECRET_KEY: 'k'.repeat(40), DATABASE_URL: 'postgres://unused/unused' })
    const handle = await openConfiguredDatabase({ ...config, databaseUrl: undefined })
    await expect(prepareDatabase(config, handle.db, createLogger('silent'))).rejects.toThrow(/demo account/)
    await handle.close()
  }, 120_000)
})

const serverUrl = process.env.TEST_DATABASE_URL
describe.runIf(serverUrl)('two Lantern instances starting together on one empty PostgreSQL database', () => {
  it('both come up: one migrates, seeds the demo and makes the session secret, the other waits and finds it done', async () => {
    const name = `lantern_t_start_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: serverUrl })
    await admin.connect()
    await admin.query(`create database ${name}`)
    const url = new URL(serverUrl!)
    url.pathname = `/${name}`
    const started: ChildProcess[] = []
    try {
      const ports = [await freePort(), await freePort()]
      const start = (port: number) =>
        startNode(
          LANTERN_SERVER,
          { DATABASE_URL: url.href, PORT: String(port), HOST: '127.0.0.1', LANTERN_MODE: 'demo', LOG_LEVEL: 'info', SESSION_SECRET: '' },
          (s) => s.includes('Lantern is running'),
        ).then((child) => started.push(child))
      const outcomes = await Promise.allSettled(ports.map(start))
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'started'))).toEqual(['started', 'started'])
      for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/sign-in`)).status).toBe(200)
      const db = new pg.Client({ connectionString: url.href })
      await db.connect()
      try {
        // The demo once: its administrator exists exactly once, and one session secret.
        expect((await db.query(`select count(*)::int as n from users where email = 'admin@lantern.test'`)).rows[0].n).toBe(1)
        expect((await db.query(`select count(*)::int as n from settings where key = 'session_secret'`)).rows[0].n).toBe(1)
      } finally {
        await db.end()
      }
    } finally {
      await Promise.all(started.map(stopProcess))
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    }
  }, 600_000)
})

describe.runIf(serverUrl)('the start-up lock under the web server’s database limits', () => {
  it('waits for another instance’s start-up however long it takes, then gives the connection back with its limits', async () => {
    const holder = new pg.Client({ connectionString: serverUrl })
    await holder.connect()
    const handle = await openDatabase({ url: serverUrl!, limits: { poolSize: 1, queueLimit: 10, queueTimeoutMs: 30_000, statementTimeoutMs: 60_000, lockTimeoutMs: 100 } })
    try {
      await holder.query(`select pg_advisory_lock(hashtext('lantern start-up'))`)
      const waited = underStartUpLock(handle.db, async (conn) => (await sql<{ lock_timeout: string }>`show lock_timeout`.execute(conn)).rows[0].lock_timeout)
      // Held ten times the lock timeout: a second instance must wait for the first's migrations and demo, not die.
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      await holder.query(`select pg_advisory_unlock(hashtext('lantern start-up'))`)
      expect(await waited).toBe('0')
      const after = await sql<{ lock_timeout: string; statement_timeout: string }>`select current_setting('lock_timeout') as lock_timeout, current_setting('statement_timeout') as statement_timeout`.execute(handle.db)
      expect(after.rows[0]).toEqual({ lock_timeout: '100ms', statement_timeout: '1min' })
    } finally {
      await handle.close()
      await holder.end()
    }
  })
})

describe.runIf(serverUrl)('Lantern with a web login that owns nothing (DATABASE_OWNER_URL), as docs/security.md sets up production', () => {
  it('starts, and shows a partnership officer the same partnership-wide figures as an instance on the owner’s login', async () => {
    const name = `lantern_t_split_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
    const login = `lantern_web_t_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: serverUrl })
    await admin.connect()
    await admin.query(`create database ${name}`)
    const owner = new URL(serverUrl!)
    owner.pathname = `/${name}`
    const children: ChildProcess[] = []
    const start = async (env: Record<string, string>) => {
      const port = await freePort()
      children.push(await startNode(LANTERN_SERVER, { PORT: String(port), HOST: '127.0.0.1', LANTERN_MODE: 'demo', LOG_LEVEL: 'info', ...env }, (s) => s.includes('Lantern is running')))
      return `http://127.0.0.1:${port}`
    }
    const figures = async (base: string) => {
      const cookie = await signInCookie(base, 'partnership@lantern.test')
      const html = await (await fetch(`${base}/dashboards/risk`, { headers: { cookie } })).text()
      return [...html.matchAll(/<table[\s\S]*?<\/table>/g)].map((m) => m[0])
    }
    try {
      // The owner's instance migrates and loads the demo (lantern_app exists from then on).
      const asOwner = await start({ DATABASE_URL: owner.href })
      await admin.query(`create role ${login} login in role lantern_app`)
      const web = new URL(owner.href)
      web.username = login
      const split = await start({ DATABASE_URL: web.href, DATABASE_OWNER_URL: owner.href })
      const expected = await figures(asOwner)
      expect(expected.join('')).toMatch(/\d/)
      expect(await figures(split)).toEqual(expected)
    } finally {
      await Promise.all(children.map(stopProcess))
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.query(`drop role if exists ${login}`)
      await admin.end()
    }
  }, 600_000)
})
