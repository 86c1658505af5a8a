import { z } from 'zod'
import { COLUMN_KINDS, type ColumnKind } from './normalise.ts'
import { LinkageInputError } from './errors.ts'

/**
 * Settings: which fields are compared and how (levels, best first), which blocking rules make the
 * candidate pairs, and which rules the training sessions are blocked on. A settings file may name a
 * preset comparison ("name", "date", ...) or list its own levels; `resolveSettings` expands presets
 * and checks every column, so the saved model holds the full, explicit description.
 */

const levelSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('null') }).strict(),
  z.object({ type: z.literal('exact'), termFrequency: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('exactOtherColumn'), column: z.string().min(1), termFrequency: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('jaroWinkler'), threshold: z.number().gt(0).lte(1) }).strict(),
  z.object({ type: z.literal('damerauLevenshtein'), maxDistance: z.number().int().min(1).max(10) }).strict(),
  z.object({ type: z.literal('doubleMetaphone') }).strict(),
  z.object({ type: z.literal('dateTransposed') }).strict(),
  z.object({ type: z.literal('sameYear') }).strict(),
  z.object({ type: z.literal('postcodeSector') }).strict(),
  z.object({ type: z.literal('postcodeDistrict') }).strict(),
  z.object({ type: z.literal('postcodeArea') }).strict(),
  z.object({ type: z.literal('else') }).strict(),
])

/** One comparison level. `null` (either value missing) is always first, `else` always last. */
export type LevelSpec = z.infer<typeof levelSchema>
export type LevelType = LevelSpec['type']

export const PRESETS = ['name', 'date', 'postcode', 'identifier', 'string', 'exact'] as const
export type Preset = (typeof PRESETS)[number]

const comparisonInputSchema = z
  .object({
    column: z.string().min(1),
    name: z.string().min(1).optional(),
    comparison: z.string().optional(),
    kind: z.enum(COLUMN_KINDS as [ColumnKind, ...ColumnKind[]]).optional(),
    levels: z.array(levelSchema).optional(),
    termFrequency: z.boolean().optional(),
    /** For the name preset: the other name column, to recognise forename and surname swapped (both ways round). */
    otherColumn: z.string().min(1).optional(),
  })
  .strict()

export type ComparisonInput = z.infer<typeof comparisonInputSchema>

const TRANSFORMS = ['exact', 'metaphone', 'year', 'prefix', 'postcodeSector', 'postcodeDistrict'] as const
export type BlockingTransform = (typeof TRANSFORMS)[number]

const partSchema = z.union([
  z.string().min(1),
  z
    .object({ column: z.string().min(1), transform: z.enum(TRANSFORMS).optional(), length: z.number().int().min(1).optional() })
    .strict(),
  z.object({ columns: z.tuple([z.string().min(1), z.string().min(1)]), transform: z.literal('sorted') }).strict(),
])

const ruleSchema = z.union([z.string().min(1), z.array(partSchema).min(1)])
export type BlockingRuleInput = z.infer<typeof ruleSchema>

export const settingsInputSchema = z
  .object({
    idColumn: z.string().min(1).optional(),
    comparisons: z.array(comparisonInputSchema).min(1).optional(),
    blockingRules: z.array(ruleSchema).min(1).optional(),
    trainingRules: z.array(ruleSchema).min(1).optional(),
    /** Fix the prior probability that two random records match instead of estimating it. */
    prior: z.number().gt(0).lt(1).optional(),
    seed: z.number().int().optional(),
    randomPairs: z.number().int().min(1000).optional(),
    maxPairsPerSession: z.number().int().min(100).optional(),
    emIterations: z.number().int().min(1).max(1000).optional(),
    maxCandidatePairs: z.number().int().min(1).optional(),
  })
  .strict()

export type SettingsInput = z.infer<typeof settingsInputSchema>

export type BlockingPart =
  | { readonly column: string; readonly transform: Exclude<BlockingTransform, 'prefix'> }
  | { readonly column: string; readonly transform: 'prefix'; readonly length: number }
  | { readonly columns: readonly [string, string]; readonly transform: 'sorted' }

/** A conjunction: a pair is a candidate when every part agrees (and none is missing). */
export type BlockingRule = readonly BlockingPart[]

export interface ComparisonSpec {
  readonly name: string
  readonly column: string
  readonly kind: ColumnKind
  readonly levels: readonly LevelSpec[]
}

export interface TrainingOptions {
  readonly seed: number
  readonly randomPairs: number
  readonly maxPairsPerSession: number
  readonly emIterations: number
  readonly maxCandidatePairs: number
}

export interface ResolvedSettings {
  readonly idColumn: string
  readonly comparisons: readonly ComparisonSpec[]
  readonly blockingRules: readonly BlockingRule[]
  readonly trainingRules: readonly BlockingRule[]
  readonly prior?: number
  readonly options: TrainingOptions
}

