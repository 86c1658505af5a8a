import { Router, type Request, type Response } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { type FormErrors } from '../../kernel/form-errors.ts'
import { sendCsv } from '../../lib/csv-download.ts'
import { publicScrutiny } from './public.ts'
import { trackerFilterSchema, type TrackerQuery } from './schemas.ts'
import { followRoutes } from './routes-follow.ts'
import { baseUrl } from './public-address.ts'
import { atomFeed, csvRow, CSV_COLUMNS, type FeedEntry } from './exports.ts'
import { formatLongDate, ITEM_KINDS, RAGS, statusLabel, STATUSES } from './domain.ts'
import type { Decorated } from './decorate.ts'
import { pageNumber as pageFromQuery, pagination as pageLinks, queryPageHref } from '../../web/pagination.ts'

export function trackerQuery(req: Request): { query: Partial<TrackerQuery>; errors?: FormErrors } {
  const parsed = parseForm(trackerFilterSchema, req.query)
  return parsed.ok ? { query: parsed.value } : { query: {}, errors: parsed.errors }
}

/** The page asked for (1 when absent or nonsense). */
export const pageNumber = (req: Request) => pageFromQuery(req.query)

/** GOV.UK pagination for a tracker, keeping the filters in each link. */
export const pagination = (path: string, req: Request, page: number, pages: number) => pageLinks(page, pages, queryPageHref(path, req.query, '#tracker'))

export const FILTER_OPTIONS = {
  kinds: ITEM_KINDS.map((k) => ({ value: k.value, text: k.plural })),
  statuses: STATUSES.map((s) => ({ value: s.value, text: s.text })),
  rags: [...RAGS.map((r) => ({ value: r.value, text: `${r.text}: ${r.hint.toLowerCase()}` })), { value: 'none', text: 'Not rated' }],
}

function itemUrl(base: string, r: Decorated) {
  return `${base}/scrutiny/${r.body_slug}/items/${r.id}`
}

/** Open data is meant to be reused: any site may read it. */
function openDataHeaders(res: Response) {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Cache-Control', 'public, max-age=300')
}

/**
 * The public tracker at /scrutiny, no sign-in: each body's tracker, meetings and published items,
 * every recommendation's history of responses, an Atom feed and JSON and CSV open data. Staff pages
 * live under /scrutiny/manage, behind sign-in, and are skipped here.
 */
