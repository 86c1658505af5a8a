/** The risk module's public surface: assessments and the scoring that other capabilities show. */
export { assessmentsForPerson } from './store.ts'
export { reviewDueOn, scoreAssessment, type Answers } from './scoring.ts'
export type { Level, ScreeningTool } from './tool.ts'
export { redsAwaitingConfirmation } from './events-store.ts'
