/** The scrutiny module's public surface: the items linked to an indicator or to strategy actions. */
export { scrutinyLinksFor } from './trace.ts'
