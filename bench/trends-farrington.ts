/**
 * Farrington on 10 years of monthly counts for 15 areas x 15 categories (225 series), timed in
 * Lantern and, in the same run, in R's surveillance::farringtonFlexible on the same series.
 *
 *   node --import tsx bench/trends-farrington.ts [--method improved|original] [--runs 5] [--skip-r]
 *
 * Also times the same 225 series through one call of the command line (`lantern trends
 * farrington --input long.csv --json`, a long CSV with a series column), start-up included, as a
 * user or a script runs it, and checks its output against the library's.
 * The series are generated deterministically (seasonal, trending, overdispersed counts with a few
 * outbreaks). R is optional: without Rscript (Debian r-cran-surveillance) that half is skipped.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { farringtonCounts, firstAssessablePosition, presetControl, type FarringtonControl, type FarringtonMethod } from '../src/analytics/trends/index.ts'

const AREAS = 15
const CATEGORIES = 15
const MONTHS = 120

const { values } = parseArgs({ options: { method: { type: 'string', default: 'improved' }, runs: { type: 'string', default: '5' }, 'skip-r': { type: 'boolean', default: false } } })
const method = values.method as FarringtonMethod
if (method !== 'improved' && method !== 'original') throw new Error('--method must be improved or original')
const runs = Math.max(1, Number(values.runs))

/** mulberry32: a small, well-mixed, seedable generator, so every run sees the same series. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Poisson draw: multiplication method for small means, rounded normal approximation above 50. */
function poisson(mean: number, next: () => number): number {
  if (mean > 50) {
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z))
  }
  const limit = Math.exp(-mean)
  let k = 0
  let product = next()
  while (product > limit) {
    k++
    product *= next()
  }
  return k
}

function generateSeries(): number[][] {
  const next = random(20261123)
  const series: number[][] = []
  for (let area = 0; area < AREAS; area++) {
    for (let category = 0; category < CATEGORIES; category++) {
      const base = 3 + 150 * next() ** 2 // from a handful a month to a few hundred
      const amplitude = 0.1 + 0.3 * next()
      const phase = 2 * Math.PI * next()
      const trend = (next() - 0.4) * 0.06 // per year
      const counts: number[] = []
      for (let month = 0; month < MONTHS; month++) {
        // Gamma-ish month-to-month noise on the mean makes the counts overdispersed.
        const noise = Math.exp(0.12 * (next() + next() + next() - 1.5))
        let mean = base * Math.exp(amplitude * Math.sin((2 * Math.PI * month) / 12 + phase) + (trend * month) / 12) * noise
        if (next() < 0.01) mean *= 2.5 // an occasional outbreak
        counts.push(poisson(mean, next))
      }
      series.push(counts)
    }
  }
  return series
}

function runLantern(series: number[][], control: FarringtonControl) {
  const from = firstAssessablePosition(12, control)
  return series.map((counts) => farringtonCounts(counts, 12, control, from, counts.length - 1))
}

const series = generateSeries()
const control = presetControl(method, 12)
const first = firstAssessablePosition(12, control)
const periods = MONTHS - first
console.log(`Farrington (${method}) on ${series.length} monthly series of ${MONTHS} months: ${periods} periods assessed each, ${series.length * periods} in all`)
console.log(`controls: ${JSON.stringify(control)}`)

/** Wall-clock and CPU milliseconds of a call: the machine is shared, so CPU time is the steadier figure. */
function timed<T>(action: () => T): { result: T; wall: number; cpu: number } {
  const wallStart = performance.now()
  const cpuStart = process.cpuUsage()
  const result = action()
  const cpu = process.cpuUsage(cpuStart)
  return { result, wall: performance.now() - wallStart, cpu: (cpu.user + cpu.system) / 1000 }
}

const firstRun = timed(() => runLantern(series, control))
const ours = firstRun.result
const cold = firstRun.wall
const warm = Array.from({ length: runs }, () => timed(() => runLantern(series, control))).sort((a, b) => a.wall - b.wall)
const median = warm[Math.floor(warm.length / 2)].wall
const medianCpu = [...warm].sort((a, b) => a.cpu - b.cpu)[Math.floor(warm.length / 2)].cpu
const alarms = ours.flat().filter((p) => p.alarm).length
console.log(
  `Lantern: first run ${cold.toFixed(0)} ms wall, ${firstRun.cpu.toFixed(0)} ms CPU (includes JIT warm-up); ` +
    `median of ${runs} further runs ${median.toFixed(0)} ms wall, ${medianCpu.toFixed(0)} ms CPU; ${alarms} alarms`,
)
console.log(`target: under 2000 ms -> ${cold < 2000 ? 'met' : 'NOT met'} (first run, wall clock)`)

/** Month `m` (from 0) of the series, as the CLI reads periods; the R script starts them at 2015-01 too. */
const periodOf = (m: number) => `${2015 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`

