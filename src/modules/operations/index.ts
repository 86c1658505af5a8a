/** The operations module's public surface. */
export { operationsService, type OperationsService } from './service.ts'
export { outcomeCounts, type OutcomeCounts } from './outcomes.ts'
export { operationImportStore } from './import-store.ts'
