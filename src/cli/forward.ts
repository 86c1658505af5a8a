import { request, type IncomingMessage } from 'node:http'
import { createInterface } from 'node:readline'
import { readControl } from '../control/channel.ts'
import { describeHolder, type LockHolder } from '../db/data-dir-lock.ts'
import { UserError } from './errors.ts'

/**
 * The command's side of the control channel (src/control/channel.ts): a command whose work the
 * running server can do sends it there instead of opening the embedded database a second time.
 */
export interface ServerChannel {
  /** The running server's description, for messages. */
  readonly server: string
  request(method: 'GET' | 'POST', path: string, body?: object): Promise<IncomingMessage>
}

export function serverChannel(dataDir: string, holder: LockHolder): ServerChannel {
  const server = describeHolder(holder)
  const address = readControl(dataDir)
  if (!address || address.pid !== holder.pid) {
    throw new UserError(`${server} is starting up with the embedded database in ${dataDir}; try again once it is running`)
  }
  return {
    server,
    request(method, path, body) {
      return new Promise((resolve, reject) => {
        const payload = body ? JSON.stringify(body) : undefined
        const req = request(
          { host: '127.0.0.1', port: address.port, method, path, headers: { authorization: `Bearer ${address.secret}`, ...(payload ? { 'content-type': 'application/json' } : {}) } },
          (res) => {
            if (res.statusCode === 200) return resolve(res)
            void lastLine(res).then((line) => reject(new UserError(`${server} could not do it: ${(line as { error?: string } | undefined)?.error ?? `status ${res.statusCode}`}`)))
          },
        )
        req.on('error', (err) => reject(new UserError(`cannot reach ${server} on 127.0.0.1:${address.port}: ${err.message}`)))
        req.end(payload)
      })
    },
  }
}

/** The answer's JSON lines as they arrive; a line with an error ends it as a UserError. */
export async function* jsonLines(res: IncomingMessage): AsyncIterable<Record<string, unknown>> {
  let last: Record<string, unknown> | undefined
  for await (const text of createInterface({ input: res, crlfDelay: Infinity })) {
    if (!text) continue
    last = JSON.parse(text) as Record<string, unknown>
    if (typeof last.error === 'string') throw new UserError(`the server stopped the work: ${last.error}`)
    yield last
  }
  if (!last) throw new UserError('the server closed the connection without an answer')
}

async function lastLine(res: IncomingMessage): Promise<unknown> {
  let body = ''
  for await (const chunk of res) body += chunk
  try {
    return JSON.parse(body.trim().split('\n').pop() ?? '')
  } catch {
    return undefined
  }
}
