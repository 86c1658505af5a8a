/** The register's public surface: its filter and rows, which the API serves too. */
export { registerService, type RegisterRow } from './service.ts'
export { registerFilterSchema, filterQuery, MISSING_RECENT_DAYS, PAGE_SIZES, REVIEW_DUE_DAYS, type RegisterFilter } from './schemas.ts'
