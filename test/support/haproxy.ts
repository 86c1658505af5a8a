import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort, stopProcess } from '../../bench/support/server.ts'

/** Debian's HAProxy (`apt-get install haproxy`), or HAPROXY_PATH; undefined when not installed. */
export function haproxyBinary(): string | undefined {
  const candidates = [process.env.HAPROXY_PATH, '/usr/sbin/haproxy', '/usr/local/sbin/haproxy', ...(process.env.PATH ?? '').split(':').map((d) => path.join(d, 'haproxy'))]
  return candidates.find((c): c is string => Boolean(c) && existsSync(c!))
}

export interface LoadBalancer {
  base: string
  /** Each answer names the instance that gave it in `x-served-by` ('a', 'b', …). */
  instanceOf(res: Response): string | null
  /** Headers that send a request to the named instance through the balancer (for the test's own choices). */
  to(instance: string): Record<string, string>
  stop(): Promise<void>
}

/**
 * HAProxy in front of Lantern instances, as docs/deploy.md configures it: round robin, health
 * checked on /ready, the client's address passed on in X-Forwarded-For. Run in the foreground as
 * a child process from a generated configuration in a temporary folder; no system service.
 * A request carrying `x-lantern-instance` is sent to that instance, so a test can sign in
 * through one and carry on through another.
 */
export async function startHaproxy(binary: string, instances: Record<string, number>): Promise<LoadBalancer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-haproxy-'))
  const port = await freePort()
  const names = Object.keys(instances)
  const config = [
    'global',
    '  maxconn 256',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    // A busy instance answers /ready slowly: marked down only after many failed checks in a row.
    '  timeout check 10s',
    '  default-server inter 1s fall 10 rise 1',
    'frontend lantern',
    `  bind 127.0.0.1:${port}`,
    '  option forwardfor',
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    '  option httpchk GET /ready',
    '  http-check expect status 200',
    '  http-response set-header x-served-by %[srv_name]',
    ...names.map((n) => `  use-server ${n} if { req.hdr(x-lantern-instance) -m str ${n} }`),
    ...names.map((n) => `  server ${n} 127.0.0.1:${instances[n]} check`),
    '',
  ].join('\n')
  const file = path.join(dir, 'haproxy.cfg')
  writeFileSync(file, config)
  // -db: stay in the foreground, so stopping the child stops HAProxy.
  const child: ChildProcess = spawn(binary, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)))
  const onExit = () => child.kill('SIGKILL')
  process.once('exit', onExit)
  const stop = async () => {
    await stopProcess(child)
    process.removeListener('exit', onExit)
    rmSync(dir, { recursive: true, force: true })
  }
  const base = `http://127.0.0.1:${port}`
  try {
    // Ready when every instance answers through it (its health checks have found them up).
    const deadline = Date.now() + 30_000
    const seen = new Set<string>()
    while (seen.size < names.length) {
      if (child.exitCode !== null) throw new Error(`haproxy stopped: ${log}`)
      if (Date.now() > deadline) throw new Error(`haproxy did not reach every instance within 30 s (reached ${[...seen].join(', ') || 'none'}): ${log}`)
      for (const n of names) {
        const res = await fetch(`${base}/ready`, { headers: { 'x-lantern-instance': n } }).catch(() => undefined)
        if (res?.status === 200 && res.headers.get('x-served-by') === n) seen.add(n)
      }
      if (seen.size < names.length) await new Promise((r) => setTimeout(r, 200))
    }
  } catch (err) {
    await stop()
    throw err
  }
  return {
    base,
    instanceOf: (res) => res.headers.get('x-served-by'),
    to: (instance) => ({ 'x-lantern-instance': instance }),
    stop,
  }
}
