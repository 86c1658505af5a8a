import type { z } from 'zod'
import { formErrors, type Parsed } from '../kernel/form-errors.ts'

/** Validates a form body with a zod schema; on failure returns GOV.UK-shaped errors. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): Parsed<z.infer<S>> {
  const result = schema.safeParse(body ?? {})
  if (result.success) return { ok: true, value: result.data }
  return {
    ok: false,
    errors: formErrors(result.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'form', message: i.message }))),
  }
}
