/** The phone data module's public surface: the service, for the command line. */
export { callsService, type CallSource, type ImportOutcome, type ImportProgress } from './service.ts'
export { problemText } from './csv.ts'
