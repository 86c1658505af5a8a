import { z } from 'zod'
import path from 'node:path'
import type { DatabaseLimits } from './db/limits.ts'

/**
 * Configuration is read once from the environment and validated, so a bad or missing setting stops
 * start-up with a clear message instead of failing on the first request that needs it.
 */
const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Where to listen; unset, a demo listens on this machine only and production on every interface. */
    HOST: z.string().optional(),
    DATABASE_URL: z.string().url().optional(),
    /**
     * The role that owns the tables, for migrations, the demo seed and `lantern` commands. Unset,
     * DATABASE_URL's role is the owner too. See docs/security.md ("Two database roles").
     */
    DATABASE_OWNER_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
    DATABASE_QUEUE_LIMIT: z.coerce.number().int().min(0).max(10_000).default(50),
    DATABASE_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    DATA_DIR: z.string().default('./data'),
    /** demo: demo accounts and data may exist. production: they must not. */
    LANTERN_MODE: z.enum(['demo', 'production']).optional(),
    SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
    /**
     * Seals secrets Lantern must read back (TOTP secrets) in the database (src/auth/secret-box.ts).
     * Unset in demo mode, one is made and kept in the database like the session secret.
     */
    LANTERN_SECRET_KEY: z.string().min(32, 'LANTERN_SECRET_KEY must be at least 32 characters').optional(),
    /** Keys that sealed values before LANTERN_SECRET_KEY, comma-separated, kept until `lantern secrets reseal`. */
    LANTERN_PREVIOUS_SECRET_KEYS: z
      .string()
      .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
      .refine((keys) => keys.every((k) => k.length >= 32), 'each of LANTERN_PREVIOUS_SECRET_KEYS must be at least 32 characters')
      .optional(),
    REPLICA_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'REPLICA_DATABASE_URL must be a postgres:// address').optional(),
    REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).max(3600).default(30),
    METRICS_TOKEN: z.string().min(32, 'METRICS_TOKEN must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
    LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(50).default(5),
    LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    SECURE_COOKIES: booleanish.optional(),
    TRUST_PROXY: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    OIDC_ISSUER: z.string().url().optional(),
    OIDC_CLIENT_ID: z.string().optional(),
    OIDC_CLIENT_SECRET: z.string().optional(),
    OIDC_REDIRECT_URI: z.string().url().optional(),
    OIDC_BUTTON_TEXT: z.string().default('Sign in with your organisation account'),
    SMTP_URL: z.string().optional(),
    LANTERN_JOBS: z.enum(['in-process', 'off'], { message: "LANTERN_JOBS must be 'in-process' or 'off'" }).default('in-process'),
    MAIL_FROM: z.string().default('Lantern <no-reply@lantern.invalid>'),
    PUBLIC_BASE_URL: z.string().url().optional(),
    /** Tiles under the geographic map, for deployments with internet access: an https URL with {z}, {x} and {y}. */
    MAP_TILE_URL: z
      .string()
      .regex(/^https:\/\/[^\s"'<>]+$/, 'MAP_TILE_URL must be an https URL')
      .refine((v) => ['{z}', '{x}', '{y}'].every((p) => v.includes(p)), 'MAP_TILE_URL must hold {z}, {x} and {y}')
      .optional(),
    /**
     * The privacy notice's facts that are the deployer's to give (docs/public.md, "The privacy
     * notice"): who the controller is, and how to reach its data protection officer.
     */
    PRIVACY_CONTROLLER: z.string().max(300).optional(),
    PRIVACY_CONTROLLER_ADDRESS: z.string().max(500).optional(),
    PRIVACY_DPO_EMAIL: z.string().email('PRIVACY_DPO_EMAIL must be an email address').optional(),
    PRIVACY_DPO_POSTAL: z.string().max(500).optional(),
    PRIVACY_ICO_REGISTRATION: z.string().max(40).optional(),
    /** Runs Lantern's calendar from this day (demos, training and tests); never in production. */
    LANTERN_TODAY: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'LANTERN_TODAY must be a date like 2026-11-23')
      .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'LANTERN_TODAY must be a real date')
      .optional(),
  })
  .superRefine((env, ctx) => {
    const production = (env.LANTERN_MODE ?? (env.NODE_ENV === 'production' ? 'production' : 'demo')) === 'production'
    if (production && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'SESSION_SECRET is required in production' })
    }
    if (production && !env.LANTERN_SECRET_KEY) {
      ctx.addIssue({ code: 'custom', path: ['LANTERN_SECRET_KEY'], message: 'LANTERN_SECRET_KEY is required in production (it seals TOTP secrets in the database; keep it outside the database and its backups)' })
    }
    if (production && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'DATABASE_URL is required in production (the embedded database is for demos and development)' })
    }
    if (production && env.LANTERN_TODAY) {
      ctx.addIssue({ code: 'custom', path: ['LANTERN_TODAY'], message: 'LANTERN_TODAY is for demos and tests; production runs on the real date' })
    }
    if (env.REPLICA_DATABASE_URL && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['REPLICA_DATABASE_URL'], message: 'REPLICA_DATABASE_URL needs DATABASE_URL: a replica copies a PostgreSQL server, not the embedded database' })
    }
    if (env.LANTERN_JOBS === 'off' && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['LANTERN_JOBS'], message: 'LANTERN_JOBS=off needs DATABASE_URL: on the embedded database only the server can run background jobs' })
    }
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_REDIRECT_URI]
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: 'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_REDIRECT_URI go together' })
    }
  })

