import { ConflictError, type Choices } from '../kernel/errors.ts'
import { typedFields } from './typed-fields.ts'

/**
 * Awaits a save; if someone else saved first (ConflictError), reads the record as it is now in the
 * form's shape, so the conflict page can show both versions side by side. A failure to read it
 * leaves the page as it was: what the user typed, and a link to the saved version.
 */
export async function showingSavedOnConflict<T>(work: Promise<T>, saved: () => Promise<Record<string, unknown>>, choices?: Choices | (() => Promise<Choices>)): Promise<T> {
  try {
    return await work
  } catch (err) {
    if (err instanceof ConflictError && !err.saved) {
      err.saved = await saved().catch(() => undefined)
      if (err.saved && choices) err.choices = await (typeof choices === 'function' ? choices() : Promise.resolve(choices)).catch(() => undefined)
    }
    throw err
  }
}

/** The answers with each chosen option's value replaced by its text (values with no option stay as they are). */
function asText(answers: Record<string, unknown>, choices: Choices | undefined): Record<string, unknown> {
  if (!choices) return answers
  const text = (name: string, v: unknown) => (typeof v === 'string' ? (choices[name]?.find((o) => o.value === v)?.text ?? v) : v)
  return Object.fromEntries(Object.entries(answers).map(([name, v]) => [name, Array.isArray(v) ? v.map((x) => text(name, x)) : text(name, v)]))
}

export interface ConflictRow {
  label: string
  typed: string
  saved: string
  differs: boolean
}

/**
 * Each answer as typed and as saved now, in the form's order (answers only one side has, too); a
 * select or radio answer as its option's text when the form's choices are given.
 */
export function sideBySide(body: unknown, saved: Record<string, unknown>, choices?: Choices): ConflictRow[] {
  const typed = typedFields(body && typeof body === 'object' ? asText(body as Record<string, unknown>, choices) : body)
  const now = typedFields(asText(saved, choices))
  const labels = [...new Set([...typed.map((t) => t.label), ...now.map((n) => n.label)])]
  return labels.map((label) => {
    const t = typed.find((x) => x.label === label)?.text ?? ''
    const s = now.find((x) => x.label === label)?.text ?? ''
    return { label, typed: t, saved: s, differs: t !== s }
  })
}
