import { z } from 'zod'
import { optionalText } from '../../web/fields.ts'
import type { SectionInput } from './service.ts'
import { LEVELS, type ScreeningTool } from './tool.ts'

export const submitSchema = z.object({
  version: z.coerce.number().int().min(1),
  personVersion: z.coerce.number().int().min(1),
  finalLevel: z.enum(LEVELS, { message: 'Select the level for this child' }),
  overrideReason: optionalText(2000, 'The reason must be 2,000 characters or fewer'),
  analysis: optionalText(4000, 'Your analysis must be 4,000 characters or fewer'),
})

export const confirmSchema = z.object({
  version: z.coerce.number().int().min(1),
  decision: z.enum(['confirm', 'change'], { message: 'Select whether you confirm the Red rating' }),
  level: z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.enum(LEVELS, { message: 'Select the level you are setting instead of Red' }).nullable()),
  note: optionalText(2000, 'Your reason must be 2,000 characters or fewer'),
})

export const versionField = z.object({ version: z.coerce.number().int().min(1) })

/**
 * Reads a section page: `status-<indicator>` radios and `note-<indicator>` notes. Fields naming an
 * indicator outside the section are reported, never saved.
 */
export function readSection(body: Record<string, unknown>, indicatorKeys: string[]): SectionInput {
  const known = new Set(indicatorKeys)
  const answers: SectionInput['answers'] = {}
  const unknown: string[] = []
  for (const [field, raw] of Object.entries(body ?? {})) {
    const m = field.match(/^(status|note)-(.+)$/)
    if (!m) continue
    const [, part, key] = m
    if (!known.has(key)) {
      if (!unknown.includes(key)) unknown.push(key)
      continue
    }
    const value = Array.isArray(raw) ? String(raw[0] ?? '') : String(raw ?? '')
    answers[key] = { ...answers[key], [part]: value }
  }
  return { answers, unknown, complete: body?.action !== 'later' }
}

type Issue = { field: string; message: string }

/**
 * The administrator's form for the common changes: indicator wording and weights, points, bands and
 * review intervals. Returns the edited definition, or the fields it could not read as numbers.
 */
export function readToolForm(body: Record<string, unknown>, base: ScreeningTool): { ok: true; tool: ScreeningTool } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = []
  const int = (field: string, message: string, nullable = false): number | null => {
    const raw = String(body?.[field] ?? '').trim()
    if (nullable && raw === '') return null
    if (!/^\d+$/.test(raw)) {
      issues.push({ field, message })
      return 0
    }
    return Number(raw)
  }
  const text = (field: string, fallback: string, message: string) => {
    const raw = String(body?.[field] ?? fallback).trim()
    if (!raw) issues.push({ field, message })
    return raw
  }
  const groups = base.groups.map((g) => ({
    ...g,
    indicators: g.indicators.map((i) => ({
      ...i,
      text: text(`text-${i.key}`, i.text, `Enter the wording of the indicator “${i.text}”`),
      weight: int(`weight-${i.key}`, `Enter the weight of “${i.text}” as a whole number from 0 to 20`)!,
    })),
  }))
  const bands = [
    { level: 'green' as const, min: int('green-min', 'Enter where the Green band starts, as a whole number')!, max: int('green-max', 'Enter where the Green band ends, as a whole number')! },
    { level: 'amber' as const, min: int('amber-min', 'Enter where the Amber band starts, as a whole number')!, max: int('amber-max', 'Enter where the Amber band ends, as a whole number')! },
    { level: 'red' as const, min: int('red-min', 'Enter where the Red band starts, as a whole number')!, max: null },
  ]
  const statusPoints = { recent: int('points-recent', 'Enter the points multiplier for a recent indicator, as a whole number')!, current: int('points-current', 'Enter the points multiplier for a current indicator, as a whole number')! }
  const reviewWeeks = {
    red: int('review-red', 'Enter the Red review interval in weeks, as a whole number')!,
    amber: int('review-amber', 'Enter the Amber review interval in weeks, as a whole number')!,
    green: int('review-green', 'Enter the Green review interval in weeks, as a whole number')!,
  }
  if (issues.length) return { ok: false, issues }
  return { ok: true, tool: { ...base, groups, bands, statusPoints, reviewWeeks } }
}

/** Where a validation problem in the definition shows on the structured form. */
export function fieldForProblem(path: string, tool: ScreeningTool): string {
  const ind = path.match(/^groups\.(\d+)\.indicators\.(\d+)\.(weight|text)/)
  if (ind) {
    const key = tool.groups[Number(ind[1])]?.indicators[Number(ind[2])]?.key
    if (key) return `${ind[3]}-${key}`
  }
  if (path.startsWith('bands')) return 'green-min'
  if (path.startsWith('statusPoints')) return 'points-recent'
  if (path.startsWith('reviewWeeks')) return 'review-red'
  return 'changeNote'
}
