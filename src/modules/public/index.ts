/** The public reports module's public surface: the counts other capabilities may show, and how long reports are kept. */
export { publicReportStats } from './service.ts'
export { reportRetentionMonths } from './retention.ts'
