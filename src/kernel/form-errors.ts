/**
 * Errors in a request's answers, in the shape GOV.UK's error summary and form components take:
 * services return them, routes render them. Made here so services need nothing of the web.
 */

export interface FieldError {
  text: string
}

/** Errors in the shape GOV.UK's error summary and form components take. */
export interface FormErrors {
  errorList: { text: string; href: string }[]
  fields: Record<string, FieldError>
}

/** What a service or a form reader gives for a user's answers: the value, or the errors to show beside them. */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: FormErrors }

/** A form's answers read: the same shape as a service's Result. */
export type Parsed<T> = Result<T>

/** A Result refused for one reason, shown at one field. */
export function fail(field: string, message: string): { ok: false; errors: FormErrors } {
  return { ok: false, errors: formErrors([{ field, message }]) }
}

/** Builds FormErrors from a list of (field, message) pairs, first message per field wins. */
export function formErrors(issues: { field: string; message: string }[]): FormErrors {
  const fields: Record<string, FieldError> = {}
  const errorList: FormErrors['errorList'] = []
  for (const { field, message } of issues) {
    if (fields[field]) continue
    fields[field] = { text: message }
    errorList.push({ text: message, href: `#${fieldId(field)}` })
  }
  return { errorList, fields }
}

/** GOV.UK date inputs put the error link on the first part (day). */
function fieldId(field: string): string {
  return field
}
