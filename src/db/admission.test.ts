import { describe, expect, it } from 'vitest'
import { Gate } from './admission.ts'
import { DatabaseBusyError } from './limits.ts'

const refusal = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err)

describe('a gate', () => {
  it('lets in up to its capacity, queues the next in order, and refuses past the queue limit at once', async () => {
    const gate = new Gate({ capacity: 2, queueLimit: 2, queueTimeoutMs: 5_000 })
    const first = await gate.enter()
    await gate.enter()
    const order: string[] = []
    const third = gate.enter().then((leave) => (order.push('third'), leave))
    const fourth = gate.enter().then((leave) => (order.push('fourth'), leave))
    expect(await refusal(gate.enter())).toBeInstanceOf(DatabaseBusyError)
    expect(gate.stats).toEqual({ inside: 2, waiting: 2 })
    first()
    first()
    const leaveThird = await third
    expect(order).toEqual(['third'])
    expect(gate.stats).toEqual({ inside: 2, waiting: 1 })
    leaveThird()
    await fourth
    expect(order).toEqual(['third', 'fourth'])
  })

  it('refuses one who waits past the timeout, and lets one not bounded queue past the limit', async () => {
    const gate = new Gate({ capacity: 1, queueLimit: 0, queueTimeoutMs: 50 })
    await gate.enter()
    expect(await refusal(gate.enter())).toBeInstanceOf(DatabaseBusyError)
    const started = performance.now()
    expect(await refusal(gate.enter({ bounded: false }))).toBeInstanceOf(DatabaseBusyError)
    expect(performance.now() - started).toBeGreaterThanOrEqual(40)
    expect(gate.stats).toEqual({ inside: 1, waiting: 0 })
  })

  it('without limits lets one in at a time and refuses nobody', async () => {
    const gate = new Gate(undefined)
    const leave = await gate.enter()
    const waiting = gate.enter()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(gate.stats).toEqual({ inside: 1, waiting: 1 })
    leave()
    await waiting
    expect(gate.stats).toEqual({ inside: 1, waiting: 0 })
  })
})
