/** The public reports module's public surface: the counts other capabilities may show. */
export { publicReportStats } from './service.ts'
