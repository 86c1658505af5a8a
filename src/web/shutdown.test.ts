import { describe, expect, it } from 'vitest'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { stopServer } from './shutdown.ts'

function slowServer(ms: number) {
  const server = createServer((_req, res) => {
    setTimeout(() => res.end('finished'), ms)
  })
  return new Promise<{ server: typeof server; url: string }>((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })))
}

describe('stopping the web server', () => {
  it('finishes a request in flight, takes no new one, and then resolves', async () => {
    const { server, url } = await slowServer(300)
    const inFlight = fetch(url).then(async (r) => ({ status: r.status, text: await r.text() }))
    await new Promise((resolve) => setTimeout(resolve, 50))
    const stopped = stopServer(server, 5_000)
    await new Promise((resolve) => setTimeout(resolve, 20))
    await expect(fetch(url)).rejects.toThrow()
    expect(await inFlight).toEqual({ status: 200, text: 'finished' })
    await stopped
    expect(server.listening).toBe(false)
  })

  it('closes a request still running when the grace period ends', async () => {
    const { server, url } = await slowServer(60_000)
    const inFlight = fetch(url).then(() => 'answered', () => 'cut off')
    await new Promise((resolve) => setTimeout(resolve, 50))
    const started = performance.now()
    await stopServer(server, 200)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(await inFlight).toBe('cut off')
  })
})
