import { Router, type Request } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { replicaReads } from '../../db/replica.ts'
import { showingSavedOnConflict } from '../../web/conflict.ts'
import { pageNumber, pagination, queryPageHref } from '../../web/pagination.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { sendCsv } from '../../lib/csv-download.ts'
import { networkService, toGraphml, requireUser } from './service.ts'
import { ensureMapBundle } from './bundle.ts'
import { twoModeRoutes } from './two-mode-routes.ts'
import { notificationsService } from '../notifications/index.ts'
import { mapData, MAP_KINDS, MAP_LINK_STYLES } from './map/map-data.ts'
import { mapLayouts } from './map/layouts.ts'
import { mapSvg } from './map/svg.ts'
import { iconColour, MAP_ICONS } from './map/icons.ts'
import { parse as parseQuery } from 'node:querystring'
import type { EntityRow } from './store.ts'
import { scopeTimeline, TIMELINE_KINDS, type TimelineKind } from './scope-timeline.ts'
import { returnWithCreated, safeReturnTo } from '../../web/return-to.ts'
import {
  ASSESSMENT_GRADES,
  ENTITY_KIND_TEXT,
  GROUP_TYPES,
  HANDLING_CODES,
  LINK_TYPES,
  LOCATION_TYPES,
  SOURCE_GRADES,
  entitySchema,
  linkSchema,
  linkStatusSchema,
  scopeSchema,
  pathsSchema,
} from './schemas.ts'

function queryString(req: Request) {
  const i = req.originalUrl.indexOf('?')
  return i < 0 ? '' : req.originalUrl.slice(i + 1)
}

/** The entity list shows this many a page, and counts matches up to ENTITIES_COUNTED. */
const ENTITIES_PER_PAGE = 50
const ENTITIES_COUNTED = 10_000

