/**
 * The lines a missing episode writes on the child's history, in one place for the service and the
 * demo. They are read by workers and, in a subject access export, by the child and their family,
 * so they are sentences, never the form's stored codes.
 */
import { formatDateTime } from '../../web/nunjucks.ts'
import { FOUND_BY } from './rules.ts'

export function reportedSummary(reportedMissingAt: Date): string {
  return `Reported missing at ${formatDateTime(reportedMissingAt)}`
}

export function foundSummary(found: { foundAt: Date | null; foundBy: string | null }, foundArea: string | null | undefined, outOfArea: boolean): string {
  const who = FOUND_BY.find((f) => f.value === found.foundBy)?.phrase
  return `Found at ${formatDateTime(found.foundAt)} in ${foundArea ?? 'an unrecorded area'}${outOfArea ? ' (out of area)' : ''}${who ? `, ${who}` : ''}`
}

export function rhiSummary(rhi: { heldAt: Date | null; heldBy: string | null; offeredAt: Date | null; declined: boolean }, heldLate: boolean): string {
  if (rhi.heldAt) return `Return home interview held at ${formatDateTime(rhi.heldAt)} by ${rhi.heldBy}${heldLate ? ', later than 72 hours after being found' : ''}`
  if (rhi.declined) return 'Return home interview offered and declined'
  if (rhi.offeredAt) return `Return home interview offered at ${formatDateTime(rhi.offeredAt)}`
  return 'Return home interview details cleared'
}
