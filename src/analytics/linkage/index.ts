/**
 * Record linkage: a Fellegi-Sunter model trained without labels, the method of the Ministry of
 * Justice's Splink.
 *
 * - `deduplicate(table)` / `linkTables(left, right)`: block, train (u from random pairs, m by EM
 *   sessions each blocked on a different rule, the prior by EM with m and u fixed), score every
 *   candidate pair; the run gives matches, clusters and a waterfall explanation of any pair.
 * - `MatchIndex.build(model, table).find(record)`: score one new record against existing ones;
 *   `upsert(record)` and `remove(id)` keep the index up to date in place (same answers as a rebuild).
 * - The model is plain JSON (`JSON.stringify(run.model)`, `parseModel(json)`).
 *
 * Pure: no HTTP, no database, no file system except `parseCsvTable`'s text input.
 */
export { deduplicate, linkTables, settingsFor, LinkageRun } from './linkage.ts'
export type { BlockingReport, LinkageOptions, PairMatch, ProgressEvent, Stage } from './linkage.ts'
export { MatchIndex } from './matcher.ts'
export type { MatchCandidate, MatchIndexOptions, QueryRecord } from './matcher.ts'
export { parseModel, levelWeight } from './model.ts'
export type { LinkageModel, TrainedComparison, TrainedLevel, TrainingReport, SessionReport } from './model.ts'
export type { Explanation, WaterfallRow } from './explain.ts'
export { defaultSettings } from './defaults.ts'
export type { DefaultSettings } from './defaults.ts'
export { parseSettingsInput, describeRule, PRESETS } from './settings.ts'
export type {
  BlockingPart,
  BlockingRule,
  BlockingRuleInput,
  ComparisonInput,
  ComparisonSpec,
  LevelSpec,
  ResolvedSettings,
  SettingsInput,
} from './settings.ts'
export { tableFromObjects, tableFromRows } from './dataset.ts'
export type { LinkType, Table } from './dataset.ts'
export { parseCsvTable, csvLine } from './csv.ts'
export { LinkageInputError } from './errors.ts'
export { levelLabel } from './comparisons.ts'
export { probabilityFromWeight } from './scoring.ts'
export { pairQuality, countTruePairs, febrlEntity, reviewedAccuracy } from './evaluate.ts'
export type { PairQuality, ReviewedAccuracy } from './evaluate.ts'
