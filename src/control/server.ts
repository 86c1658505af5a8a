import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { timingSafeEqual } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Logger } from 'pino'
import type { DatabaseHandle } from '../db/index.ts'
import type { ModuleDeps } from '../modules/types.ts'
import { commandContext } from '../kernel/context.ts'
import { fileImportSource } from '../modules/indicators/police-uk/import.ts'
import { newControlSecret, publishControl, withdrawControl } from './channel.ts'

export interface ControlServer {
  close(): Promise<void>
}

/**
 * The server's side of the control channel (see channel.ts): the work `lantern` commands may send
 * while the server holds the embedded database. Each answer is a stream of JSON lines, progress
 * first and the outcome last, so the command can show a progress bar; the backup is the archive.
 */
export async function startControlServer(options: { dataDir: string; handle: DatabaseHandle; deps: ModuleDeps; logger: Logger }): Promise<ControlServer> {
  const { dataDir, handle, deps, logger } = options
  const secret = newControlSecret()

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    'POST /v1/import/police-uk': async (req, res) => {
      const { files, dryRun } = JSON.parse(await readBody(req)) as { files: string[]; dryRun?: boolean }
      const { indicatorsService } = await import('../modules/indicators/service.ts')
      res.writeHead(200, { 'content-type': 'application/x-ndjson' })
      const send = (line: object) => res.write(`${JSON.stringify(line)}\n`)
      const outcome = await indicatorsService(deps).importPoliceUk(commandContext('import police-uk'), files.map(fileImportSource), 'cli', { dryRun, onProgress: (progress) => send({ progress }) })
      send({ outcome })
      res.end()
    },
    'GET /v1/backup': async (_req, res) => {
      const archive = await handle.dumpDataDir!('gzip')
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(archive.size) })
      await pipeline(Readable.fromWeb(archive.stream() as never), res)
    },
  }

  const server: Server = createServer({ requestTimeout: 0 }, (req, res) => {
    const route = routes[`${req.method} ${req.url}`]
    if (!authorised(req, secret)) return void res.writeHead(403).end()
    if (!route) return void res.writeHead(404).end()
    route(req, res).catch((err: unknown) => {
      logger.error({ err: (err as Error).message, route: req.url }, 'control request failed')
      const line = `${JSON.stringify({ error: (err as Error).message })}\n`
      if (res.headersSent) res.end(line)
      else res.writeHead(500, { 'content-type': 'application/x-ndjson' }).end(line)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  publishControl(dataDir, { pid: process.pid, port: (server.address() as AddressInfo).port, secret })
  return {
    async close() {
      withdrawControl(dataDir)
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

function authorised(req: IncomingMessage, secret: string) {
  const local = req.socket.remoteAddress === '127.0.0.1' || req.socket.remoteAddress === '::ffff:127.0.0.1'
  const given = Buffer.from(req.headers.authorization ?? '')
  const expected = Buffer.from(`Bearer ${secret}`)
  return local && given.length === expected.length && timingSafeEqual(given, expected)
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of req) body += chunk
  return body
}
