import { z } from 'zod'

/**
 * The screening tool as data: indicator groups, weights, bands, hard rules and review intervals.
 * Each saved edit is a new version (table screening_tools); an assessment records the version it
 * used, so a past rating can always be explained with the rules that produced it.
 */

export const LEVELS = ['green', 'amber', 'red'] as const
export type Level = (typeof LEVELS)[number]
export const LEVEL_TEXT: Record<Level, string> = { green: 'Green', amber: 'Amber', red: 'Red' }
export const levelRank = (level: Level) => LEVELS.indexOf(level)
export const higherLevel = (a: Level, b: Level): Level => (levelRank(a) >= levelRank(b) ? a : b)

export const STATUSES = ['not_present', 'recent', 'current'] as const
export type AnswerStatus = (typeof STATUSES)[number]
export const STATUS_TEXT: Record<AnswerStatus, string> = {
  not_present: 'Not present',
  recent: 'Recent (3 to 6 months ago)',
  current: 'Current (in the last 3 months)',
}

/** Facts about the child that hard rules may look at. */
export const SUBJECT_FLAGS = ['learning_disability', 'send', 'looked_after', 'care_leaver'] as const
export type SubjectFlag = (typeof SUBJECT_FLAGS)[number]
export const FLAG_TEXT: Record<SubjectFlag, string> = {
  learning_disability: 'has a learning disability',
  send: 'has special educational needs or a disability',
  looked_after: 'is looked after',
  care_leaver: 'is a care leaver',
}

/** Where Lantern can suggest an answer from its own records (the practitioner still decides). */
export const SUGGESTION_SOURCES = ['missing_repeat', 'missing_out_of_area'] as const
export type SuggestionSource = (typeof SUGGESTION_SOURCES)[number]

const key = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,49}$/, 'Keys are 2 to 50 lower-case letters, digits or underscores, starting with a letter')
const text = (what: string, max = 300) => z.string().trim().min(1, `Enter the ${what}`).max(max, `The ${what} must be ${max} characters or fewer`)
const level = z.enum(LEVELS, { message: 'A level is green, amber or red' })
const answered = z.array(z.enum(['recent', 'current'], { message: 'A rule looks at recent or current answers' })).min(1, 'Name the answers the rule looks at (recent, current or both)')

export const indicatorSchema = z.object({
  key,
  text: text('indicator wording'),
  hint: z.string().trim().max(500, 'A hint must be 500 characters or fewer').optional(),
  weight: z.number({ message: 'A weight is a whole number from 0 to 20' }).int('A weight is a whole number from 0 to 20').min(0, 'A weight is a whole number from 0 to 20').max(20, 'A weight is a whole number from 0 to 20'),
  suggest: z.enum(SUGGESTION_SOURCES).optional(),
})

export const groupSchema = z.object({
  key,
  title: text('group title', 100),
  description: z.string().trim().max(500).optional(),
  indicators: z.array(indicatorSchema).min(1, 'Each group needs at least one indicator'),
})

export const bandSchema = z.object({
  level,
  min: z.number().int('Band limits are whole numbers').min(0, 'Band limits are 0 or more'),
  max: z.number().int('Band limits are whole numbers').min(0, 'Band limits are 0 or more').nullable(),
})

const ruleBase = { id: key, description: text('rule description', 300), level }

export const ruleSchema = z.discriminatedUnion(
  'kind',
  [
    /** Named indicators (any or all of them) answered as listed force at least `level`. */
    z.object({ ...ruleBase, kind: z.literal('indicator_floor'), indicators: z.array(key).min(1, 'Name at least one indicator'), match: z.enum(['any', 'all']), answers: answered }),
    /** A child under `ageUnder` or with any of `flags`, with any indicator answered as listed, is at least `level`. */
    z.object({
      ...ruleBase,
      kind: z.literal('vulnerability_floor'),
      ageUnder: z.number().int().min(1).max(25).optional(),
      flags: z.array(z.enum(SUBJECT_FLAGS)).default([]),
      answers: answered,
    }),
    /** At least `minCount` indicators (or groups with one) answered as listed force at least `level`. */
    z.object({ ...ruleBase, kind: z.literal('count_floor'), minCount: z.number().int().min(1).max(100), countBy: z.enum(['indicators', 'groups']), answers: answered }),
  ],
  { message: 'A rule kind is indicator_floor, vulnerability_floor or count_floor' },
)

