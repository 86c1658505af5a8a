import type { Answer, Answers } from './scoring.ts'
import type { ScreeningTool } from './tool.ts'

/**
 * A review starts from the last screening's answers and notes, each marked as carried until the
 * practitioner checks it: nobody answers 31 indicators again from nothing, and nothing from last
 * time is taken as true today without a look. Indicators the tool no longer asks are left behind.
 */
export function carriedForward(tool: ScreeningTool, last: Answers): Answers {
  const asked = new Set(tool.groups.flatMap((g) => g.indicators.map((i) => i.key)))
  return Object.fromEntries(
    Object.entries(last)
      .filter(([key, a]) => asked.has(key) && a.status)
      .map(([key, a]) => [key, { status: a.status, note: a.note ?? null, carried: true }]),
  )
}

/**
 * An answer as saved from a section page. Saving with "Save and continue" is the practitioner's
 * check of every answer on the page; "come back later" keeps the mark on an answer left as it was.
 */
export function checkedAnswer(before: Answer | undefined, given: Pick<Answer, 'status' | 'note'>, checked: boolean): Answer {
  const untouched = before?.carried && before.status === given.status && (before.note ?? null) === (given.note ?? null)
  return untouched && !checked ? { ...given, carried: true } : { status: given.status, note: given.note }
}