export const DEFAULT_OPTIONS: TrainingOptions = {
  seed: 1,
  randomPairs: 100_000,
  maxPairsPerSession: 250_000,
  emIterations: 40,
  maxCandidatePairs: 100_000_000,
}

/** Parse a settings document (already JSON-decoded), with messages a user can act on. */
export function parseSettingsInput(json: unknown): SettingsInput {
  const parsed = settingsInputSchema.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue.path.length ? issue.path.join('.') : 'settings'
  throw new LinkageInputError(`settings: ${where}: ${issue.message}`)
}

function presetLevels(preset: Preset, input: ComparisonInput): LevelSpec[] {
  const tf = input.termFrequency
  switch (preset) {
    case 'name':
      return [
        { type: 'exact', termFrequency: tf ?? true },
        ...(input.otherColumn ? [{ type: 'exactOtherColumn' as const, column: input.otherColumn, termFrequency: tf ?? true }] : []),
        { type: 'jaroWinkler', threshold: 0.92 },
        { type: 'doubleMetaphone' },
        { type: 'jaroWinkler', threshold: 0.8 },
      ]
    case 'date':
      return [{ type: 'exact' }, { type: 'dateTransposed' }, { type: 'damerauLevenshtein', maxDistance: 1 }, { type: 'sameYear' }]
    case 'postcode':
      return [
        { type: 'exact', termFrequency: tf ?? false },
        { type: 'damerauLevenshtein', maxDistance: 1 },
        { type: 'postcodeSector' },
        { type: 'postcodeDistrict' },
      ]
    case 'identifier':
      return [{ type: 'exact' }, { type: 'damerauLevenshtein', maxDistance: 1 }, { type: 'damerauLevenshtein', maxDistance: 2 }]
    case 'string':
      return [
        { type: 'exact', termFrequency: tf ?? false },
        { type: 'jaroWinkler', threshold: 0.9 },
        { type: 'jaroWinkler', threshold: 0.8 },
      ]
    case 'exact':
      return [{ type: 'exact', termFrequency: tf ?? false }]
  }
}

const PRESET_KIND: Record<Preset, ColumnKind> = {
  name: 'text',
  date: 'date',
  postcode: 'postcode',
  identifier: 'identifier',
  string: 'text',
  exact: 'text',
}

function withNullAndElse(levels: readonly LevelSpec[]): LevelSpec[] {
  return [{ type: 'null' }, ...levels.filter((l) => l.type !== 'null' && l.type !== 'else'), { type: 'else' }]
}

export function resolveComparison(input: ComparisonInput, columns: ReadonlySet<string>, index: number): ComparisonSpec {
  const label = input.name ?? input.column
  const where = `settings: comparison ${index + 1} ("${label}")`
  requireColumn(input.column, columns, where)
  if (input.otherColumn) requireColumn(input.otherColumn, columns, where)
  if (input.levels && input.comparison) throw new LinkageInputError(`${where}: give either "comparison" or "levels", not both`)
  let levels: LevelSpec[]
  let kind: ColumnKind
  if (input.levels) {
    const nullAt = input.levels.findIndex((l) => l.type === 'null')
    const elseAt = input.levels.findIndex((l) => l.type === 'else')
    if (nullAt > 0) throw new LinkageInputError(`${where}: the "null" level must come first`)
    if (elseAt >= 0 && elseAt !== input.levels.length - 1) throw new LinkageInputError(`${where}: the "else" level must come last`)
    levels = withNullAndElse(input.levels)
    kind = input.kind ?? inferKind(levels)
  } else {
    const preset = input.comparison ?? 'string'
    if (!(PRESETS as readonly string[]).includes(preset)) {
      throw new LinkageInputError(`${where}: unknown comparison "${preset}" (known: ${PRESETS.join(', ')})`)
    }
    levels = withNullAndElse(presetLevels(preset as Preset, input))
    kind = input.kind ?? PRESET_KIND[preset as Preset]
  }
  if (levels.length < 3) throw new LinkageInputError(`${where}: needs at least one level besides "null" and "else"`)
  for (const level of levels) if (level.type === 'exactOtherColumn') requireColumn(level.column, columns, where)
  return { name: label, column: input.column, kind, levels }
}

function inferKind(levels: readonly LevelSpec[]): ColumnKind {
  if (levels.some((l) => l.type === 'dateTransposed' || l.type === 'sameYear')) return 'date'
  if (levels.some((l) => l.type.startsWith('postcode'))) return 'postcode'
  return 'text'
}

function requireColumn(column: string, columns: ReadonlySet<string>, where: string): void {
  if (!columns.has(column)) {
    throw new LinkageInputError(`${where}: unknown column "${column}" (columns: ${[...columns].join(', ')})`)
  }
}

