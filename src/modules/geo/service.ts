import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ConflictError, NotFoundError } from '../../kernel/errors.ts'
import { buildNetwork, crossBorderPairs } from '../../analytics/graph/index.ts'
import { hasBoundary } from '../../analytics/geo/index.ts'
import { entityRef, locationTypeText, networkStore, requireUser, toAnalysis } from '../network/index.ts'
import { geoStore, type MapAreaRow, type PlaceRow } from './store.ts'
import { geoMapSvg, placingSvg, type GeoArea } from './map-svg.ts'
import { LAYERS, type GeoMapQuery, type Layer } from './schemas.ts'

/** The most crimes a map reads for a month; past CRIME_POINTS they are drawn as hexagons only. */
const CRIMES_READ = 50_000
const CRIME_POINTS = 5_000

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
const toArea = (a: MapAreaRow): GeoArea => ({ code: a.code, name: a.name, inPartnership: a.in_partnership })

export function geoService(deps: ModuleDeps) {
  const { db, access, audit, config } = deps
  const store = geoStore(db)
  const network = networkStore(db)

  /** A location the user may see and change, or not found (never "forbidden", which would tell it exists). */
  async function placeable(ctx: RequestContext, id: string) {
    const user = requireUser(ctx)
    const entity = await store.visibleEntity(user, id)
    if (!entity || entity.kind !== 'location') throw new NotFoundError()
    await access.authorise(ctx, 'network:edit', entityRef(entity))
    return entity
  }

  return {
    /**
     * The geographic map and its tables, over what the user may see: their locations of concern
     * (need-to-know as on the network pages), the cross-border lines of the links they may see,
     * and the partnership's police.uk crimes for a month and category.
     */
    async map(ctx: RequestContext, query: GeoMapQuery) {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:view')
      const layers = new Set<Layer>(query.layers ? LAYERS.map((l) => l.value).filter((l) => query.layers!.has(l)) : ['places', 'flows', 'density'])
      const [places, entities, links, months] = await Promise.all([store.places(user), network.visibleEntities(user), network.visibleLinks(user), store.crimeMonths()])
      const pairs = crossBorderPairs(buildNetwork(toAnalysis(entities, links)))
      const labels = new Map(entities.map((e) => [e.id, e.label]))
      const areas = await store.areas(pairs.flatMap((p) => [p.exportingArea, p.importingArea]))
      const codes = new Map(areas.map((a) => [a.name, a.code]))
      const flows = pairs.map((p) => ({
          fromCode: codes.get(p.exportingArea) ?? '',
          fromName: p.exportingArea,
          toCode: codes.get(p.importingArea) ?? '',
          toName: p.importingArea,
          lines: p.lines.length,
          links: p.links,
          lineLabels: p.lines.map((id) => ({ id, label: labels.get(id) ?? id })),
          // An area Lantern has no boundary for (a county, or outside England) cannot carry a flow.
          missing: [p.exportingArea, p.importingArea].find((name) => !hasBoundary(codes.get(name) ?? '')) ?? null,
        }))
      const placed = places.filter((p): p is PlaceRow & { latitude: number; longitude: number } => p.latitude !== null && p.longitude !== null).map((p, i) => ({ ...p, key: i + 1, typeText: locationTypeText(p.location_type) || 'Location' }))
      const unplaced = places.filter((p) => p.latitude === null)
      const month = query.month && months.includes(query.month) ? query.month : (months[0] ?? null)
      const categories = month ? await store.crimeCategories(month) : []
      const category = query.category && categories.includes(query.category) ? query.category : null
      const wantCrimes = layers.has('crimes') || layers.has('density')
      const crimes = month && wantCrimes ? await store.crimes(month, category, CRIMES_READ) : []
      const crimePoints = layers.has('crimes') && crimes.length <= CRIME_POINTS
      const picture = geoMapSvg({
        id: 'geo-map',
        title: 'Map of the partnership’s locations of concern, cross-border lines and crimes',
        description: describe({ layers, placed: placed.length, flows: flows.length, crimes: crimes.length, month, category }),
        areas: areas.map(toArea),
        flows: layers.has('flows') ? flows : [],
        places: layers.has('places') ? placed : [],
        crimes,
        crimePoints,
        hexagons: layers.has('density'),
        tileUrl: config.mapTileUrl,
      })
      const byCategory = new Map<string, number>()
      for (const c of crimes) byCategory.set(c.crime_type, (byCategory.get(c.crime_type) ?? 0) + 1)
      await audit.record(ctx, { action: 'search', recordType: 'network', details: { report: 'geographic map', places: placed.length, flows: flows.length, month, category, layers: [...layers] } })
      return {
        picture,
        layers,
        places: placed,
        unplaced,
        flows,
        month,
        monthItems: months.map((m) => ({ value: m, text: MONTH.format(new Date(`${m}-01T00:00:00Z`)), selected: m === month })),
        category,
        categoryItems: [{ value: '', text: 'Every category', selected: category === null }, ...categories.map((c) => ({ value: c, text: c, selected: c === category }))],
        crimes: { count: crimes.length, capped: crimes.length >= CRIMES_READ, pointsDrawn: crimePoints, byCategory: [...byCategory].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) },
        hexagons: picture?.hexagons.slice(0, 10) ?? [],
        tiles: Boolean(config.mapTileUrl),
      }
    },

    /** The place form: the location, and the basemap to click on. */
    async placing(ctx: RequestContext, id: string) {
      const entity = await placeable(ctx, id)
      const picture = placingSvg((await store.areas([])).map(toArea), entity.latitude !== null && entity.longitude !== null ? { label: entity.label, latitude: entity.latitude, longitude: entity.longitude } : null)
      await audit.record(ctx, { action: 'view', recordType: 'network_entity', recordId: entity.id, details: { page: 'place on the map' } })
      return { entity, picture }
    },

    /** Where a click at pixel (x, y) of the placing map is, or null when the map cannot be drawn. */
    async clickedPlace(ctx: RequestContext, id: string, x: number, y: number) {
      await placeable(ctx, id)
      // The placing map is fitted to the areas alone, so the same click means the same place whatever is marked.
      const picture = placingSvg((await store.areas([])).map(toArea), null)
      if (!picture || !(x >= 0 && y >= 0 && x <= picture.projection.width && y <= picture.projection.height)) return null
      const [longitude, latitude] = picture.projection.invert([x, y])
      return { latitude: Math.round(latitude * 1e6) / 1e6, longitude: Math.round(longitude * 1e6) / 1e6 }
    },

    /** Sets (or with null clears) where a location is; refused when someone else saved the location first. */
    async setPlace(ctx: RequestContext, id: string, version: number, place: { latitude: number; longitude: number } | null, how: 'map' | 'coordinates' | 'removed') {
      const user = requireUser(ctx)
      const entity = await placeable(ctx, id)
      await db.transaction().execute(async (trx) => {
        if (!(await store.setPlace(trx, id, version, place, user.id))) throw new ConflictError(`${entity.label} was changed by someone else after you opened it.`)
        const summary = place ? `Placed on the map at ${place.latitude.toFixed(5)}, ${place.longitude.toFixed(5)} (${how === 'map' ? 'a point chosen on the map' : 'coordinates entered'})` : 'Taken off the map'
        await store.recordPlaced(trx, id, summary, user.id)
        await audit.record(ctx, { action: 'update', recordType: 'network_entity', recordId: id, details: { kind: 'location', fields: ['latitude', 'longitude'], how } }, trx)
      })
    },
  }
}

function describe(d: { layers: Set<Layer>; placed: number; flows: number; crimes: number; month: string | null; category: string | null }): string {
  const parts = ['Local authority boundaries of the partnership and the areas its cross-border lines run between.']
  if (d.layers.has('places')) parts.push(`${d.placed} ${d.placed === 1 ? 'location' : 'locations'} of concern, numbered as in the table of locations.`)
  if (d.layers.has('flows')) parts.push(`${d.flows} cross-border ${d.flows === 1 ? 'flow' : 'flows'} from exporting to importing area, with the number of lines, as in the table of cross-border lines.`)
  if (d.layers.has('crimes') || d.layers.has('density')) parts.push(d.month ? `${d.crimes} police.uk ${d.category ?? 'crimes of every category'} in ${d.month}${d.layers.has('density') ? ', counted in hexagons' : ''}.` : 'No police.uk crimes have been imported.')
  return parts.join(' ')
}
