import type { Request, Response } from 'express'
import type { ModuleDeps } from '../types.ts'
import type { PersonInput } from '../people/index.ts'
import { crossFieldIssues } from '../people/index.ts'
import { entryService } from './entry.ts'
import { returnWithExisting, safeReturnTo } from '../../web/return-to.ts'

/** The hidden field that says the user has seen the possible matches and chose to save anyway. */
export const CONFIRMED_NEW = 'confirmedNoMatch'

/**
 * The duplicate check on the "Record a person" form. Call after the form is valid and before it is
 * saved: when likely existing matches (among the records the user may see) exist and the user has
 * not yet said "none of these", it renders "Is this one of these?" with the answers kept in hidden
 * fields, and returns true (the caller must not save). Returns false otherwise.
 */
export async function showPossibleDuplicates(deps: ModuleDeps, req: Request, res: Response, input: PersonInput): Promise<boolean> {
  const body = (req.body ?? {}) as Record<string, unknown>
  if (body[CONFIRMED_NEW] === 'yes') return false
  // Let the form's own errors come first.
  if (crossFieldIssues(input, deps.clock.today()).length) return false
  const matches = await entryService(deps).check(req.ctx, {
    givenName: input.givenName,
    familyName: input.familyName,
    dateOfBirth: input.dateOfBirth,
    gender: input.gender,
    postcode: input.postcode ?? null,
    nhsNumber: input.nhsNumber ?? null,
    policeNominal: input.policeNominal ?? null,
  })
  if (matches.length === 0) return false
  const hidden: { name: string; value: string }[] = []
  for (const [name, value] of Object.entries(body)) {
    if (name === '_csrf' || name === CONFIRMED_NEW) continue
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') hidden.push({ name, value: v })
  }
  // Recording from a report's triage: choosing an existing record links it to the report instead.
  const returnTo = safeReturnTo(body.returnTo)
  res.render('linkage/views/possible-matches.njk', {
    matches: matches.map((m) => ({ ...m, useHref: returnTo ? returnWithExisting(returnTo, m.id) : `/people/${m.id}` })),
    fromReport: Boolean(returnTo),
    hidden,
    confirmedField: CONFIRMED_NEW,
    entered: { name: `${input.givenName} ${input.familyName}`, dateOfBirth: input.dateOfBirth, approximateAge: input.approximateAge },
  })
  return true
}