/** The 225 series through one `lantern trends farrington` call: wall clock from spawn to exit. */
function timeCli(): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-farrington-cli-'))
  try {
    const file = path.join(dir, 'long.csv')
    const rows = series.flatMap((counts, s) => counts.map((count, m) => `s${s},${periodOf(m)},${count}`))
    writeFileSync(file, `series,period,count\n${rows.join('\n')}\n`)
    const started = performance.now()
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'trends', 'farrington', '--input', file, '--method', method, '--json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    })
    const wall = performance.now() - started
    if (run.status !== 0) throw new Error(`lantern trends farrington failed: ${run.stderr}`)
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { series: string; period: string; alarm: boolean; upperbound: number | null })
    let same = 0
    for (const line of lines) {
      const s = Number(line.series.slice(1))
      const [year, month] = line.period.split('-').map(Number)
      const point = ours[s][(year - 2015) * 12 + month - 1 - first]
      if (point.alarm === line.alarm && point.upperbound === line.upperbound) same++
    }
    console.log(
      `Lantern CLI, one call for all ${series.length} series: ${wall.toFixed(0)} ms wall from spawn to exit (Node and tsx start-up included); ` +
        `${lines.length} JSON lines, ${same} identical to the library's results`,
    )
    return wall
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const cliWall = timeCli()

function rScript(dir: string): string {
  const powertrans = JSON.stringify(control.powertrans)
  return `suppressMessages(library(surveillance))
d <- read.csv(file.path("${dir}", "series.csv"))
control <- list(range = ${first + 1}:${MONTHS}, b = ${control.b}, w = ${control.w}, reweight = ${control.reweight ? 'TRUE' : 'FALSE'},
  weightsThreshold = ${control.weightsThreshold}, alpha = ${control.alpha}, trend = ${control.trend ? 'TRUE' : 'FALSE'},
  pThresholdTrend = ${control.pThresholdTrend}, limit54 = c(${control.limit54.join(', ')}), powertrans = ${powertrans},
  noPeriods = ${control.noPeriods}, pastWeeksNotIncluded = ${control.pastWeeksNotIncluded}, thresholdMethod = "${control.thresholdMethod}")
ids <- sort(unique(d$series))
out <- vector("list", length(ids))
timing <- system.time(for (i in seq_along(ids)) {
  s <- sts(observed = d$count[d$series == ids[i]], start = c(2015, 1), frequency = 12)
  r <- suppressWarnings(farringtonFlexible(s, control = control))
  out[[i]] <- data.frame(series = ids[i], position = control$range, expected = r@control$expected,
    upperbound = as.vector(upperbound(r)), alarm = as.integer(as.vector(alarms(r))))
})
write.csv(do.call(rbind, out), file.path("${dir}", "r-results.csv"), row.names = FALSE)
cat(timing[["elapsed"]], timing[["user.self"]] + timing[["sys.self"]], "\\n", file = file.path("${dir}", "r-elapsed.txt"))
`
}

function compareWithR(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-farrington-'))
  try {
    const rows = series.flatMap((counts, s) => counts.map((count) => `${s},${count}`))
    writeFileSync(path.join(dir, 'series.csv'), `series,count\n${rows.join('\n')}\n`)
    writeFileSync(path.join(dir, 'bench.R'), rScript(dir))
    const started = performance.now()
    const result = spawnSync('Rscript', [path.join(dir, 'bench.R')], { encoding: 'utf8' })
    const wall = performance.now() - started
    if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.log('R: Rscript not found, comparison skipped (install the Debian package r-cran-surveillance to run it)')
      return
    }
    if (result.status !== 0) {
      console.log(`R: Rscript failed, comparison skipped:\n${result.stderr.trim()}`)
      return
    }
    const [rSeconds, rCpuSeconds] = readFileSync(path.join(dir, 'r-elapsed.txt'), 'utf8').trim().split(/\s+/).map(Number)
    const [, ...lines] = readFileSync(path.join(dir, 'r-results.csv'), 'utf8').trim().split('\n')
    let sameAlarms = 0
    let compared = 0
    let worst = 0
    for (const line of lines) {
      const [s, position, expected, upperbound, alarm] = line.split(',')
      const point = ours[Number(s)][Number(position) - 1 - first]
      compared++
      if ((alarm === '1') === point.alarm) sameAlarms++
      for (const [r, mine] of [
        [expected, point.expected],
        [upperbound, point.upperbound],
      ] as const) {
        if (r === 'NA' || mine === null) {
          if ((r === 'NA') !== (mine === null)) worst = Infinity
        } else worst = Math.max(worst, Math.abs(mine - Number(r)) / Math.abs(Number(r)))
      }
    }
    console.log(
      `R farringtonFlexible: ${(rSeconds * 1000).toFixed(0)} ms wall, ${(rCpuSeconds * 1000).toFixed(0)} ms CPU for the same work ` +
        `(Rscript process ${wall.toFixed(0)} ms with start-up and package load)`,
    )
    console.log(
      `ratio R / Lantern: ${((rSeconds * 1000) / cold).toFixed(0)}x wall against Lantern's first run, ` +
        `${((rSeconds * 1000) / median).toFixed(0)}x wall and ${((rCpuSeconds * 1000) / medianCpu).toFixed(0)}x CPU against its warm median`,
    )
    console.log(`ratio R / Lantern CLI (one call, start-up included): ${((rSeconds * 1000) / cliWall).toFixed(0)}x wall (target at least 50x: ${(rSeconds * 1000) / cliWall >= 50 ? 'met' : 'NOT met'})`)
    console.log(`agreement: ${sameAlarms} of ${compared} alarms identical; largest relative difference in expected or upperbound ${worst.toExponential(2)}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (values['skip-r']) console.log('R: skipped (--skip-r)')
else compareWithR()
