import { formErrors, type FormErrors } from '../../kernel/form-errors.ts'

export type Result<T> = { ok: true; value: T } | { ok: false; errors: FormErrors }

export function fail(field: string, message: string): { ok: false; errors: FormErrors } {
  return { ok: false, errors: formErrors([{ field, message }]) }
}
