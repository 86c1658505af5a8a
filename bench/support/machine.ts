import { readFileSync } from 'node:fs'
import os from 'node:os'

/** The load averages (1, 5, 15 minutes) as printed beside every figure. */
export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ')

/** One line naming the machine a figure was measured on. */
export const machineLine = () =>
  `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${loadAverage()}`

/** The fields of /proc/<pid>/stat after the command name (so index 0 is field 3, the state). */
function stat(pid: number | undefined): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  } catch {
    return undefined
  }
}
// /proc counts CPU in clock ticks of 1/100 s on Linux.
const TICK_MS = 10

/** CPU time (user + system) a process has used, in ms, from /proc (Linux; 0 elsewhere). */
export function processCpuMs(pid: number | undefined): number {
  const f = stat(pid)
  return f ? (Number(f[11]) + Number(f[12])) * TICK_MS : 0
}

/** CPU time of a process's children that have ended and been waited for (cutime + cstime), in ms. */
export function endedChildrenCpuMs(pid: number | undefined): number {
  const f = stat(pid)
  return f ? (Number(f[13]) + Number(f[14])) * TICK_MS : 0
}

export function parentPid(pid: number | undefined): number | undefined {
  const f = stat(pid)
  return f ? Number(f[1]) : undefined
}

/** The machine's CPU counters from /proc/stat: all time, and time stolen by the hypervisor. */
export function machineTicks(): { total: number; steal: number } {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
    const n = fields.map(Number)
    return { total: n.slice(0, 8).reduce((a, b) => a + b, 0), steal: n[7] ?? 0 }
  } catch {
    return { total: 0, steal: 0 }
  }
}