export type Env = z.infer<typeof schema>

/** A setting is missing or wrong: the message names each one. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export interface Config {
  env: Env['NODE_ENV']
  mode: 'demo' | 'production'
  port: number
  host: string
  databaseUrl?: string
  /** The tables' owner, when the web server's login (databaseUrl) is not. */
  databaseOwnerUrl?: string
  /**
   * A streaming replica of the server that serves the read-only analytics pages while it is no
   * more than `maxLagSeconds` behind (src/db/replica.ts).
   */
  replica?: { url: string; maxLagSeconds: number }
  /** For the web server's connections to a PostgreSQL server (src/db/limits.ts). */
  database: DatabaseLimits
  dataDir: string
  sessionSecret?: string
  /** The key that seals secrets in the database, and those that sealed them before (src/auth/secret-box.ts). */
  secretKey?: string
  previousSecretKeys: string[]
  /** The bearer token Prometheus sends for /metrics; without one, /metrics is not served. */
  metricsToken?: string
  session: { idleMinutes: number; absoluteHours: number }
  lockout: { threshold: number; minutes: number }
  secureCookies: boolean
  trustProxy?: string
  logLevel: Env['LOG_LEVEL']
  oidc?: { issuer: string; clientId: string; clientSecret?: string; redirectUri: string; buttonText: string }
  smtpUrl?: string
  mailFrom: string
  publicBaseUrl?: string
  /** The geographic map's optional tile layer ({z}/{x}/{y}); none by default, as the demo runs offline. */
  mapTileUrl?: string
  /** The privacy notice's deployer-given facts; a demo fills them with its fictional partnership's. */
  privacy: PrivacyConfig
  /** The day Lantern's calendar starts from instead of the real date (never in production). */
  today?: string
  /** Whether this server process runs background jobs too ('off' when `lantern worker`s do it all). */
  jobs: 'in-process' | 'off'
}

export interface PrivacyConfig {
  controller?: string
  controllerAddress?: string
  dpoEmail?: string
  dpoPostal?: string
  icoRegistration?: string
}

/** The demo's fictional partnership, so the notice reads complete; production shows what is missing instead. */
const DEMO_PRIVACY: PrivacyConfig = {
  controller: 'Hampshire County Council, for the partners of the community safety partnership (demonstration)',
  controllerAddress: 'The Castle, Winchester SO23 8UJ',
  dpoEmail: 'data.protection@lantern.invalid',
  dpoPostal: 'Data Protection Officer, The Castle, Winchester SO23 8UJ',
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as shells and .env files often leave them.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'environment'}: ${i.message}`)
    throw new ConfigError(`Lantern cannot start: the configuration is not valid.\n${lines.join('\n')}`)
  }
  const env = parsed.data
  const mode = env.LANTERN_MODE ?? (env.NODE_ENV === 'production' ? 'production' : 'demo')
  return {
    env: env.NODE_ENV,
    mode,
    port: env.PORT,
    host: env.HOST ?? (mode === 'demo' ? '127.0.0.1' : '0.0.0.0'),
    databaseUrl: env.DATABASE_URL,
    databaseOwnerUrl: env.DATABASE_OWNER_URL,
    replica: env.REPLICA_DATABASE_URL ? { url: env.REPLICA_DATABASE_URL, maxLagSeconds: env.REPLICA_MAX_LAG_SECONDS } : undefined,
    database: {
      poolSize: env.DATABASE_POOL_SIZE,
      queueLimit: env.DATABASE_QUEUE_LIMIT,
      queueTimeoutMs: env.DATABASE_QUEUE_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: env.DATABASE_LOCK_TIMEOUT_MS,
    },
    dataDir: path.resolve(env.DATA_DIR),
    sessionSecret: env.SESSION_SECRET,
    secretKey: env.LANTERN_SECRET_KEY,
    previousSecretKeys: env.LANTERN_PREVIOUS_SECRET_KEYS ?? [],
    metricsToken: env.METRICS_TOKEN,
    session: { idleMinutes: env.SESSION_IDLE_MINUTES, absoluteHours: env.SESSION_ABSOLUTE_HOURS },
    lockout: { threshold: env.LOCKOUT_THRESHOLD, minutes: env.LOCKOUT_MINUTES },
    secureCookies: env.SECURE_COOKIES ?? mode === 'production',
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_REDIRECT_URI
        ? { issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET, redirectUri: env.OIDC_REDIRECT_URI, buttonText: env.OIDC_BUTTON_TEXT }
        : undefined,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    mapTileUrl: env.MAP_TILE_URL,
    privacy: privacyFrom(env, mode === 'demo'),
    today: env.LANTERN_TODAY,
    jobs: env.LANTERN_JOBS,
  }
}

function privacyFrom(env: Env, demo: boolean): PrivacyConfig {
  const given: PrivacyConfig = {
    controller: env.PRIVACY_CONTROLLER,
    controllerAddress: env.PRIVACY_CONTROLLER_ADDRESS,
    dpoEmail: env.PRIVACY_DPO_EMAIL,
    dpoPostal: env.PRIVACY_DPO_POSTAL,
    icoRegistration: env.PRIVACY_ICO_REGISTRATION,
  }
  if (!demo || given.controller) return given
  return { ...DEMO_PRIVACY, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v)) }
}
