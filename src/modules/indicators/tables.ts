import type { ColumnType, Generated, Selectable } from 'kysely'
import type { CreatedAt, Json, Timestamp } from '../../db/schema.ts'

/** A date column read as 'YYYY-MM-DD' and written as the same. */
type DateText = ColumnType<string, string, string>

export type ImportVia = 'cli' | 'web' | 'demo'

export interface ImportedFile {
  name: string
  rows: number
}

export interface ImportedMonth {
  month: string
  /** The force area's name in Lantern, whatever name the file used. */
  force: string
  rows: number
  replaced: number
  /** Rows in local authorities outside the partnership (in the force's count, in no area's). */
  outside?: number
  /** Rows police.uk gives no location for (in the force's count, in no area's). */
  withoutLocation?: number
}

export interface PoliceUkImportsTable {
  id: Generated<string>
  started_at: CreatedAt
  finished_at: Timestamp | null
  user_id: string | null
  via: ImportVia
  files: Json<ImportedFile[]>
  months: Json<ImportedMonth[]>
  rows: number
  replaced_rows: number
  duration_ms: number | null
}

export interface CrimesTable {
  month: DateText
  crime_id: string | null
  reported_by: string
  falls_within: string
  longitude: number | null
  latitude: number | null
  location: string | null
  lsoa_code: string | null
  lsoa_name: string | null
  crime_type: string
  last_outcome: string | null
  context: string | null
  force_area_id: string
  area_id: string | null
  import_id: string
}

/** A name police.uk has used for a force, and the force area's name in Lantern. */
export interface PoliceForceNamesTable {
  name: string
  force_name: string
}

/** Files uploaded and previewed, waiting to be confirmed; `preview` is the dry run's summary. */
export interface PoliceUkUploadsTable {
  id: Generated<string>
  user_id: string
  preview: Json<unknown>
  created_at: CreatedAt
}

export interface PoliceUkUploadFilesTable {
  upload_id: string
  position: number
  name: string
  content: Buffer
}

export interface CrimeCountsTable {
  force_area_id: string
  area_id: string
  month: DateText
  category: string
  count: number
}

export type Unit = 'count' | 'percent' | 'seconds' | 'rate'
export type Polarity = 'up_bad' | 'up_good' | 'neutral'
export type SourceKind = 'police_uk' | 'lantern' | 'manual'
export type Frequency = 'month' | 'quarter' | 'year'

export interface IndicatorsTable {
  id: Generated<string>
  slug: string
  name: string
  definition: string
  unit: Unit
  polarity: Polarity
  source_kind: SourceKind
  source_key: string | null
  source_note: string | null
  frequency: Frequency
  lag_days: Generated<number>
  owner_agency_id: string | null
  owner: string | null
  headline: Generated<boolean>
  active: Generated<boolean>
  created_at: CreatedAt
  updated_at: Generated<Date>
}

export interface IndicatorValuesTable {
  indicator_id: string
  area_id: string
  period_start: DateText
  value: number
  note: string | null
  entered_by: string | null
  via: 'form' | 'csv' | 'cli' | 'demo'
  updated_at: Generated<Date>
}

export interface IndicatorTargetsTable {
  id: Generated<string>
  indicator_id: string
  area_id: string
  value: number
  amber_margin: Generated<number>
  note: string | null
  set_by: string | null
  updated_at: Generated<Date>
}

export interface StrategiesTable {
  id: Generated<string>
  title: string
  summary: string
  period_start: DateText
  period_end: DateText
  area_id: string | null
  updated_at: Generated<Date>
}

export interface StrategyObjectivesTable {
  id: Generated<string>
  strategy_id: string
  position: number
  title: string
  description: string
  lead_agency_id: string | null
  updated_at: Generated<Date>
}

export interface StrategyObjectiveIndicatorsTable {
  objective_id: string
  indicator_id: string
  area_id: string
}

export type ActionStatus = 'not_started' | 'in_progress' | 'complete' | 'stopped'

export interface StrategyActionsTable {
  id: Generated<string>
  objective_id: string
  title: string
  lead_agency_id: string | null
  due_date: DateText | null
  status: Generated<ActionStatus>
  progress_note: string | null
  updated_by: string | null
  updated_at: Generated<Date>
}

export type ReportStatus = 'draft' | 'published' | 'withdrawn'

export interface PerformanceReportsTable {
  id: Generated<string>
  title: string
  meeting: string | null
  area_id: string
  period_from: DateText
  period_to: DateText
  commentary: string | null
  status: Generated<ReportStatus>
  snapshot: Json<unknown> | null
  created_by: string | null
  created_at: CreatedAt
  updated_at: Generated<Date>
  published_at: Timestamp | null
  published_by: string | null
}

/** ONS mid-year population estimates by area, for rates per 1,000 residents (migration 0750). */
export interface AreaPopulationsTable {
  area_id: string
  year: number
  population: number
  source: string | null
  updated_at: Generated<Date>
}

/** When a Lantern count was last counted, and over which months (migration 0510). */
export interface DerivedSeriesRefreshesTable {
  series_key: string
  range_from: DateText
  range_to: DateText
  computed_at: Date
  duration_ms: number
}

/** A Lantern count as kept: one area's month (a percentage keeps its denominator). */
export interface DerivedSeriesValuesTable {
  series_key: string
  area_id: string
  period: DateText
  value: number
  denominator: number | null
}

/** The counter every input of the indicators' judgements moves (migration 0850). */
export interface IndicatorInputsTable {
  only_row: Generated<boolean>
  version: Generated<string>
}

/** A family of judgements kept with the key of the inputs it was made from (migration 0850). */
export interface IndicatorJudgementsTable {
  variant: string
  inputs_key: string
  computed_at: Date
  duration_ms: number
  /** JSON as judgements.ts encodes it (withheld values are NaN, which plain JSON cannot hold). */
  results: string
}

declare module '../../db/schema.ts' {
  interface Database {
    police_uk_imports: PoliceUkImportsTable
    crimes: CrimesTable
    crime_counts: CrimeCountsTable
    police_force_names: PoliceForceNamesTable
    police_uk_uploads: PoliceUkUploadsTable
    police_uk_upload_files: PoliceUkUploadFilesTable
    indicators: IndicatorsTable
    indicator_values: IndicatorValuesTable
    indicator_targets: IndicatorTargetsTable
    strategies: StrategiesTable
    strategy_objectives: StrategyObjectivesTable
    strategy_objective_indicators: StrategyObjectiveIndicatorsTable
    strategy_actions: StrategyActionsTable
    performance_reports: PerformanceReportsTable
    area_populations: AreaPopulationsTable
    derived_series_refreshes: DerivedSeriesRefreshesTable
    derived_series_values: DerivedSeriesValuesTable
    indicator_inputs: IndicatorInputsTable
    indicator_judgements: IndicatorJudgementsTable
  }
}

export type Indicator = Selectable<IndicatorsTable>
export type PerformanceReport = Selectable<PerformanceReportsTable>
export type StrategyAction = Selectable<StrategyActionsTable>
