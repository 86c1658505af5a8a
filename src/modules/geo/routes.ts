import type { Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { parseForm } from '../../web/forms.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { formErrors } from '../../kernel/form-errors.ts'
import type { ModuleDeps } from '../types.ts'
import { geoService } from './service.ts'
import { coordinatesSchema, geoMapSchema, LAYERS } from './schemas.ts'

export function geoRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const geo = geoService(deps)

  // The map is a GET form: layers, month and category are in the address, so a map can be shared and bookmarked.
  routes.get('/network/geography', { permission: 'network:view' }, async (req, res) => {
    const parsed = parseForm(geoMapSchema, req.query)
    const query = parsed.ok ? parsed.value : { layers: null, month: null, category: null }
    const page = await geo.map(req.ctx, query)
    res.status(parsed.ok ? 200 : 400).render('geo/views/map.njk', { ...page, layerChoices: LAYERS, errors: parsed.ok ? undefined : parsed.errors, canEdit: deps.access.can(req.ctx, 'network:edit') })
  })

  routes.get('/network/entities/:id/place', { permission: 'network:edit' }, async (req, res) => {
    const page = await geo.placing(req.ctx, req.params.id)
    res.render('geo/views/place.njk', { ...page, values: { latitude: page.entity.latitude ?? '', longitude: page.entity.longitude ?? '' } })
  })

  // The picture the place form's image button shows: the click's pixel comes back as `map.x` and `map.y`.
  routes.get('/network/entities/:id/place/map.svg', { permission: 'network:edit' }, async (req, res) => {
    const { picture } = await geo.placing(req.ctx, req.params.id)
    if (!picture) return res.status(404).end()
    res.type('image/svg+xml').send(picture.svg)
  })

  routes.post('/network/entities/:id/place', { permission: 'network:edit' }, async (req, res) => {
    const id = req.params.id
    const body = (req.body ?? {}) as Record<string, unknown>
    const version = Number(body.version)
    const again = async (status: number, errors: ReturnType<typeof formErrors>) => {
      const page = await geo.placing(req.ctx, id)
      res.status(status).render('geo/views/place.njk', { ...page, values: body, errors })
    }
    if (body.action === 'remove') {
      await geo.setPlace(req.ctx, id, version, null, 'removed')
      flash(req, { type: 'success', text: 'Location taken off the map' })
      return res.redirect(303, `/network/entities/${id}`)
    }
    if (body['map.x'] !== undefined) {
      const place = await geo.clickedPlace(req.ctx, id, Number(body['map.x']), Number(body['map.y']))
      if (!place) return again(400, formErrors([{ field: 'map', message: 'Choose a point inside the map, or enter the latitude and longitude' }]))
      await geo.setPlace(req.ctx, id, version, place, 'map')
    } else {
      const parsed = parseForm(coordinatesSchema, body)
      if (!parsed.ok) return again(400, parsed.errors)
      await geo.setPlace(req.ctx, id, version, parsed.value, 'coordinates')
    }
    flash(req, { type: 'success', text: 'Location placed on the map' })
    res.redirect(303, `/network/geography#place-${id}`)
  })

  return routes.router
}
