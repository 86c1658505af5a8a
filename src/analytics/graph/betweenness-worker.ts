import { parentPort, workerData } from 'node:worker_threads'
import { brandesKernel } from './brandes.ts'
import { emptyTotals, totalsBuffers } from './brandes-totals.ts'
import type { WorkerTask } from './betweenness.ts'

// A worker claims chunks of sources from a shared counter until none are left, so a thread that
// draws cheap sources (small components) simply takes more of them.
const task = workerData as WorkerTask
const totals = emptyTotals(task.graph.n, task.kind !== 'brandes')
const run = brandesKernel(task.graph, totals, task.kind, task.weights)
const counter = new Int32Array(task.counter)
for (;;) {
  const start = Atomics.add(counter, 0, task.chunk)
  if (start >= task.sources.length) break
  run(task.sources.subarray(start, Math.min(start + task.chunk, task.sources.length)))
}
parentPort!.postMessage(totals, totalsBuffers(totals))
