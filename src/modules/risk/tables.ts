import type { Generated, Selectable } from 'kysely'
import type { CreatedAt, Json, Timestamp } from '../../db/schema.ts'
import type { Answers, ScoreResult } from './scoring.ts'
import type { Level, ScreeningTool } from './tool.ts'

export type AssessmentStatus = 'draft' | 'awaiting_confirmation' | 'final' | 'discarded'

export interface ScreeningToolsTable {
  version: number
  definition: Json<ScreeningTool>
  change_note: string
  created_by: string | null
  created_at: CreatedAt
}

/** What an assessment keeps of the scoring: the result and the facts about the child it used. */
export type StoredExplanation = Omit<ScoreResult, 'unanswered'> & { subject: { age: number | null; flags: string[] } }

export interface RiskAssessmentsTable {
  id: Generated<string>
  person_id: string
  tool_version: number
  kind: Generated<'initial' | 'review'>
  status: Generated<AssessmentStatus>
  answers: Json<Answers>
  computed_score: number | null
  computed_level: Level | null
  explanation: Json<StoredExplanation> | null
  final_level: Level | null
  override_reason: string | null
  analysis: string | null
  review_due: string | null
  started_by: string | null
  started_at: Generated<Date>
  updated_by: string | null
  updated_at: Timestamp
  submitted_by: string | null
  submitted_at: Timestamp | null
  confirmed_by: string | null
  confirmed_at: Timestamp | null
  confirmation_outcome: 'confirmed' | 'changed' | null
  confirmation_note: string | null
  version: Generated<number>
}

declare module '../../db/schema.ts' {
  interface Database {
    screening_tools: ScreeningToolsTable
    risk_assessments: RiskAssessmentsTable
  }
}

export type RiskAssessment = Selectable<RiskAssessmentsTable>
