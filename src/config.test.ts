import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

describe('loadConfig', () => {
  it('defaults to demo mode on the embedded database, port 3000', () => {
    const config = loadConfig({})
    expect(config.mode).toBe('demo')
    expect(config.port).toBe(3000)
    expect(config.databaseUrl).toBeUndefined()
    expect(config.secureCookies).toBe(false)
  })

  it('refuses production without a session secret, a secret key and a database server', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(/SESSION_SECRET is required in production[\s\S]*LANTERN_SECRET_KEY is required in production[\s\S]*DATABASE_URL is required/)
  })

  it('reads the secret key and the previous ones kept for a change of key', () => {
    const config = loadConfig({ LANTERN_SECRET_KEY: 'n'.repeat(40), LANTERN_PREVIOUS_SECRET_KEYS: `${'a'.repeat(32)}, ${'b'.repeat(33)}` })
    expect(config.secretKey).toBe('n'.repeat(40))
    expect(config.previousSecretKeys).toEqual(['a'.repeat(32), 'b'.repeat(33)])
    expect(loadConfig({}).previousSecretKeys).toEqual([])
    expect(() => loadConfig({ LANTERN_SECRET_KEY: 'short' })).toThrowError(/LANTERN_SECRET_KEY must be at least 32 characters/)
    expect(() => loadConfig({ LANTERN_PREVIOUS_SECRET_KEYS: `${'a'.repeat(32)},short` })).toThrowError(/each of LANTERN_PREVIOUS_SECRET_KEYS/)
  })

  it('accepts a complete production configuration with secure cookies', () => {
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), LANTERN_SECRET_KEY: 'k'.repeat(40), DATABASE_URL: 'postgres://lantern@db/lantern' })
    expect(config.mode).toBe('production')
    expect(config.secureCookies).toBe(true)
  })

  it('names the setting that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(/PORT/)
    expect(() => loadConfig({ OIDC_ISSUER: 'https://login.example.org' })).toThrowError(/OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_REDIRECT_URI go together/)
  })

  it('runs background jobs in the server unless told to leave them to workers, which the embedded database cannot have', () => {
    expect(loadConfig({}).jobs).toBe('in-process')
    expect(loadConfig({ LANTERN_JOBS: 'off', DATABASE_URL: 'postgres://lantern@db/lantern' }).jobs).toBe('off')
    expect(() => loadConfig({ LANTERN_JOBS: 'off' })).toThrowError(/LANTERN_JOBS=off needs DATABASE_URL/)
    expect(() => loadConfig({ LANTERN_JOBS: 'sometimes' })).toThrowError(/LANTERN_JOBS must be/)
  })

  it('runs the calendar from a chosen day for demos and tests, never in production', () => {
    expect(loadConfig({ LANTERN_TODAY: '2026-11-23' }).today).toBe('2026-11-23')
    expect(loadConfig({}).today).toBeUndefined()
    expect(() => loadConfig({ LANTERN_TODAY: '2026-02-30' })).toThrowError(/LANTERN_TODAY must be a real date/)
    expect(() => loadConfig({ LANTERN_TODAY: '23/11/2026' })).toThrowError(/LANTERN_TODAY must be a date like 2026-11-23/)
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), LANTERN_SECRET_KEY: 'k'.repeat(40), DATABASE_URL: 'postgres://lantern@db/lantern' }
    expect(() => loadConfig({ ...production, LANTERN_TODAY: '2026-11-23' })).toThrowError(/LANTERN_TODAY is for demos and tests/)
  })

  it('listens on this machine only in demo mode unless HOST says otherwise, on every interface in production', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1')
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0')
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), LANTERN_SECRET_KEY: 'k'.repeat(40), DATABASE_URL: 'postgres://lantern@db/lantern' }).host).toBe('0.0.0.0')
  })

  it('bounds how long a request may wait for the database, with defaults', () => {
    expect(loadConfig({}).database).toEqual({ poolSize: 10, queueLimit: 50, queueTimeoutMs: 10_000, statementTimeoutMs: 60_000, lockTimeoutMs: 5_000 })
    expect(loadConfig({ DATABASE_LOCK_TIMEOUT_MS: '250', DATABASE_POOL_SIZE: '3' }).database).toMatchObject({ lockTimeoutMs: 250, poolSize: 3 })
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: 'soon' })).toThrowError(/DATABASE_STATEMENT_TIMEOUT_MS/)
  })
})
