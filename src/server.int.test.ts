import { afterAll, describe, expect, it } from 'vitest'
import type { ChildProcess } from 'node:child_process'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, openAsBlob, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { loadConfig } from './config.ts'
import { openConfiguredDatabase } from './bootstrap.ts'
import { PGlite } from '@electric-sql/pglite'
import { TEMPLATE_ENV } from '../test/support/templates.ts'
import { freePort, LANTERN_SERVER, startNode, stopProcess } from '../bench/support/server.ts'

/**
 * Testers ran the README's `lantern import police-uk` while `npm start` ran: two processes in one
 * embedded database, and in one try of two Lantern never started again. Here the real server runs
 * on a data folder while every documented command that reaches the database runs beside it.
 */
const run = promisify(execFile)
const work = mkdtempSync(path.join(tmpdir(), 'lantern-single-writer-'))
const dataDir = path.join(work, 'data')
const env = { DATA_DIR: dataDir, DATABASE_URL: '', LANTERN_MODE: 'demo', HOST: '127.0.0.1', LOG_LEVEL: 'info', SESSION_SECRET: '' }
const started: ChildProcess[] = []
afterAll(async () => {
  await Promise.all(started.map(stopProcess))
  rmSync(work, { recursive: true, force: true })
})

async function lantern(args: string[], extra: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/lantern.js', ...args], { env: { ...process.env, ...env, ...extra } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/**
 * A new data folder holding the seeded demo, restored from the copy test/global-setup.ts made once
 * for the run, so the server starts on it rather than seeding the demo itself (tens of seconds
 * each time). Outside vitest's setup the server seeds, as `npm start` does.
 */
async function withDemo(folder: string) {
  const template = process.env[TEMPLATE_ENV.pgliteDemo]
  if (template) await (await PGlite.create({ dataDir: folder, loadDataDir: await openAsBlob(template) })).close()
  return folder
}

async function startServer(folder = dataDir) {
  const child = await startNode(LANTERN_SERVER, { ...env, DATA_DIR: folder, PORT: String(await freePort()) }, (s) => s.includes('Lantern is running'))
  started.push(child)
  return child
}

/** Row counts of tables every capability writes to, read with the server stopped. */
async function counts(folder = dataDir) {
  const handle = await openConfiguredDatabase(loadConfig({ ...env, DATA_DIR: folder }))
  try {
    const result: Record<string, number> = {}
    for (const table of ['agencies', 'users', 'people', 'risk_assessments', 'network_entities', 'crimes', 'audit_events']) {
      result[table] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(handle.db)).rows[0].n
    }
    // The test's own file's month: the demo holds a later month of street-level crimes of its own.
    result.crimesOf2020 = (await sql<{ n: number }>`select count(*)::int as n from crimes where month = '2020-01-01'`.execute(handle.db)).rows[0].n
    return result
  } finally {
    await handle.close()
  }
}

const STREET = [
  'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context',
  'sw1,2020-01,Hampshire and Isle of Wight Constabulary,Hampshire and Isle of Wight Constabulary,-0.98,50.85,On or near High Street,E01022000,Havant 001A,Burglary,Under investigation,',
  'sw2,2020-01,Hampshire and Isle of Wight Constabulary,Hampshire and Isle of Wight Constabulary,-0.98,50.85,On or near High Street,E01022000,Havant 001A,Drugs,Under investigation,',
  'sw3,2020-01,Hampshire and Isle of Wight Constabulary,Hampshire and Isle of Wight Constabulary,-0.98,50.85,On or near High Street,E01022000,Havant 001A,Drugs,Under investigation,',
].join('\n')

describe('one writer for the embedded database', () => {
  it('while the server runs, each documented command forwards to it or refuses cleanly, a second server refuses, and every row survives a restart', async () => {
    const streetFile = path.join(work, '2020-01-test-street.csv')
    writeFileSync(streetFile, `${STREET}\n`)
    const valuesFile = path.join(work, 'values.csv')
    writeFileSync(valuesFile, 'area,period,value\n')
    const backupFile = path.join(work, 'while-running.tgz')
    const adjacency = path.join(work, 'phase1.csv')
    writeFileSync(adjacency, ',a,b\na,0,2\nb,1,0\n')

    const server = await startServer(await withDemo(dataDir))
    await expect(startServer()).rejects.toThrow(/Lantern will not start: the Lantern server \(pid \d+.*is using the embedded database/)

    const refused = [
      ['db', 'migrate'],
      ['seed', '--demo'],
      ['user', 'add', '--email', 'second.admin@council.example', '--name', 'Second Admin', '--role', 'administrator', '--agency', 'County council'],
      ['user', 'deactivate-demo'],
      ['indicators', 'values', 'drug-offences', valuesFile],
      ['scrutiny', 'reminders', '--queue-only'],
      ['network', 'import', '--adjacency', adjacency, '--agency', 'Police'],
      ['retention', 'apply', '--dry-run'],
      ['restore', backupFile, '--force'],
    ]
    // Started together: commands that are refused must not get in each other's way either.
    const [imported, ...refusals] = await Promise.all([
      lantern(['import', 'police-uk', streetFile]),
      ...refused.map((args) => lantern(args, { LANTERN_PASSWORD: 'copper kettle orbit lanes' })),
    ])
    expect(imported.stderr).toContain('Importing through the Lantern server')
    expect(imported.stdout).toContain('Imported 3 rows from 1 file(s)')
    expect(imported.code).toBe(0)
    const backedUp = await lantern(['backup', backupFile])
    expect(backedUp.stdout).toContain(`Backed up the database to ${backupFile}`)
    expect(statSync(backupFile).mode & 0o777).toBe(0o600)
    refusals.forEach((result, i) => {
      const said = `lantern ${refused[i].join(' ')}: ${result.stderr}`
      expect(result.code, said).toBe(1)
      expect(result.stderr, said).toMatch(/^lantern: the Lantern server \(pid \d+, since .*\) is using the embedded database in .*, so this command did nothing: stop the server first.*\n$/)
    })

    await stopProcess(server)
    expect(existsSync(path.join(dataDir, 'lantern.lock'))).toBe(false)
    const before = await counts()
    expect(before.crimesOf2020).toBe(3)
    // Nothing a refused command would have written is there.
    expect(before.users).toBeGreaterThan(0)

    await stopProcess(await startServer())
    expect(await counts()).toEqual(before)

    // The backup the server took while it ran holds the same database.
    const restoredDir = path.join(work, 'restored')
    const restored = await lantern(['restore', backupFile], { DATA_DIR: restoredDir })
    expect(restored.stdout, restored.stderr).toContain('Restored the database')
    expect(await counts(restoredDir)).toEqual(before)
  }, 900_000)

  it('a lock left by a server that died does not block the next start', async () => {
    const folder = await withDemo(path.join(work, 'crashed'))
    const server = await startServer(folder)
    server.kill('SIGKILL')
    await new Promise((resolve) => server.once('exit', resolve))
    expect(existsSync(path.join(folder, 'lantern.lock'))).toBe(true)
    await stopProcess(await startServer(folder))
    const migrated = await lantern(['db', 'migrate'], { DATA_DIR: folder })
    expect(migrated.stdout, migrated.stderr).toContain('The database is up to date')
  }, 600_000)
})
