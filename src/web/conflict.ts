import { ConflictError } from '../kernel/errors.ts'
import { typedFields } from './typed-fields.ts'

/**
 * Awaits a save; if someone else saved first (ConflictError), reads the record as it is now in the
 * form's shape, so the conflict page can show both versions side by side. A failure to read it
 * leaves the page as it was: what the user typed, and a link to the saved version.
 */
export async function showingSavedOnConflict<T>(work: Promise<T>, saved: () => Promise<Record<string, unknown>>): Promise<T> {
  try {
    return await work
  } catch (err) {
    if (err instanceof ConflictError && !err.saved) err.saved = await saved().catch(() => undefined)
    throw err
  }
}

export interface ConflictRow {
  label: string
  typed: string
  saved: string
  differs: boolean
}

/** Each answer as typed and as saved now, in the form's order (answers only one side has, too). */
export function sideBySide(body: unknown, saved: Record<string, unknown>): ConflictRow[] {
  const typed = typedFields(body)
  const now = typedFields(saved)
  const labels = [...new Set([...typed.map((t) => t.label), ...now.map((n) => n.label)])]
  return labels.map((label) => {
    const t = typed.find((x) => x.label === label)?.text ?? ''
    const s = now.find((x) => x.label === label)?.text ?? ''
    return { label, typed: t, saved: s, differs: t !== s }
  })
}
