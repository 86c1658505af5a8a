import { Router, type Request, type Response } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { rateLimit } from 'express-rate-limit'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors } from '../../kernel/form-errors.ts'
import { SESSION_COOKIE } from '../../web/middleware/session.ts'
import {
  BASE,
  firstUnanswered,
  isJourneySlug,
  markAnswered,
  newJourney,
  nextPath,
  pathOf,
  previousPath,
  type Journey,
  type JourneySlug,
} from './journey.ts'
import { CHILD_OPTIONS, CONTACT_OPTIONS, HONEYPOT_FIELD, PAGE_SCHEMAS, WHEN_OPTIONS } from './schemas.ts'
import { reportSubmissionService, SubmissionFailedError, type ReportsStoreFactory } from './service.ts'
import { contentService } from './content-service.ts'
import { redirectAfterSave } from './redirect.ts'
import { reporterFollowUp } from './follow-up.ts'
import { FOLLOW_UP_ADDITION, FOLLOW_UP_RECEIPT } from './schemas.ts'

declare module 'express-session' {
  interface SessionData {
    /** The report being written: answers and the journey's idempotency token. */
    publicReport?: Journey
    /** Set for the moment between saving a report and showing its confirmation. */
    publicReportSent?: { reference: string; receipt?: string }
  }
}

export interface PublicRateLimits {
  /** Answers posted per address per window (about ten per report). */
  journeyPosts: number
  /** Reports sent per address per window. */
  submissions: number
  windowMinutes: number
}

export const DEFAULT_RATE_LIMITS: PublicRateLimits = { journeyPosts: 100, submissions: 5, windowMinutes: 10 }

/** Where "Exit this page" goes: a neutral page that says nothing about what was being read. */
export const EXIT_URL = 'https://www.bbc.co.uk/weather'

/** Where a reporter with a receipt adds to their report and reads staff's questions. */
export const FOLLOW_UP = `${BASE}/follow-up`

/** The interruption page shown when the reporter says it is happening now. */
export const HAPPENING_NOW = `${BASE}/happening-now`

const CONTENT_PATHS = ['/signs', '/signs/:slug', '/after-you-report', '/when-to-call-999']

/**
 * The public site: information pages, and the "Report a concern" journey. The journey's requests
 * are left out of the request log (each line would carry the precise time someone used it), its
 * answers live only in the session until sent, and the session is destroyed once the report is saved.
 */
