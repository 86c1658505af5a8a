/** The network module's public surface: what joint operations build on. */
export { entityKindText, entityRef, requireUser, toAnalysis } from './service.ts'
export { networkStore } from './store.ts'
export { entityVisibleRow } from './store.ts'
export { locationTypeText } from './service.ts'
export { networkImportStore } from './import-store.ts'
export { linksMadeTouching } from './events-store.ts'
