/** The linkage module's public surface: the duplicate check that the people forms show, and the register's search by similar names. */
export { showPossibleDuplicates } from './entry-hook.ts'
export { similarNames } from './name-search.ts'
