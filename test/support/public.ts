import type { AddressInfo } from 'node:net'
import { TEST_SECRETS } from './secrets.ts'
import type { Logger } from 'pino'
import { expect } from 'vitest'
import { createApp } from '../../src/app.ts'
import { createLogger } from '../../src/web/logger.ts'
import { modules } from '../../src/modules/index.ts'
import type { TestApp } from './app.ts'
import { TestClient } from './http.ts'
import { createPublicModule, type PublicModuleOptions } from '../../src/modules/public/module.ts'
import type { Config } from '../../src/config.ts'
import type { Db } from '../../src/db/index.ts'

/** Lantern's modules with the public module built with these options. */
export function modulesWithPublic(options: PublicModuleOptions) {
  return modules.map((m) => (m.name === 'public' ? createPublicModule(options) : m))
}

/** Generous limits for tests that send many reports from one address. */
export const TEST_RATE_LIMITS = { journeyPosts: 10_000, submissions: 10_000, windowMinutes: 10 }

/**
 * A second Lantern instance on a test app's database, with its own public-module options,
 * configuration or logger: cheap, because the database is already migrated and seeded.
 */
export async function secondInstance(app: TestApp, options: { publicOptions?: PublicModuleOptions; config?: Partial<Config>; logger?: Logger; db?: Db } = {}) {
  const built = createApp({
    config: { ...app.config, ...options.config },
    clock: app.clock,
    db: options.db ?? app.database.db,
    databaseKind: app.database.kind,
    logger: options.logger ?? createLogger('silent'),
    ...TEST_SECRETS,
    modules: modulesWithPublic(options.publicOptions ?? { rateLimits: TEST_RATE_LIMITS }),
  })
  const server = built.app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}

export interface JourneyAnswers {
  what: string
  where: string
  area: string
  when: string
  whenDetail?: string
  who?: string
  child: string
  anythingElse?: string
  contact: 'anonymous' | 'contact'
  contactName?: string
  contactPhone?: string
  contactEmail?: string
}

export function answersFor(areaId: string, overrides: Partial<JourneyAnswers> = {}): JourneyAnswers {
  return {
    what: 'Lots of different people calling at the ground-floor flat, a few minutes each, until 2am.',
    where: 'Ground-floor flat, Dunsbury Way',
    area: areaId,
    when: 'ongoing',
    whenDetail: 'Every night this week',
    who: 'Two boys about 15, London accents',
    child: 'yes',
    anythingElse: '',
    contact: 'anonymous',
    ...overrides,
  }
}

/** The CSRF token on a page, taken from its form as a browser would. */
export function tokenIn(html: string): string {
  const match = html.match(/name="_csrf" value="([^"]+)"/)
  if (!match) throw new Error('no CSRF token on the page')
  return match[1]
}

/** Answers every question as a browser would (GET the page, POST its form), ending on check your answers. */
export async function answerJourney(client: TestClient, answers: JourneyAnswers, headers: Record<string, string> = {}) {
  const pages: [string, Record<string, string>][] = [
    ['what-you-saw', { what: answers.what }],
    ['where', { where: answers.where, area: answers.area }],
    ['when', { when: answers.when, whenDetail: answers.whenDetail ?? '' }],
    ['who', { who: answers.who ?? '' }],
    ['child', { child: answers.child }],
    ['anything-else', { anythingElse: answers.anythingElse ?? '' }],
    ['contact', { contact: answers.contact }],
  ]
  if (answers.contact === 'contact') {
    pages.push(['contact-details', { contactName: answers.contactName ?? '', contactPhone: answers.contactPhone ?? '', contactEmail: answers.contactEmail ?? '' }])
  }
  for (const [slug, form] of pages) {
    const page = await client.get(`/report/${slug}`, headers)
    expect(page.status).toBe(200)
    const res = await postForm(client, `/report/${slug}`, { ...form, _csrf: tokenIn(await page.text()), homepage: '' }, headers)
    expect(res.status, `answering ${slug}`).toBe(303)
  }
  const check = await client.get('/report/check', headers)
  expect(check.status).toBe(200)
  return tokenIn(await check.text())
}

/** A POST with extra headers (TestClient.post sends none). */
export async function postForm(client: TestClient, path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const c = client as unknown as { cookieHeader(): string; remember(res: Response): void }
  const res = await fetch(client.baseUrl + path, {
    method: 'POST',
    headers: { cookie: c.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
    redirect: 'manual',
  })
  c.remember(res)
  return res
}
