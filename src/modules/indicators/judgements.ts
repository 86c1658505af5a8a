/**
 * The family's judgements (family.ts) kept, so that the dashboard answers in milliseconds: judging
 * every indicator in every area (protecting small counts with linear programmes, Farrington,
 * real-or-chance tests, control charts) took most of a second of CPU a view at county scale.
 *
 * Judgements are kept for one key: the counter that every input moves (migration 0850), the day
 * (what is late, which months are complete), the indicators judged and, for the viewer, what they
 * may see. A page finding judgements under any other key judges as it reads, and keeps what it made
 * when no input moved meanwhile; so a judgement is never shown of data other than the data shown.
 * The job runner makes them right after counting Lantern's series again, so pages rarely wait.
 * Lantern's counts counted as the page is read (none kept for these months) are not watched by the
 * counter, so a family that includes one is never kept.
 */
import { createHash } from 'node:crypto'
import { assessFamily, type Assessed, type IndicatorRow } from './family.ts'
import { derivedRange } from './derived.ts'
import type { Comparison } from './assess.ts'
import type { Disclosure } from './disclosure.ts'
import type { IndicatorsStore } from './store.ts'

/** One indicator in one area as the family judged it (its series is not kept: no page reads it from here). */
export type Judged = Pick<Assessed, 'indicator' | 'areaId' | 'assessment'>

export interface FamilyOptions {
  /** Months of Farrington judged: 1 for the dashboard's alerts, 0 where only the tests are needed. */
  farringtonMonths: 0 | 1
  /** Periods the reader chose: judged as read, never kept (there are as many as readers). */
  comparison?: Comparison
}

/** Which of the kept families: one per disclosure and number of Farrington months. */
const variantOf = (disclosure: Disclosure, options: FamilyOptions) => `${disclosure} farrington-${options.farringtonMonths}`

/** The inputs a family was judged from; the indicators as read (a definition edited is a new key). */
function inputsKey(version: string, today: string, indicators: IndicatorRow[]): string {
  return createHash('sha256').update(JSON.stringify({ version, today, indicators })).digest('hex')
}

// Withheld values are NaN (disclosure.ts) and a test of nothing may be infinite; plain JSON would
// turn both into null, which reads as a value. They are kept beside the JSON by their place in it
// and put back after a plain parse: a reviver function called on every value made reading the
// dashboard's family four times slower.
type Path = (string | number)[]
interface Encoded {
  rows: { indicatorId: string; areaId: string; assessment: Judged['assessment'] }[]
  nonFinite: [Path, string][]
}

function nonFiniteIn(value: unknown, path: Path, found: [Path, string][]): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) found.push([path, String(value)])
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nonFiniteIn(v, [...path, i], found))
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) nonFiniteIn(v, [...path, k], found)
  }
}

function encode(results: Judged[]): string {
  const rows = results.map((r) => ({ indicatorId: r.indicator.id, areaId: r.areaId, assessment: r.assessment }))
  const nonFinite: [Path, string][] = []
  nonFiniteIn(rows, ['rows'], nonFinite)
  return JSON.stringify({ rows, nonFinite } satisfies Encoded)
}

function decode(text: string, indicators: IndicatorRow[]): Judged[] | undefined {
  const encoded = JSON.parse(text) as Encoded
  for (const [path, value] of encoded.nonFinite) {
    let at = encoded as unknown as Record<string | number, unknown>
    for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>
    at[path.at(-1)!] = Number(value)
  }
  const byId = new Map(indicators.map((i) => [i.id, i]))
  const out: Judged[] = []
  for (const r of encoded.rows) {
    const indicator = byId.get(r.indicatorId)
    // The key covers the indicators, so this does not happen; if it did, judge again rather than guess.
    if (!indicator) return undefined
    out.push({ indicator, areaId: r.areaId, assessment: r.assessment })
  }
  return out
}

/** Whether every Lantern count among these indicators is read from what the job kept. */
async function countsKept(store: IndicatorsStore, indicators: IndicatorRow[], today: string): Promise<boolean> {
  const keys = indicators.filter((i) => i.source_kind === 'lantern').map((i) => i.source_key ?? '')
  return !keys.length || (await store.derivedCountedAt(keys, derivedRange(today))) !== null
}

/** Judges the family and keeps it, when nothing it read changed while it was judged. */
async function judgeAndKeep(store: IndicatorsStore, indicators: IndicatorRow[], disclosure: Disclosure, today: string, options: FamilyOptions, version: string, now: () => Date): Promise<Judged[]> {
  const started = performance.now()
  const results = await assessFamily(store, indicators, disclosure, today, { farringtonMonths: options.farringtonMonths })
  if ((await store.inputsVersion()) === version && (await countsKept(store, indicators, today))) {
    await store.keepJudgements(variantOf(disclosure, options), inputsKey(version, today, indicators), encode(results), now(), Math.round(performance.now() - started))
  }
  return results
}

/**
 * Every indicator in every area judged within its family (assessFamily), from the judgements kept
 * for exactly these inputs when there are, else judged now (and kept for the next reader).
 */
export async function judgedFamily(store: IndicatorsStore, indicators: IndicatorRow[], disclosure: Disclosure, today: string, options: FamilyOptions, now: () => Date): Promise<Judged[]> {
  if (options.comparison) return assessFamily(store, indicators, disclosure, today, options)
  // The counter first: judgements kept under it were made from inputs no newer than what follows reads.
  const version = await store.inputsVersion()
  if (!(await countsKept(store, indicators, today))) return assessFamily(store, indicators, disclosure, today, options)
  const kept = await store.keptJudgements(variantOf(disclosure, options), inputsKey(version, today, indicators))
  return (kept && decode(kept, indicators)) || judgeAndKeep(store, indicators, disclosure, today, options, version, now)
}

/**
 * The job runner's part, after counting Lantern's series again: the families the staff pages read
 * (the dashboard's, and the tests alone for the catalogue, indicator and strategy pages), for both
 * disclosures, so that no reader waits for them. Returns how long each took.
 */
export async function keepJudgements(store: IndicatorsStore, today: string, now: () => Date): Promise<{ variant: string; durationMs: number }[]> {
  const indicators = await store.indicators({ activeOnly: true })
  const done: { variant: string; durationMs: number }[] = []
  for (const disclosure of ['exact', 'protected'] as const) {
    for (const farringtonMonths of [1, 0] as const) {
      const started = performance.now()
      await judgedFamily(store, indicators, disclosure, today, { farringtonMonths }, now)
      done.push({ variant: variantOf(disclosure, { farringtonMonths }), durationMs: Math.round(performance.now() - started) })
    }
  }
  return done
}
