/**
 * Reads a GOV.UK date input (fields `<name>-day`, `<name>-month`, `<name>-year`) and checks it the
 * way the design system's error messages expect: which part is missing, whether it is a real
 * date, and whether it is in the past or future when that matters.
 */
export interface DateRules {
  required?: boolean
  /** Must not be after this day ('YYYY-MM-DD'), e.g. today for a date of birth. */
  notAfter?: string
  notAfterMessage?: string
  notBefore?: string
  notBeforeMessage?: string
}

export type DateResult = { ok: true; value: string | null } | { ok: false; message: string }

const pad = (n: number) => String(n).padStart(2, '0')

export function readDateInput(body: Record<string, unknown> | undefined, name: string, label: string, rules: DateRules = {}): DateResult {
  const part = (p: string) => String(body?.[`${name}-${p}`] ?? '').trim()
  const [day, month, year] = [part('day'), part('month'), part('year')]
  if (!day && !month && !year) {
    return rules.required ? { ok: false, message: `Enter ${label.toLowerCase()}` } : { ok: true, value: null }
  }
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean) as string[]
  if (missing.length) return { ok: false, message: `${label} must include a ${missing.join(' and ')}` }
  if (![day, month, year].every((p) => /^\d+$/.test(p)) || year.length !== 4) {
    return { ok: false, message: `${label} must be a real date` }
  }
  const d = Number(day)
  const m = Number(month)
  const y = Number(year)
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900) {
    return { ok: false, message: `${label} must be a real date` }
  }
  const iso = `${y}-${pad(m)}-${pad(d)}`
  if (rules.notAfter && iso > rules.notAfter) return { ok: false, message: rules.notAfterMessage ?? `${label} must be today or in the past` }
  if (rules.notBefore && iso < rules.notBefore) return { ok: false, message: rules.notBeforeMessage ?? `${label} must be after ${rules.notBefore}` }
  return { ok: true, value: iso }
}

/** Splits 'YYYY-MM-DD' back into the three inputs, for re-showing a saved date. */
export function dateParts(iso: string | null | undefined, name: string): Record<string, string> {
  if (!iso) return {}
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y }
}

/** Whole years between a date of birth and a day. */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number)
  const [y, m, d] = on.split('-').map(Number)
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}
