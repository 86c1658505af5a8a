import { z } from 'zod'

/** The United Kingdom's box: a place outside it is a typing slip (a sign dropped, digits swapped). */
export const UK = { south: 49.8, north: 60.9, west: -8.7, east: 1.8 }

const degrees = (name: string, min: number, max: number, example: string) =>
  z
    .string({ error: `Enter the ${name}` })
    .trim()
    .min(1, `Enter the ${name}`)
    .regex(/^[-+]?\d{1,3}(\.\d+)?$/, `Enter the ${name} as a number in decimal degrees, like ${example}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `The ${name} must be between ${min} and ${max} (in the United Kingdom)`)

/** A place typed as a latitude and longitude: the fallback to clicking on the map. */
export const coordinatesSchema = z.object({
  latitude: degrees('latitude', UK.south, UK.north, '50.8563'),
  longitude: degrees('longitude', UK.west, UK.east, '-0.9841'),
})

/** Which layers the geographic map draws, the crimes' month and category. */
export const geoMapSchema = z.object({
  layers: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? null : new Set(Array.isArray(v) ? v : [v]))),
  month: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || /^\d{4}-(0[1-9]|1[0-2])$/.test(v), 'Choose a month from the list'),
  category: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || null),
})

export type GeoMapQuery = z.infer<typeof geoMapSchema>
export const LAYERS = [
  { value: 'places', text: 'Locations of concern' },
  { value: 'flows', text: 'Cross-border lines' },
  { value: 'crimes', text: 'Crimes as points' },
  { value: 'density', text: 'Crime density (hexagons)' },
] as const
export type Layer = (typeof LAYERS)[number]['value']
