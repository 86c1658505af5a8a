/**
 * The geographic map as SVG, drawn on the server so it is a picture without JavaScript: the
 * local-authority basemap, an optional tile layer, crimes as points and hexagons, cross-border
 * flows and the locations of concern, each numbered as in the table beside it (the table is the
 * accessible version: the picture has a title and a description, and the same facts are there).
 */
import { boundary, boundaryPath, boundsOf, centreOf, corners, fitProjection, hexBins, tilesFor, type Boundary, type LonLat, type Projection } from '../../analytics/geo/index.ts'

export interface GeoArea {
  code: string
  name: string
  inPartnership: boolean
}

export interface GeoFlow {
  fromCode: string
  fromName: string
  toCode: string
  toName: string
  lines: number
  links: number
}

export interface GeoPlace {
  /** The number the place carries on the map and in the table. */
  key: number
  label: string
  latitude: number
  longitude: number
}

export interface GeoCrime {
  latitude: number
  longitude: number
}

export interface GeoMapInput {
  id: string
  title: string
  description: string
  areas: GeoArea[]
  flows: GeoFlow[]
  places: GeoPlace[]
  crimes: GeoCrime[]
  /** Draw each crime as a point (besides the hexagons); off when there are too many to read. */
  crimePoints: boolean
  hexagons: boolean
  /** A {z}/{x}/{y} tile URL, for deployments with internet access; none by default. */
  tileUrl?: string | null
  /** Fit the map to the places as well as the areas (the placing map fits the areas only, so a click means the same place whatever is marked). */
  fitPlaces?: boolean
  width?: number
  maxHeight?: number
}