export function publicSiteRoutes(deps: ModuleDeps, options: { makeStore?: ReportsStoreFactory; rateLimits?: PublicRateLimits } = {}): Router {
  const routes = guardedRouter(deps.access)
  const reports = reportSubmissionService(deps.db, deps.clock, options.makeStore)
  const content = contentService(deps)
  const followUp = reporterFollowUp(deps)
  const limits = options.rateLimits ?? DEFAULT_RATE_LIMITS

  // ---- Information pages -----------------------------------------------------------------------
  routes.get(CONTENT_PATHS, { public: true }, async (req, res) => {
    const page = await content.publicPage(req.path.replace(/\/$/, ''))
    // A public address: a missing page is a 404 for everyone, not a sign-in prompt.
    if (!page) return res.status(404).render('pages/not-found.njk')
    const [audiences, help] = await Promise.all([content.signsPages(), content.helpPages()])
    res.render('public/views/content-page.njk', { page, audiences, help, isHub: page.path === '/signs' })
  })

  // ---- Report a concern ----------------------------------------------------------------------
  routes.use(BASE, (req, res, next) => {
    // Nothing about a reporter's visit reaches the request log: not even the time of it.
    if (res.log) res.log.level = 'silent'
    next()
  })

  // In memory only, per address, for minutes: enough to stop floods, nothing kept. Each Lantern
  // instance counts on its own; that is deliberate (no shared store that would record addresses).
  const limited = (message: string) => (_req: Request, res: Response) => {
    res.status(429).render('public/views/report/too-many.njk', { message, minutes: limits.windowMinutes })
  }
  const journeyLimiter = rateLimit({
    windowMs: limits.windowMinutes * 60_000,
    limit: limits.journeyPosts,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: limited('You have sent a lot of answers in a short time.'),
  })
  const submitLimiter = rateLimit({
    windowMs: limits.windowMinutes * 60_000,
    limit: limits.submissions,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // A report that could not be saved (and is tried again) does not count.
    skipFailedRequests: true,
    handler: limited('You have sent several reports in a short time.'),
  })

  function journeyOf(req: Request): Journey {
    req.session.publicReport ??= newJourney()
    return req.session.publicReport
  }

  function honeypotTripped(req: Request): boolean {
    const value = (req.body as Record<string, unknown> | undefined)?.[HONEYPOT_FIELD]
    return typeof value === 'string' && value.trim() !== ''
  }

  async function questionView(slug: JourneySlug, journey: Journey, changing: boolean) {
    return {
      slug,
      journey,
      values: journey.answers,
      changing,
      backHref: previousPath(slug, journey, changing),
      formAction: `${pathOf(slug)}${changing ? '?change=1' : ''}`,
      areas: slug === 'where' ? await reports.areaOptions() : undefined,
      whenOptions: WHEN_OPTIONS,
      childOptions: CHILD_OPTIONS,
      contactOptions: CONTACT_OPTIONS,
    }
  }

  routes.get(BASE, { public: true }, (_req, res) => {
    res.render('public/views/report/start.njk')
  })

  /** "Exit this page": the answers go with the session, then a neutral site. */
  routes.get(`${BASE}/exit`, { public: true }, (req, res) => {
    const leave = () => {
      res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.config.secureCookies })
      res.redirect(303, EXIT_URL)
    }
    if (req.session && !req.ctx.user) req.session.destroy(() => leave())
    else leave()
  })

  // ---- The anonymous follow-up ---------------------------------------------------------------
  // No session, no cookie and no CSRF token: the receipt in the form is the reporter's only
  // authority, and a forged form cannot know it (see src/web/middleware/csrf.ts).
  routes.get(FOLLOW_UP, { public: true }, (_req, res) => {
    res.render('public/views/report/follow-up-receipt.njk', { values: {} })
  })

  routes.post(FOLLOW_UP, { public: true }, journeyLimiter, async (req, res) => {
    const parsed = parseForm(FOLLOW_UP_RECEIPT, req.body)
    const view = parsed.ok ? await followUp.view(parsed.value.receipt) : null
    if (!view) {
      const errors = parsed.ok ? formErrors([{ field: 'receipt', message: 'We could not find a report with that receipt. Check it and try again' }]) : parsed.errors
      return res.status(400).render('public/views/report/follow-up-receipt.njk', { values: { receipt: '' }, errors })
    }
    res.render('public/views/report/follow-up.njk', { ...view, values: {} })
  })

  routes.post(`${FOLLOW_UP}/add`, { public: true }, journeyLimiter, async (req, res) => {
    const receipt = parseForm(FOLLOW_UP_RECEIPT, req.body)
    const view = receipt.ok ? await followUp.view(receipt.value.receipt) : null
    if (!receipt.ok || !view) return res.status(400).render('public/views/report/follow-up-receipt.njk', { values: { receipt: '' }, errors: formErrors([{ field: 'receipt', message: 'We could not find a report with that receipt. Check it and try again' }]) })
    const parsed = parseForm(FOLLOW_UP_ADDITION, req.body)
    if (!parsed.ok) return res.status(400).render('public/views/report/follow-up.njk', { ...view, values: req.body, errors: parsed.errors })
    await followUp.add(view.receipt, parsed.value.text)
    res.render('public/views/report/follow-up.njk', { ...(await followUp.view(view.receipt))!, values: {}, added: true })
  })

  routes.get(HAPPENING_NOW, { public: true }, (req, res) => {
    const journey = req.session.publicReport
    if (!journey) return res.redirect(BASE)
    res.render('public/views/report/happening-now.njk', { nextHref: nextPath('when', journey, req.query.change === '1') })
  })

  routes.get(`${BASE}/check`, { public: true }, async (req, res) => {
    const journey = req.session.publicReport
    if (!journey) return res.redirect(BASE)
    const missing = firstUnanswered(journey)
    if (missing) return res.redirect(pathOf(missing))
    res.render('public/views/report/check.njk', { ...(await checkView(journey)), backHref: previousPath('check', journey) })
  })

  routes.post(`${BASE}/check`, { public: true }, submitLimiter, async (req, res) => {
    const journey = req.session.publicReport
    if (!journey) {
      // Already sent by an earlier click of the same button: show the same confirmation.
      if (req.session.publicReportSent) return res.redirect(303, `${BASE}/confirmation`)
      return res.redirect(303, BASE)
    }
    if (honeypotTripped(req)) return res.status(400).render('public/views/report/not-accepted.njk')
    const missing = firstUnanswered(journey)
    if (missing) return res.redirect(303, pathOf(missing))
    try {
      const { reference } = await reports.submit(journey)
      // Shown once on the confirmation, then gone with the session: only its hash is kept.
      const wantsReceipt = String((req.body as Record<string, unknown>).followUp ?? '') === 'yes'
      const receipt = wantsReceipt ? await followUp.issueReceipt(reference) : undefined
      req.session.publicReport = undefined
      req.session.publicReportSent = { reference, receipt }
      await redirectAfterSave(req, res, `${BASE}/confirmation`)
    } catch (err) {
      if (!(err instanceof SubmissionFailedError)) throw err
      // Logged without the path, the answers or anything about the reporter.
      deps.logger.warn({ err: { message: (err.cause as Error)?.message } }, 'a public report could not be saved; the reporter was asked to try again')
      res.status(503).render('public/views/report/try-again.njk', { backHref: `${BASE}/check` })
    }
  })

  routes.get(`${BASE}/confirmation`, { public: true }, (req, res, next) => {
    const sent = req.session.publicReportSent
    if (!sent) return res.redirect(BASE)
    // The report is saved: the session, and the cookie that named it, go now. The page is
    // rendered first, while the session still exists for the page's own needs.
    res.render('public/views/report/confirmation.njk', { reference: sent.reference, receipt: sent.receipt }, (renderErr, html) => {
      if (renderErr) return next(renderErr)
      if (req.ctx.user) {
        // A member of staff who used the public form stays signed in; only the report's traces go.
        req.session.publicReportSent = undefined
        req.session.publicReport = undefined
        return req.session.save((err) => (err ? next(err) : res.send(html)))
      }
      req.session.destroy((err) => {
        if (err) return next(err)
        res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.config.secureCookies })
        res.send(html)
      })
    })
  })

  routes.get(`${BASE}/:slug`, { public: true }, async (req, res, next) => {
    const slug = String(req.params.slug)
    if (!isJourneySlug(slug)) return next()
    const journey = journeyOf(req)
    res.render(`public/views/report/${slug}.njk`, await questionView(slug, journey, req.query.change === '1'))
  })

  routes.post(`${BASE}/:slug`, { public: true }, journeyLimiter, async (req, res, next) => {
    const slug = String(req.params.slug)
    if (!isJourneySlug(slug)) return next()
    const journey = journeyOf(req)
    const changing = req.query.change === '1'
    if (honeypotTripped(req)) return res.status(400).render('public/views/report/not-accepted.njk')
    const parsed = parseForm(PAGE_SCHEMAS[slug], req.body)
    let errors = parsed.ok ? undefined : parsed.errors
    if (parsed.ok && slug === 'where' && !(await reports.isKnownArea((parsed.value as { area: string }).area))) {
      errors = formErrors([{ field: 'area', message: 'Select the area it is in, or ‘I don’t know’' }])
    }
    if (!parsed.ok || errors) {
      const view = await questionView(slug, journey, changing)
      return res.status(400).render(`public/views/report/${slug}.njk`, { ...view, values: { ...journey.answers, ...req.body }, errors })
    }
    req.session.publicReport = markAnswered(journey, slug, parsed.value as Partial<Journey['answers']>)
    // "It is happening now" stops the form: call 999 first, then carry on if they want to.
    if (slug === 'when' && req.session.publicReport.answers.when === 'now') return redirectAfterSave(req, res, `${HAPPENING_NOW}${changing ? '?change=1' : ''}`)
    await redirectAfterSave(req, res, nextPath(slug, req.session.publicReport, changing))
  })

  async function checkView(journey: Journey) {
    const a = journey.answers
    const areas = await reports.areaOptions()
    const areaName =
      a.area === 'elsewhere' ? 'Somewhere else' : a.area === 'unknown' ? 'I don’t know' : (areas.find((x) => x.id === a.area)?.name ?? 'I don’t know')
    const label = (list: readonly { value: string; text: string }[], v?: string) => list.find((o) => o.value === v)?.text ?? ''
    const contactRows =
      a.contact === 'contact'
        ? [{ key: 'Your contact details', value: [a.contactName, a.contactPhone, a.contactEmail].filter(Boolean).join('\n'), slug: 'contact-details', hidden: 'your contact details' }]
        : []
    return {
      rows: [
        { key: 'What you saw or heard', value: a.what, slug: 'what-you-saw', hidden: 'what you saw or heard' },
        { key: 'Where it happened', value: `${a.where ?? ''}\n${areaName}`, slug: 'where', hidden: 'where it happened' },
        { key: 'When it happened', value: [label(WHEN_OPTIONS, a.when), a.whenDetail].filter(Boolean).join('\n'), slug: 'when', hidden: 'when it happened' },
        { key: 'Who was involved', value: a.who ?? 'Not given', slug: 'who', hidden: 'who was involved' },
        { key: 'Is a child or young person at risk', value: label(CHILD_OPTIONS, a.child), slug: 'child', hidden: 'whether a child or young person is at risk' },
        { key: 'Anything else', value: a.anythingElse ?? 'Not given', slug: 'anything-else', hidden: 'anything else' },
        { key: 'Contact details', value: a.contact === 'contact' ? 'Yes, you can contact me' : 'No, I want to stay anonymous', slug: 'contact', hidden: 'whether you want to give contact details' },
        ...contactRows,
      ],
      anonymous: a.contact !== 'contact',
      happeningNow: a.when === 'now',
    }
  }

  return routes.router
}