export function networkRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const network = networkService(deps)
  // Measures across the whole network only read: a replica, when near enough, answers them.
  const measures = replicaReads(deps.replica, network, (db) => networkService({ ...deps, db }))
  const notifications = notificationsService(deps)
  const layouts = mapLayouts(deps)
  const timeline = scopeTimeline(deps)
  const { access } = deps

  const constants = { linkTypes: LINK_TYPES, locationTypes: LOCATION_TYPES, groupTypes: GROUP_TYPES, sourceGrades: SOURCE_GRADES, assessmentGrades: ASSESSMENT_GRADES, handlingCodes: HANDLING_CODES, kindNames: ENTITY_KIND_TEXT, mapKinds: MAP_KINDS.map((k) => ({ ...k, icon: MAP_ICONS[k.kind], iconColor: iconColour(k.color) })), mapLinks: MAP_LINK_STYLES }

  function parseScope(req: Request) {
    return parseForm(scopeSchema, req.query)
  }

  // The explorer: a scope form, the accessible tables, and the map as an enhancement.
  routes.get('/network', { permission: 'network:view' }, async (req, res) => {
    const parsed = parseScope(req)
    const options = await network.scopeOptions(req.ctx, typeof req.query.entityId === 'string' ? req.query.entityId : undefined)
    const values = { ...req.query }
    if (!parsed.ok) return res.status(400).render('network/views/explorer.njk', { options, values, errors: parsed.errors, ...constants })
    const result = await network.explore(req.ctx, parsed.value)
    res.render('network/views/explorer.njk', { options, values, scope: parsed.value, result, query: queryString(req), canExport: access.can(req.ctx, 'network:export'), canEdit: access.can(req.ctx, 'network:edit'), ...constants })
  })

  routes.get('/network/graph.json', { permission: 'network:view' }, async (req, res) => {
    const parsed = parseScope(req)
    if (!parsed.ok) return res.status(400).json({ error: parsed.errors.errorList.map((e) => e.text).join('; ') })
    const result = await network.explore(req.ctx, parsed.value)
    res.json(mapData(result, parsed.value.size, await layouts.layoutFor(req.ctx, parsed.value)))
  })

  routes.get('/network/map-bundle.js', { permission: 'network:view' }, async (_req, res) => {
    res.type('application/javascript').sendFile(await ensureMapBundle())
  })

  // The map's "Save layout": the scope comes back as the explorer's own query, so the analyst returns to it.
  routes.post('/network/layouts', { permission: 'network:view' }, async (req, res) => {
    const query = typeof req.body?.query === 'string' ? req.body.query : ''
    const parsed = parseForm(scopeSchema, parseQuery(query))
    const saved = parsed.ok && (await layouts.saveLayout(req.ctx, parsed.value, req.body?.positions))
    if (!saved) return res.status(400).render('network/views/layout-not-saved.njk', { back: parsed.ok ? `/network?${query}` : '/network' })
    flash(req, { type: 'success', text: 'Layout saved: this map opens as you arranged it' })
    res.redirect(303, `/network?${query}`)
  })

  routes.get('/network/export/:file', { permission: 'network:export' }, async (req, res) => {
    const parsed = parseScope(req)
    const file = req.params.file
    if (!parsed.ok || !['nodes.csv', 'links.csv', 'network.graphml', 'network.svg'].includes(file)) return res.status(400).render('network/views/explorer.njk', { options: await network.scopeOptions(req.ctx, typeof req.query.entityId === 'string' ? req.query.entityId : undefined), values: req.query, errors: parsed.ok ? undefined : parsed.errors, ...constants })
    const result = await network.exportScope(req.ctx, parsed.value, file)
    if (file === 'network.svg') {
      res.setHeader('Content-Type', 'image/svg+xml; charset=utf-8')
      res.setHeader('Content-Disposition', 'attachment; filename="lantern-network.svg"')
      return res.send(mapSvg(mapData(result, parsed.value.size, await layouts.layoutFor(req.ctx, parsed.value)), `Network map of ${result.description}`))
    }
    if (file === 'network.graphml') {
      res.setHeader('Content-Type', 'application/graphml+xml; charset=utf-8')
      res.setHeader('Content-Disposition', 'attachment; filename="lantern-network.graphml"')
      return res.send(toGraphml(result))
    }
    if (file === 'nodes.csv') {
      return sendCsv(res, 'lantern-network-nodes.csv', ['id', 'label', 'kind', 'local_authority', 'rag', 'degree', 'betweenness', 'closeness', 'community'], [result.nodes.map((n) => [n.id, n.label, n.kind, n.area ?? '', n.rag ?? '', n.degree, n.betweenness, n.closeness, n.community])])
    }
    return sendCsv(res, 'lantern-network-links.csv', ['id', 'source', 'source_label', 'target', 'target_label', 'type', 'directed', 'first_seen', 'last_seen', 'grade', 'status', 'source_agency'], [
      result.links.map((l) => [l.id, l.source_id, l.sourceLabel, l.target_id, l.targetLabel, l.type, l.directed, l.first_seen ?? '', l.last_seen ?? '', l.grade, l.status, l.source_agency_name]),
    ])
  })

  // "How is A connected to B": the form alone until both are chosen.
  routes.get('/network/paths', { permission: 'network:view' }, async (req, res) => {
    const asked = 'from' in req.query && 'to' in req.query
    const values = { from: typeof req.query.from === 'string' ? req.query.from : '', to: typeof req.query.to === 'string' ? req.query.to : '' }
    const choices = await network.pathChoices(req.ctx, [values.from, values.to])
    if (!asked) return res.render('network/views/paths.njk', { choices, values })
    const parsed = parseForm(pathsSchema, req.query)
    if (!parsed.ok) return res.status(400).render('network/views/paths.njk', { choices, values, errors: parsed.errors })
    res.render('network/views/paths.njk', { choices, values, result: await network.paths(req.ctx, parsed.value) })
  })

  // The timeline of the explorer's scope: the same query, so it opens from the explorer and back.
  routes.get('/network/timeline', { permission: 'network:view' }, async (req, res) => {
    const { events, ...scopeFields } = req.query
    const parsed = parseForm(scopeSchema, scopeFields)
    if (!parsed.ok) return res.redirect(303, `/network?${queryString(req)}`)
    const known = new Set<string>(TIMELINE_KINDS.map((k) => k.value))
    const asked = events === undefined ? [...known] : [events].flat().map(String).filter((k) => known.has(k))
    const chosen = asked as TimelineKind[]
    const result = await timeline(req.ctx, parsed.value, chosen)
    res.render('network/views/timeline.njk', { result, chosen, timelineKinds: TIMELINE_KINDS, scopeFields, scopeQuery: new URLSearchParams(Object.entries(scopeFields).flatMap(([k, v]) => [v].flat().map((x) => [k, String(x)]))).toString() })
  })

  routes.get('/network/cross-border', { permission: 'network:view' }, async (req, res) => {
    res.render('network/views/cross-border.njk', await measures((s) => s.crossBorder(req.ctx)))
  })

  // Entities
  routes.get('/network/entities', { permission: 'network:view' }, async (req, res) => {
    const user = requireUser(req.ctx)
    const kind = typeof req.query.kind === 'string' && req.query.kind in ENTITY_KIND_TEXT ? (req.query.kind as keyof typeof ENTITY_KIND_TEXT) : undefined
    const search = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : ''
    const asked = pageNumber(req.query)
    const list = await network.store.entityPage(user, {
      kinds: kind ? [kind] : undefined,
      search,
      offset: (asked - 1) * ENTITIES_PER_PAGE,
      limit: ENTITIES_PER_PAGE,
      countLimit: ENTITIES_COUNTED,
    })
    const pages = Math.ceil(list.total / ENTITIES_PER_PAGE)
    await deps.audit.record(req.ctx, { action: 'search', recordType: 'network_entity', details: { kind, q: search || undefined, page: asked, count: list.rows.length } })
    res.render('network/views/entities.njk', {
      entities: list.rows,
      closedLines: await network.closedLines(req.ctx, list.rows),
      total: list.total,
      more: list.more,
      first: (asked - 1) * ENTITIES_PER_PAGE + 1,
      kind,
      search,
      pagination: pagination(asked, pages, queryPageHref('/network/entities', req.query)),
      canEdit: access.can(req.ctx, 'network:edit'),
      ...constants,
    })
  })

  // Started from a report's triage, the new entity goes back there to be linked (checked return address).
  routes.get('/network/entities/new', { permission: 'network:edit' }, async (req, res) => {
    res.render('network/views/entity-form.njk', { options: await network.entityFormOptions(req.ctx), values: { kind: req.query.kind ?? '' }, returnTo: safeReturnTo(req.query.returnTo), ...constants })
  })
  routes.post('/network/entities/new', { permission: 'network:edit' }, async (req, res) => {
    const parsed = parseForm(entitySchema, req.body)
    const result = parsed.ok ? await network.createEntity(req.ctx, parsed.value) : parsed
    const returnTo = safeReturnTo(req.body?.returnTo)
    if (!result.ok) return res.status(400).render('network/views/entity-form.njk', { options: await network.entityFormOptions(req.ctx), values: req.body, errors: result.errors, returnTo, ...constants })
    flash(req, { type: 'success', text: 'Entity added to the network' })
    res.redirect(returnTo ? returnWithCreated(returnTo, result.value) : `/network/entities/${result.value}`)
  })

  routes.get('/network/entities/:id', { permission: 'network:view' }, async (req, res) => {
    const page = await network.entityPage(req.ctx, req.params.id)
    const watching = await notifications.watching(req.ctx, req.params.id)
    res.render('network/views/entity.njk', { ...page, watching, canEdit: access.can(req.ctx, 'network:edit'), ...constants })
  })

  // Editing a line, place, vehicle or group; a person's details belong to the register.
  routes.get('/network/entities/:id/edit', { permission: 'network:edit' }, async (req, res) => {
    const { entity, areas } = await network.entityForEdit(req.ctx, req.params.id)
    if (entity.kind === 'person') return res.redirect(303, `/people/${entity.person_id}/edit`)
    res.render('network/views/entity-edit.njk', { entity, areas, values: editValues(entity), ...constants })
  })
  routes.post('/network/entities/:id/edit', { permission: 'network:edit' }, async (req, res) => {
    const { entity, areas } = await network.entityForEdit(req.ctx, req.params.id)
    if (entity.kind === 'person') return res.redirect(303, `/people/${entity.person_id}/edit`)
    const parsed = parseForm(entitySchema, { ...req.body, kind: entity.kind, personId: '' })
    const result = parsed.ok
      ? await showingSavedOnConflict(network.updateEntity(req.ctx, entity.id, Number(req.body?.version), parsed.value), async () => editValues((await network.entityForEdit(req.ctx, entity.id)).entity))
      : parsed
    if (!result.ok) return res.status(400).render('network/views/entity-edit.njk', { entity, areas, values: req.body, errors: result.errors, ...constants })
    flash(req, { type: 'success', text: 'Details saved' })
    res.redirect(`/network/entities/${entity.id}`)
  })

  routes.get('/network/entities/:id/links/new', { permission: 'network:edit' }, async (req, res) => {
    const page = await network.entityPage(req.ctx, req.params.id)
    // With many entities the other end is found by name first (a GET of this page with `find`), then chosen (`targetId`).
    const choice = { find: typeof req.query.find === 'string' ? req.query.find : undefined, targetId: typeof req.query.targetId === 'string' ? req.query.targetId : undefined }
    const options = await network.linkFormOptions(req.ctx, req.params.id, choice)
    res.render('network/views/link-form.njk', { ...page, options, values: { sourceAgencyId: req.ctx.user?.agencyId, direction: 'from', targetId: choice.targetId }, ...constants })
  })
  routes.post('/network/entities/:id/links/new', { permission: 'network:edit' }, async (req, res) => {
    const parsed = parseForm(linkSchema, req.body)
    const result = parsed.ok ? await network.addLink(req.ctx, req.params.id, parsed.value) : parsed
    if (!result.ok) {
      const page = await network.entityPage(req.ctx, req.params.id)
      const options = await network.linkFormOptions(req.ctx, req.params.id, { targetId: typeof req.body?.targetId === 'string' ? req.body.targetId : undefined })
      return res.status(400).render('network/views/link-form.njk', { ...page, options, values: req.body, errors: result.errors, ...constants })
    }
    flash(req, { type: 'success', text: 'Link recorded' })
    res.redirect(`/network/entities/${req.params.id}`)
  })

  routes.get('/network/links/:id', { permission: 'network:view' }, async (req, res) => {
    res.render('network/views/link.njk', { ...(await network.link(req.ctx, req.params.id)), canEdit: access.can(req.ctx, 'network:edit'), values: {} })
  })
  routes.post('/network/links/:id/status', { permission: 'network:edit' }, async (req, res) => {
    const parsed = parseForm(linkStatusSchema, req.body)
    if (!parsed.ok) return res.status(400).render('network/views/link.njk', { ...(await network.link(req.ctx, req.params.id)), canEdit: true, values: req.body, errors: parsed.errors })
    await network.setLinkStatus(req.ctx, req.params.id, parsed.value.status, parsed.value.reason)
    flash(req, { type: 'success', text: parsed.value.status === 'wrong' ? 'Link marked wrong' : 'Link closed' })
    res.redirect(`/network/links/${req.params.id}`)
  })

  twoModeRoutes(routes, deps)
  return routes.router
}

/** The edit form's answers as they are now, under the form's field names. */
function editValues(e: EntityRow) {
  return {
    version: e.version,
    label: e.label,
    lineName: e.line_name,
    phoneNumber: e.phone_number,
    locationType: e.location_type,
    address: e.address,
    postcode: e.postcode,
    registration: e.registration,
    vehicleDescription: e.vehicle_description,
    groupType: e.group_type,
    areaId: e.area_id,
    description: e.description,
  }
}