export interface GeoMapPicture {
  svg: string
  /** Hexagons drawn, densest first: their counts go in the table. */
  hexagons: { count: number; centre: [number, number] }[]
  /** The projection the picture was drawn with: a click on it is turned back into a place with `invert`. */
  projection: Projection
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const r1 = (n: number) => Math.round(n * 10) / 10
const HEX_RADIUS = 12
// Hexagon shades, light to dark (GOV.UK orange to red), by the share of the densest hexagon.
const HEX_SHADES = ['#ffdd99', '#f9b566', '#f47738', '#d4351c']

/** The map over the areas, flows and places given; null when no area has a boundary (outside England). */
export function geoMapSvg(input: GeoMapInput): GeoMapPicture | null {
  const drawn = input.areas.map((a) => ({ area: a, shape: boundary(a.code) })).filter((x): x is { area: GeoArea; shape: Boundary } => Boolean(x.shape))
  if (!drawn.length) return null
  const points: LonLat[] = [...corners(drawn.map((d) => d.shape)), ...(input.fitPlaces === false ? [] : input.places.map((p) => [p.longitude, p.latitude] as const))]
  const projection = fitProjection(boundsOf(points)!, { width: input.width ?? 640, maxHeight: input.maxHeight ?? 560, pad: 16 })
  const { width, height } = projection
  const at = (lon: number, lat: number) => projection.project([lon, lat]).map(r1) as [number, number]
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="geo-map" id="${esc(input.id)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${esc(input.id)}-title ${esc(input.id)}-desc" font-family="GDS Transport, arial, sans-serif">`,
    `<title id="${esc(input.id)}-title">${esc(input.title)}</title>`,
    `<desc id="${esc(input.id)}-desc">${esc(input.description)}</desc>`,
    // The arrowhead in the map's own units: in stroke widths (the default) a busy flow's thick line gave it a head as big as a district.
    `<defs><marker id="${esc(input.id)}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#4c2c92"/></marker></defs>`,
    `<rect class="geo-map__sea" x="0" y="0" width="${width}" height="${height}" fill="#f3f8fc"/>`,
  ]
  if (input.tileUrl) {
    parts.push('<g class="geo-map__tiles">')
    for (const t of tilesFor(projection, input.tileUrl)) parts.push(`<image crossorigin="anonymous" href="${esc(t.href)}" x="${r1(t.x)}" y="${r1(t.y)}" width="${r1(t.size)}" height="${r1(t.size)}" preserveAspectRatio="none"/>`)
    parts.push('</g>')
  }
  parts.push('<g class="geo-map__areas">')
  for (const { area, shape } of drawn) {
    const fill = input.tileUrl ? 'none' : area.inPartnership ? '#ffffff' : '#e8e8e8'
    parts.push(`<path class="geo-map__area" data-code="${esc(area.code)}" d="${boundaryPath(shape, projection)}" fill="${fill}" stroke="#505a5f" stroke-width="${area.inPartnership ? 1 : 0.5}"><title>${esc(area.name)}</title></path>`)
  }
  parts.push('</g>')

  const hexagons: GeoMapPicture['hexagons'] = []
  if (input.hexagons && input.crimes.length) {
    const bins = hexBins(input.crimes.map((c) => projection.project([c.longitude, c.latitude])), HEX_RADIUS)
    const densest = bins[0]?.count ?? 1
    parts.push('<g class="geo-map__hexagons" fill-opacity="0.75">')
    for (const bin of bins) {
      const shade = HEX_SHADES[Math.min(HEX_SHADES.length - 1, Math.floor(((bin.count - 1) / densest) * HEX_SHADES.length))]
      parts.push(`<path class="geo-map__hexagon" d="${bin.path}" fill="${shade}" stroke="#ffffff" stroke-width="0.5"><title>${bin.count} ${bin.count === 1 ? 'crime' : 'crimes'}</title></path>`)
      hexagons.push({ count: bin.count, centre: projection.invert([bin.x, bin.y]) })
    }
    parts.push('</g>')
  }
  if (input.crimePoints && input.crimes.length) {
    parts.push('<g class="geo-map__crimes" fill="#0b0c0c">')
    for (const c of input.crimes) {
      const [x, y] = at(c.longitude, c.latitude)
      parts.push(`<circle class="geo-map__crime" cx="${x}" cy="${y}" r="1.5"/>`)
    }
    parts.push('</g>')
  }

  const centres = new Map(drawn.map((d) => [d.area.code, centreOf(d.shape)]))
  const flows = input.flows.filter((f) => centres.has(f.fromCode) && centres.has(f.toCode))
  if (flows.length) {
    parts.push('<g class="geo-map__flows">')
    const widest = Math.max(...flows.map((f) => f.lines))
    for (const f of flows) {
      const [x0, y0] = at(...centres.get(f.fromCode)!)
      const [x1, y1] = at(...centres.get(f.toCode)!)
      // Bent to the left of its direction, so flows both ways between two areas do not overlap.
      const mx = (x0 + x1) / 2 + (y1 - y0) * 0.15
      const my = (y0 + y1) / 2 - (x1 - x0) * 0.15
      const strokeWidth = r1(1.5 + (3 * f.lines) / widest)
      const label = `${f.lines} ${f.lines === 1 ? 'line' : 'lines'}`
      parts.push(
        `<g class="geo-map__flow"><path d="M${x0},${y0}Q${r1(mx)},${r1(my)} ${x1},${y1}" fill="none" stroke="#4c2c92" stroke-width="${strokeWidth}" marker-end="url(#${esc(input.id)}-arrow)"><title>${esc(`${f.fromName} to ${f.toName}: ${label}, ${f.links} ${f.links === 1 ? 'link' : 'links'}`)}</title></path>`,
        // The count at the bend's middle (a quadratic's midpoint is halfway to its control point).
        `<text x="${r1((x0 + x1) / 4 + mx / 2)}" y="${r1((y0 + y1) / 4 + my / 2)}" font-size="12" font-weight="bold" fill="#4c2c92" stroke="#ffffff" stroke-width="3" paint-order="stroke" text-anchor="middle">${f.lines}</text></g>`,
      )
    }
    parts.push('</g>')
  }

  if (input.places.length) {
    parts.push('<g class="geo-map__places">')
    for (const p of input.places) {
      const [x, y] = at(p.longitude, p.latitude)
      parts.push(
        `<g class="geo-map__place" data-key="${p.key}"><rect x="${r1(x - 8)}" y="${r1(y - 8)}" width="16" height="16" fill="#0b0c0c" stroke="#ffffff" stroke-width="1.5"><title>${esc(`${p.key}. ${p.label}`)}</title></rect>`,
        `<text x="${x}" y="${r1(y + 4)}" font-size="11" font-weight="bold" fill="#ffffff" text-anchor="middle">${p.key}</text></g>`,
      )
    }
    parts.push('</g>')
  }
  parts.push('</svg>')
  return { svg: parts.join(''), hexagons, projection }
}

/** The basemap alone, with the place being set marked: the picture an analyst clicks to place a point. */
export function placingSvg(areas: GeoArea[], place: { label: string; latitude: number; longitude: number } | null, width = 640): GeoMapPicture | null {
  return geoMapSvg({
    id: 'placing-map',
    title: 'Map of the partnership’s local authorities',
    description: place ? `The marked square is where ${place.label} is now.` : 'Choose a point on the map to place the location there.',
    areas,
    flows: [],
    places: place ? [{ key: 1, ...place }] : [],
    crimes: [],
    crimePoints: false,
    hexagons: false,
    fitPlaces: false,
    width,
  })
}
