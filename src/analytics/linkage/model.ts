import { z } from 'zod'
import type { LinkType } from './dataset.ts'
import { LinkageInputError } from './errors.ts'
import { levelLabel } from './comparisons.ts'
import type { ComparisonSpec, ResolvedSettings } from './settings.ts'

/** m and u below this are treated as this: a level never seen still has a finite weight. */
export const PROBABILITY_FLOOR = 1e-9

export interface TrainedLevel {
  readonly label: string
  /** P(level | match), and P(level | non-match); null for the "missing" level, which carries no weight. */
  readonly m: number | null
  readonly u: number | null
}

export interface TrainedComparison {
  readonly name: string
  readonly levels: readonly TrainedLevel[]
}

export interface SessionReport {
  readonly rule: string
  readonly pairs: number
  readonly sampledPairs: number
  readonly trained: readonly string[]
  readonly iterations: number
  readonly converged: boolean
  /** Share of the session's pairs EM took for matches. */
  readonly matchShare: number
}

export interface TrainingReport {
  readonly randomPairs: number
  readonly sessions: readonly SessionReport[]
  readonly prior: { readonly method: 'fixed' | 'estimated'; readonly expectedMatches: number; readonly totalPairs: number }
  readonly warnings: readonly string[]
}

/**
 * A trained Fellegi-Sunter model: the resolved settings, m and u for every level, and the prior.
 * It is plain data, saved as JSON, so a run can be repeated and any score explained.
 */
export interface LinkageModel {
  readonly format: 'lantern-linkage-model'
  readonly version: 1
  readonly linkType: LinkType
  readonly settings: ResolvedSettings
  /** Probability that two records drawn at random are the same person (lambda). */
  readonly prior: number
  readonly comparisons: readonly TrainedComparison[]
  readonly training: TrainingReport
}

/** log2 Bayes factor of one level; 0 for the "missing" level. */
export function levelWeight(level: TrainedLevel): number {
  if (level.m === null || level.u === null) return 0
  return Math.log2(Math.max(level.m, PROBABILITY_FLOOR) / Math.max(level.u, PROBABILITY_FLOOR))
}

export function trainedComparison(spec: ComparisonSpec, m: readonly number[], u: readonly number[]): TrainedComparison {
  return {
    name: spec.name,
    levels: spec.levels.map((level, k) => ({
      label: levelLabel(level),
      m: k === 0 ? null : m[k],
      u: k === 0 ? null : u[k],
    })),
  }
}

const levelSchema = z.object({ label: z.string(), m: z.number().min(0).max(1).nullable(), u: z.number().min(0).max(1).nullable() })

const modelSchema = z.object({
  format: z.literal('lantern-linkage-model'),
  version: z.literal(1),
  linkType: z.enum(['dedupe', 'link']),
  settings: z.object({
    idColumn: z.string(),
    comparisons: z.array(z.object({ name: z.string(), column: z.string(), kind: z.string(), levels: z.array(z.object({ type: z.string() }).loose()) })),
    blockingRules: z.array(z.array(z.object({}).loose())),
    trainingRules: z.array(z.array(z.object({}).loose())),
    prior: z.number().optional(),
    options: z.object({}).loose(),
  }),
  prior: z.number().gt(0).lt(1),
  comparisons: z.array(z.object({ name: z.string(), levels: z.array(levelSchema) })),
  training: z.object({}).loose(),
})

/** Read a model saved by `JSON.stringify(model)`; the shape is checked, not the statistics. */
export function parseModel(json: unknown): LinkageModel {
  const parsed = modelSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new LinkageInputError(`model: ${issue.path.join('.') || 'file'}: ${issue.message}`)
  }
  const model = json as LinkageModel
  if (model.comparisons.length !== model.settings.comparisons.length) {
    throw new LinkageInputError('model: the trained comparisons do not match its settings')
  }
  model.settings.comparisons.forEach((c, i) => {
    if (model.comparisons[i].levels.length !== c.levels.length || model.comparisons[i].name !== c.name) {
      throw new LinkageInputError(`model: comparison "${c.name}" does not match its settings`)
    }
  })
  return model
}
