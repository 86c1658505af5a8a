/** The linkage module's public surface: the duplicate check that the people forms show. */
export { showPossibleDuplicates } from './entry-hook.ts'
