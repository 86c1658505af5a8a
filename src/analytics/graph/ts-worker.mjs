// Worker threads start without the parent's TypeScript loader on Node 20, so this plain-JS entry
// registers tsx in the worker and then loads the TypeScript module named in workerData.entry.
import { register } from 'tsx/esm/api'
import { workerData } from 'node:worker_threads'

register()
await import(workerData.entry)
