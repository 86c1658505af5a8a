/**
 * The people module's public surface: what other capabilities may use of a person's record. A
 * person's row, identity and timeline belong here; other modules read and add to them only
 * through these.
 */
export { peopleService, displayName, currentAge, crossFieldIssues, personRef, type PeopleService } from './service.ts'
export { visibleTo, ratingAwaitsConfirmation, onCaseloadOf } from './store.ts'
export { personRatingStore, type PersonRating } from './rating-store.ts'
export { recordPersonEvent, DemoEvents, type PersonEvent } from './timeline.ts'
export { notesService, NOTES_PAGE_SIZE } from './notes.ts'
export { notesAdded } from './note-events-store.ts'
export { personChoices, type PersonChoiceRow } from './person-choices-store.ts'
export { GENDERS, type PersonInput } from './schemas.ts'
export { voidedRecordError, voidRecord, VOID_REASON_MAX, type VoidInput } from './voiding.ts'
export { voidRoutes } from './void-routes.ts'
export type { Person, PeopleTable, PersonKind } from './tables.ts'
