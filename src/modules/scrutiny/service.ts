import type { ModuleDeps } from '../types.ts'
import { isSettled } from './domain.ts'
import { senderFromConfig, type NotificationSender } from './notifications.ts'
import { scrutinyCore } from './service-core.ts'
import { bodiesService } from './bodies-service.ts'
import { trackerService } from './tracker-service.ts'
import { meetingsService } from './meetings-service.ts'
import { filesService } from './files-service.ts'
import { itemsService } from './items-service.ts'
import { itemChangesService } from './item-changes-service.ts'
import { responsesService } from './responses-service.ts'
import { importService } from './import-service.ts'
import { outboxService } from './outbox-service.ts'

export { fail, type Result } from '../../kernel/form-errors.ts'
export { checkUpload, MAX_FILE_BYTES, type UploadedFile } from './upload-check.ts'
// One home for a tracker row as the pages show it (decorate.ts); re-exported for the module's other files.
export { decorate, TRACKER_PAGE, type Decorated } from './decorate.ts'

/**
 * The meetings, tracker and items of every scrutiny body: permission-checked and audited. One
 * service made of one part per journey, all sharing one core built here.
 */
export function scrutinyService(deps: ModuleDeps, options: { sender?: NotificationSender } = {}) {
  const core = scrutinyCore(deps, options.sender ?? senderFromConfig(deps.config, deps.logger))
  const meetings = meetingsService(core)
  return {
    store: core.store,
    sender: core.sender,
    today: core.today,
    mayOnBody: core.mayOnBody,
    authoriseOnBody: core.authoriseOnBody,
    ...bodiesService(core),
    ...trackerService(core),
    ...meetings,
    ...filesService(core),
    ...itemsService(core, meetings),
    ...itemChangesService(core),
    ...responsesService(core),
    ...importService(core),
    ...outboxService(core),
  }
}

export type ScrutinyService = ReturnType<typeof scrutinyService>

export { isSettled }
