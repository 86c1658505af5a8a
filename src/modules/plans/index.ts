/** The plans module's public surface: what a child's multi-agency plan holds, for other capabilities. */
export { plansService, type PlansService } from './service.ts'
export { actionState, meetingKindText, type ActionState } from './rules.ts'
export { actionsAssigned } from './events-store.ts'