export function scrutinyPublicRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const pub = publicScrutiny(deps.db, deps.clock)

  routes.use('/scrutiny/manage', (_req, _res, next) => next('router'))

  routes.get('/scrutiny', { public: true }, async (_req, res) => {
    res.render('scrutiny/views/public/index.njk', await pub.bodies())
  })

  async function feed(req: Request, res: Response, slug?: string) {
    const base = baseUrl(deps, req)
    const { body, entries } = await pub.activity(slug)
    const list: FeedEntry[] = entries.map((e) => {
      const r = e.item
      const link = itemUrl(base, r)
      if (e.kind === 'made') {
        return { id: `${link}#made`, title: `${r.reference}: ${r.title}`, link, updated: e.at, category: 'made', summary: `${r.kindText} made by the ${r.body_name} on ${formatLongDate(r.meeting_date)}, addressed to ${r.addressee}. ${r.text}` }
      }
      if (e.kind === 'response') {
        return { id: `${link}#response-${e.entry_id}`, title: `Response to ${r.reference}: ${r.title}`, link, updated: e.at, category: 'response', summary: `${e.who} responded on ${formatLongDate(e.on_date!)}: ${e.summary}` }
      }
      if (e.kind === 'overdue') {
        return {
          id: `${link}#overdue-${e.entry_id}`,
          title: `${r.reference} became overdue`,
          link,
          updated: e.at,
          category: 'overdue',
          summary: e.summary ?? `The response from ${r.addressee} was due on ${formatLongDate(r.due!)} and had not come by ${formatLongDate(e.on_date!)}.`,
        }
      }
      const rag = e.rag ? ` RAG ${e.rag}.` : ''
      return {
        id: `${link}#status-${e.entry_id}`,
        title: `${r.reference} is now ${statusLabel(e.status!).toLowerCase()}`,
        link,
        updated: e.at,
        category: 'status',
        summary: `Status set to ${statusLabel(e.status!).toLowerCase()}${e.reason ? ` (${e.reason})` : ''}.${rag}${e.summary ? ` ${e.summary}` : ''}`,
      }
    })
    const self = `${base}/scrutiny${slug ? `/${slug}` : ''}/feed.atom`
    res.type('application/atom+xml; charset=utf-8')
    openDataHeaders(res)
    res.send(
      atomFeed({
        id: self,
        title: body ? `${body.name}: recommendations tracker` : 'Scrutiny recommendations trackers',
        subtitle: 'Resolutions, recommendations and requests made by scrutiny bodies, and every response to them',
        self,
        alternate: `${base}/scrutiny${slug ? `/${slug}` : ''}`,
        updated: list[0]?.updated ?? new Date('2000-01-01T00:00:00Z'),
        author: body?.name ?? 'Community safety partnership scrutiny',
        entries: list,
      }),
    )
  }

  async function json(req: Request, res: Response, slug?: string) {
    const base = baseUrl(deps, req)
    const { body, rows, responses, history, today } = await pub.openData(slug)
    openDataHeaders(res)
    res.json({
      title: body ? `${body.name}: recommendations tracker` : 'Scrutiny recommendations trackers',
      licence: 'Open Government Licence v3.0 (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)',
      generated_on: today,
      count: rows.length,
      items: rows.map((r) => ({
        reference: r.reference,
        url: itemUrl(base, r),
        body: { name: r.body_name, code: r.body_code, url: `${base}/scrutiny/${r.body_slug}` },
        kind: r.kind,
        request_type: r.request_type,
        municipal_year: r.municipal_year,
        number: r.number,
        title: r.title,
        wording: r.text,
        meeting: { date: r.meeting_date, title: r.meeting_title, url: `${base}/scrutiny/${r.body_slug}/meetings/${r.meeting_id}` },
        addressee: r.addressee,
        proposed_by: r.proposed_by,
        seconded_by: r.seconded_by,
        sent_on: r.sent_on,
        // The date it is due: the one set, or the body's period counted as due_basis says.
        response_due: r.due,
        due_basis: r.dueBasis,
        answered_on: r.answered,
        status: r.status,
        status_reason: r.status_reason,
        rag: r.rag,
        rag_shown: r.shownRag,
        overdue: r.overdue,
        days_overdue: r.daysOverdue,
        days_late: r.daysLate,
        responses: (responses.get(r.id) ?? []).map((x) => ({ date: x.responded_on, by: x.responder, text: x.text, answers_request: x.answers })),
        status_history: (history.get(r.id) ?? []).map((h) => ({ at: h.changed_at, status: h.status, rag: h.rag, reason: h.reason, note: h.note, by_organisation: h.changed_by_agency })),
      })),
    })
  }

  async function csv(req: Request, res: Response, slug?: string) {
    const base = baseUrl(deps, req)
    const { rows, today } = await pub.openData(slug)
    openDataHeaders(res)
    await sendCsv(res, `${slug ?? 'scrutiny'}-tracker-${today}.csv`, CSV_COLUMNS, [rows.map((r) => csvRow(r, itemUrl(base, r)))])
  }

  routes.get('/scrutiny/feed.atom', { public: true }, (req, res) => feed(req, res))
  routes.get('/scrutiny/tracker.json', { public: true }, (req, res) => json(req, res))
  routes.get('/scrutiny/tracker.csv', { public: true }, (req, res) => csv(req, res))

  routes.get('/scrutiny/files/:fileId', { public: true }, async (req, res) => {
    const file = await pub.file(req.params.fileId)
    res.setHeader('Content-Type', file.content_type!)
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename!.replace(/[^\w.()' -]/g, '_')}"`)
    res.send(file.content)
  })

  routes.get('/scrutiny/:slug', { public: true }, async (req, res) => {
    const { query, errors } = trackerQuery(req)
    const page = await pub.body(req.params.slug, query, pageNumber(req))
    res.render('scrutiny/views/public/body.njk', { ...page, query, values: req.query, errors, filterOptions: FILTER_OPTIONS, pagination: pagination(`/scrutiny/${req.params.slug}`, req, page.page, page.pages) })
  })
  routes.get('/scrutiny/:slug/feed.atom', { public: true }, (req, res) => feed(req, res, req.params.slug))
  routes.get('/scrutiny/:slug/tracker.json', { public: true }, (req, res) => json(req, res, req.params.slug))
  routes.get('/scrutiny/:slug/tracker.csv', { public: true }, (req, res) => csv(req, res, req.params.slug))
  routes.get('/scrutiny/:slug/meetings/:meetingId', { public: true }, async (req, res) => {
    res.render('scrutiny/views/public/meeting.njk', await pub.meeting(req.params.slug, req.params.meetingId))
  })
  routes.get('/scrutiny/:slug/items/:itemId', { public: true }, async (req, res) => {
    res.render('scrutiny/views/public/item.njk', await pub.item(req.params.slug, req.params.itemId))
  })

  followRoutes(routes, deps, pub)
  return routes.router
}
