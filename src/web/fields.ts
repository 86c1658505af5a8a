import { z } from 'zod'

/*
 * The zod field builders that forms across Lantern share, so that a field of one kind means the
 * same thing on every page: what an empty answer becomes, and what a bad one says.
 */

/** Optional free text: trimmed, empty becomes null. */
export const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => (v ? v : null))

/** An optional choice from a select whose values are ids. */
export const optionalId = (message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.string().uuid(message).nullable())

/** A checkbox group: none, one or many values. */
export const checkboxes = <T extends string>(values: readonly T[], message: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (Array.isArray(v) ? v : v ? [v] : []))
    .pipe(z.array(z.enum(values as unknown as [T, ...T[]], { message })))

/** A record's version, posted back with an edit for optimistic concurrency. */
export const versionSchema = z.coerce.number().int().min(1)

/** A calendar date typed as YYYY-MM-DD that exists (no 30 February). */
export function isoDate(message: string) {
  return z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), message)
}

/** An optional YYYY-MM-DD date: empty becomes undefined. */
export const optionalDate = (message: string) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .optional()
    .pipe(isoDate(message).optional())

