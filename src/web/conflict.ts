import { ConflictError, type Choices } from '../kernel/errors.ts'
import { typedFields } from './typed-fields.ts'

/**
 * Awaits a save; if someone else saved first (ConflictError), reads the record as it is now in the
 * form's shape, so the conflict page can show both versions side by side. A failure to read it
 * leaves the page as it was: what the user typed, and a link to the saved version.
 */
export async function showingSavedOnConflict<T>(
  work: Promise<T>,
  saved: () => Promise<Record<string, unknown>>,
  choices?: Choices | (() => Promise<Choices>),
  labels?: Record<string, string>,
): Promise<T> {
  try {
    return await work
  } catch (err) {
    if (err instanceof ConflictError && !err.saved) {
      err.saved = await saved().catch(() => undefined)
      if (err.saved && choices) err.choices = await (typeof choices === 'function' ? choices() : Promise.resolve(choices)).catch(() => undefined)
      if (err.saved) err.labels = labels
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
 * select or radio answer as its option's text when the form's choices are given, and a question in
 * the form's own words when it gives them.
 */
export function sideBySide(body: unknown, saved: Record<string, unknown>, choices?: Choices, questions?: Record<string, string>): ConflictRow[] {
  const typed = typedFields(body && typeof body === 'object' ? asText(body as Record<string, unknown>, choices) : body, questions)
  const now = typedFields(asText(saved, choices), questions)
  const labels = [...new Set([...typed.map((t) => t.label), ...now.map((n) => n.label)])]
  return labels.map((label) => {
    const t = typed.find((x) => x.label === label)?.text ?? ''
    const s = now.find((x) => x.label === label)?.text ?? ''
    return { label, typed: t, saved: s, differs: t !== s }
  })
}

/** The names a form gives the version it was opened at. */
const VERSION_FIELDS = ['version', 'baseVersion']

export interface HiddenField {
  name: string
  value: string
}

/**
 * The user's answers as the hidden fields of a form that saves them over the version saved now
 * ("Keep my changes and overwrite theirs"), or null when that cannot be offered: nothing saved was
 * read, the form carries no version to move on, or an answer is not a plain text the form could
 * post again. The version is the one the user has now seen, so a third save in between is still
 * refused rather than overwritten unseen.
 */
export function resubmission(body: unknown, saved: Record<string, unknown> | undefined): HiddenField[] | null {
  if (!saved || !body || typeof body !== 'object') return null
  const answers = body as Record<string, unknown>
  const versionField = VERSION_FIELDS.find((name) => name in answers && (typeof saved[name] === 'number' || typeof saved[name] === 'string'))
  if (!versionField) return null
  const fields: HiddenField[] = []
  for (const [name, raw] of Object.entries(answers)) {
    if (name === '_csrf') continue
    if (name === versionField) {
      fields.push({ name, value: String(saved[name]) })
      continue
    }
    const values = Array.isArray(raw) ? raw : [raw]
    if (!values.every((v) => typeof v === 'string')) return null
    for (const value of values as string[]) fields.push({ name, value })
  }
  return fields
}