function resolveRule(input: BlockingRuleInput, columns: ReadonlySet<string>, where: string): BlockingRule {
  const parts = typeof input === 'string' ? [input] : input
  return parts.map((part): BlockingPart => {
    if (typeof part === 'string') {
      requireColumn(part, columns, where)
      return { column: part, transform: 'exact' }
    }
    if ('columns' in part) {
      for (const c of part.columns) requireColumn(c, columns, where)
      return { columns: part.columns, transform: 'sorted' }
    }
    requireColumn(part.column, columns, where)
    const transform = part.transform ?? 'exact'
    if (transform === 'prefix') return { column: part.column, transform, length: part.length ?? 3 }
    return { column: part.column, transform }
  })
}

/** Columns a rule reads, to keep a training session from learning the fields it was blocked on. */
export function ruleColumns(rule: BlockingRule): string[] {
  return rule.flatMap((p) => ('columns' in p ? [...p.columns] : [p.column]))
}

export function describeRule(rule: BlockingRule): string {
  return rule
    .map((p) => {
      if ('columns' in p) return `sorted(${p.columns.join(', ')})`
      if (p.transform === 'exact') return p.column
      if (p.transform === 'prefix') return `prefix${p.length}(${p.column})`
      return `${p.transform}(${p.column})`
    })
    .join(' & ')
}

/**
 * Expand presets, fill defaults and check every column against the data's columns. `defaults`
 * supplies what the input leaves out (usually `defaultSettings` for the same columns).
 */
export function resolveSettings(
  input: SettingsInput,
  columns: readonly string[],
  defaults: () => Required<Pick<SettingsInput, 'comparisons' | 'blockingRules' | 'trainingRules'>>,
): ResolvedSettings {
  const columnSet = new Set(columns)
  const idColumn = input.idColumn
  if (!idColumn) throw new LinkageInputError('settings: no id column given')
  if (!columnSet.has(idColumn)) throw new LinkageInputError(`no id column "${idColumn}" (columns: ${columns.join(', ')})`)
  const fallback = input.comparisons && input.blockingRules && input.trainingRules ? null : defaults()
  const comparisons = (input.comparisons ?? fallback!.comparisons).map((c, i) => resolveComparison(c, columnSet, i))
  if (comparisons.length === 0) throw new LinkageInputError('settings: no comparisons (no columns recognised; write a settings file)')
  const names = new Set<string>()
  const kinds = new Map<string, ColumnKind>()
  for (const c of comparisons) {
    if (names.has(c.name)) throw new LinkageInputError(`settings: two comparisons are named "${c.name}"`)
    names.add(c.name)
    const known = kinds.get(c.column)
    if (known && known !== c.kind) throw new LinkageInputError(`settings: column "${c.column}" is compared both as ${known} and as ${c.kind}`)
    kinds.set(c.column, c.kind)
  }
  const blockingRules = (input.blockingRules ?? fallback!.blockingRules).map((r, i) => resolveRule(r, columnSet, `settings: blocking rule ${i + 1}`))
  const trainingRules = (input.trainingRules ?? fallback!.trainingRules).map((r, i) => resolveRule(r, columnSet, `settings: training rule ${i + 1}`))
  if (blockingRules.length === 0) throw new LinkageInputError('settings: no blocking rules (no columns recognised; write a settings file)')
  if (trainingRules.length === 0) throw new LinkageInputError('settings: no training rules (no columns recognised; write a settings file)')
  return {
    idColumn,
    comparisons,
    blockingRules,
    trainingRules,
    ...(input.prior !== undefined ? { prior: input.prior } : {}),
    options: {
      seed: input.seed ?? DEFAULT_OPTIONS.seed,
      randomPairs: input.randomPairs ?? DEFAULT_OPTIONS.randomPairs,
      maxPairsPerSession: input.maxPairsPerSession ?? DEFAULT_OPTIONS.maxPairsPerSession,
      emIterations: input.emIterations ?? DEFAULT_OPTIONS.emIterations,
      maxCandidatePairs: input.maxCandidatePairs ?? DEFAULT_OPTIONS.maxCandidatePairs,
    },
  }
}

/** The kind (normaliser) of every column the settings read; columns only blocked on are text. */
export function columnKinds(settings: Pick<ResolvedSettings, 'comparisons' | 'blockingRules' | 'trainingRules'>): Map<string, ColumnKind> {
  const kinds = new Map<string, ColumnKind>()
  for (const c of settings.comparisons) {
    kinds.set(c.column, c.kind)
    for (const l of c.levels) if (l.type === 'exactOtherColumn' && !kinds.has(l.column)) kinds.set(l.column, 'text')
  }
  for (const rule of [...settings.blockingRules, ...settings.trainingRules]) {
    for (const col of ruleColumns(rule)) if (!kinds.has(col)) kinds.set(col, 'text')
  }
  return kinds
}