export const toolSchema = z
  .object({
    name: text('tool name', 120),
    statusPoints: z.object({
      recent: z.number().int().min(0).max(10),
      current: z.number().int().min(0).max(10),
    }),
    groups: z.array(groupSchema).min(1, 'The tool needs at least one group of indicators'),
    bands: z.array(bandSchema).length(3, 'Give exactly three bands: green, amber and red'),
    rules: z.array(ruleSchema).default([]),
    reviewWeeks: z.object({
      red: z.number().int().min(1, 'Review intervals are 1 to 52 weeks').max(52, 'Review intervals are 1 to 52 weeks'),
      amber: z.number().int().min(1, 'Review intervals are 1 to 52 weeks').max(52, 'Review intervals are 1 to 52 weeks'),
      green: z.number().int().min(1, 'Review intervals are 1 to 52 weeks').max(52, 'Review intervals are 1 to 52 weeks'),
    }),
  })
  .superRefine((tool, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
    const groupKeys = new Set<string>()
    const indicatorKeys = new Set<string>()
    tool.groups.forEach((g, gi) => {
      if (groupKeys.has(g.key)) issue(['groups', gi, 'key'], `Two groups have the key “${g.key}”`)
      groupKeys.add(g.key)
      g.indicators.forEach((ind, ii) => {
        if (indicatorKeys.has(ind.key)) issue(['groups', gi, 'indicators', ii, 'key'], `Two indicators have the key “${ind.key}”`)
        indicatorKeys.add(ind.key)
      })
    })
    if (tool.statusPoints.recent > tool.statusPoints.current) {
      issue(['statusPoints', 'recent'], 'A recent indicator cannot count for more points than a current one')
    }
    for (const message of bandProblems(tool.bands)) issue(['bands'], message)
    const ruleIds = new Set<string>()
    tool.rules.forEach((rule, ri) => {
      if (ruleIds.has(rule.id)) issue(['rules', ri, 'id'], `Two rules have the id “${rule.id}”`)
      ruleIds.add(rule.id)
      if (rule.kind === 'indicator_floor') {
        for (const k of rule.indicators) {
          if (!indicatorKeys.has(k)) issue(['rules', ri, 'indicators'], `Rule “${rule.id}” names an indicator that is not in the tool: “${k}”`)
        }
      }
      if (rule.kind === 'vulnerability_floor' && rule.ageUnder == null && rule.flags.length === 0) {
        issue(['rules', ri], `Rule “${rule.id}” needs an age or at least one flag to apply to`)
      }
      if (rule.kind === 'count_floor' && rule.countBy === 'groups' && rule.minCount > tool.groups.length) {
        issue(['rules', ri, 'minCount'], `Rule “${rule.id}” counts more groups than the tool has`)
      }
    })
    const w = tool.reviewWeeks
    if (w.red > w.amber || w.amber > w.green) issue(['reviewWeeks'], 'Review intervals must be soonest for Red: Red no longer than Amber, Amber no longer than Green')
  })

export type ScreeningTool = z.infer<typeof toolSchema>
export type Indicator = z.infer<typeof indicatorSchema>
export type IndicatorGroup = z.infer<typeof groupSchema>
export type Band = z.infer<typeof bandSchema>
export type HardRule = z.infer<typeof ruleSchema>

const describeBand = (b: Band) => (b.max == null ? `${LEVEL_TEXT[b.level]} (${b.min} and above)` : `${LEVEL_TEXT[b.level]} (${b.min} to ${b.max})`)

/**
 * Bands cover every score from 0 upwards exactly once, rising green → amber → red: no overlap, no
 * gap, the last open-ended. Returns plain-English problems, none when the bands are sound.
 */
export function bandProblems(bands: Band[]): string[] {
  const problems: string[] = []
  const levels = bands.map((b) => b.level)
  for (const l of LEVELS) if (!levels.includes(l)) problems.push(`There is no ${LEVEL_TEXT[l]} band`)
  if (problems.length) return problems
  const sorted = [...bands].sort((a, b) => a.min - b.min)
  if (sorted.map((b) => b.level).join() !== LEVELS.join()) problems.push('Bands must rise from Green to Amber to Red')
  for (const b of sorted) if (b.max != null && b.max < b.min) problems.push(`The ${describeBand(b)} band ends before it starts`)
  if (sorted[0].min !== 0) problems.push(`The lowest band must start at 0, not ${sorted[0].min}`)
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]
    const next = sorted[i]
    if (prev.max == null || prev.max >= next.min) problems.push(`Bands overlap: ${describeBand(prev)} and ${describeBand(next)}`)
    else if (prev.max + 1 < next.min) problems.push(`Scores ${prev.max + 1} to ${next.min - 1} fall in no band, between ${describeBand(prev)} and ${describeBand(next)}`)
  }
  if (sorted[sorted.length - 1].max != null) problems.push(`The highest band must have no upper limit, so every score has a level`)
  return problems
}

export { describeBand }

/** Validates a definition; returns the parsed tool or the problems, each with where it is. */
export function parseTool(input: unknown): { ok: true; tool: ScreeningTool } | { ok: false; problems: { path: string; message: string }[] } {
  const result = toolSchema.safeParse(input)
  if (result.success) return { ok: true, tool: result.data }
  return { ok: false, problems: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) }
}

export function indicatorIndex(tool: ScreeningTool): Map<string, { indicator: Indicator; group: IndicatorGroup }> {
  const map = new Map<string, { indicator: Indicator; group: IndicatorGroup }>()
  for (const group of tool.groups) for (const indicator of group.indicators) map.set(indicator.key, { indicator, group })
  return map
}
