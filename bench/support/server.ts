import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'

/** The project's root: benches start Lantern from there as `npm start` does. */
export const projectRoot = path.resolve(import.meta.dirname, '..', '..')

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/**
 * The node arguments that start Lantern's server as `npm start` does: the compiled build in dist/,
 * made first if it is stale (the test run's global setup has made it already).
 */
export const LANTERN_SERVER = ['scripts/start.js']

/** Starts `node <args>` in the project and resolves once its output passes `ready`. */
export function startNode(args: string[], env: Record<string, string>, ready: (output: string) => boolean): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk.toString()
      if (ready(seen)) {
        child.stdout!.removeListener('data', onData)
        // Keep draining the output (request logs) without holding it.
        child.stdout!.resume()
        resolve(child)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => (seen += c.toString()))
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${seen.slice(-2000)}`)))
  })
}

/** Runs `node <args>` in the project to the end, its output shown. */
export function runNode(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: 'inherit' })
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))))
  })
}

/** Stops a process: SIGTERM, and SIGKILL if it has not gone within 5 s (a stuck shutdown must not outlive the bench). */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.removeAllListeners('exit')
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/**
 * Lantern itself (`npm start`'s server) on a free port on the database `databaseUrl` names, in demo
 * mode with its request log on (drained, as in production where it goes to a collector).
 */
export async function startLantern(databaseUrl: string): Promise<{ base: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort()
  const child = await startNode(
    LANTERN_SERVER,
    { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LANTERN_MODE: 'demo', LOG_LEVEL: 'info' },
    (s) => s.includes('Lantern is running'),
  )
  return { base: `http://127.0.0.1:${port}`, child, stop: () => stopProcess(child) }
}

/** Signs in through the form, as a browser does, and returns the cookie header to send. */
export async function signInCookie(base: string, email: string, password = 'lantern-demo-2026'): Promise<string> {
  const jar = new Map<string, string>()
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const [k, ...v] = pair.split('=')
      jar.set(k, v.join('='))
    }
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const form = await fetch(`${base}/sign-in`, { redirect: 'manual' })
  keep(form)
  const token = (await form.text()).match(/name="_csrf" value="([^"]+)"/)![1]
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, _csrf: token }),
  })
  keep(res)
  if (res.status !== 302) throw new Error(`sign-in as ${email} failed: ${res.status}`)
  return cookie()
}
