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

  it('refuses production without a session secret and a database server', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(/SESSION_SECRET is required in production[\s\S]*DATABASE_URL is required/)
  })

  it('accepts a complete production configuration with secure cookies', () => {
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://lantern@db/lantern' })
    expect(config.mode).toBe('production')
    expect(config.secureCookies).toBe(true)
  })

  it('names the setting that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(/PORT/)
    expect(() => loadConfig({ OIDC_ISSUER: 'https://login.example.org' })).toThrowError(/OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_REDIRECT_URI go together/)
  })

  it('runs the calendar from a chosen day for demos and tests, never in production', () => {
    expect(loadConfig({ LANTERN_TODAY: '2026-11-23' }).today).toBe('2026-11-23')
    expect(loadConfig({}).today).toBeUndefined()
    expect(() => loadConfig({ LANTERN_TODAY: '2026-02-30' })).toThrowError(/LANTERN_TODAY must be a real date/)
    expect(() => loadConfig({ LANTERN_TODAY: '23/11/2026' })).toThrowError(/LANTERN_TODAY must be a date like 2026-11-23/)
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://lantern@db/lantern' }
    expect(() => loadConfig({ ...production, LANTERN_TODAY: '2026-11-23' })).toThrowError(/LANTERN_TODAY is for demos and tests/)
  })
})
