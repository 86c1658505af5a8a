import {
  FLAG_TEXT,
  LEVEL_TEXT,
  STATUS_TEXT,
  describeBand,
  higherLevel,
  indicatorIndex,
  levelRank,
  type AnswerStatus,
  type Band,
  type HardRule,
  type Level,
  type ScreeningTool,
  type SubjectFlag,
} from './tool.ts'

/**
 * The scoring engine: pure, no I/O. Given a version of the tool, the practitioner's answers and the
 * facts about the child that the hard rules look at, it returns the level and the reasons for it.
 */

export interface Answer {
  status: AnswerStatus
  note?: string | null
  /** Copied from the last screening into a review, and not yet checked by the practitioner. */
  carried?: boolean
}
export type Answers = Record<string, Answer>

/** The child as the rules see them, on the day of the assessment. */
export interface Subject {
  age: number | null
  flags: SubjectFlag[]
}

export interface Contribution {
  key: string
  text: string
  groupKey: string
  groupTitle: string
  status: 'recent' | 'current'
  weight: number
  points: number
}

export interface RuleOutcome {
  id: string
  description: string
  level: Level
  /** The rule lifted the level above the band the score fell in. */
  raised: boolean
  because: string
}

export interface ScoreResult {
  score: number
  band: Band
  bandLevel: Level
  level: Level
  /** Indicators that scored, highest first. */
  contributions: Contribution[]
  /** Hard rules whose conditions were met, in the tool's order. */
  rules: RuleOutcome[]
  /** The explanation in sentences, for the summary page and the record. */
  reasons: string[]
  /** Indicators not yet answered (scored as not present). */
  unanswered: string[]
}

export class UnknownIndicatorError extends Error {
  constructor(readonly keys: string[]) {
    super(`Answers name indicators that are not in this version of the tool: ${keys.join(', ')}`)
  }
}

/** Answer keys the tool does not know. */
export function unknownIndicators(tool: ScreeningTool, answers: Answers): string[] {
  const index = indicatorIndex(tool)
  return Object.keys(answers).filter((k) => !index.has(k))
}

export function bandFor(bands: Band[], score: number): Band {
  const band = bands.find((b) => score >= b.min && (b.max == null || score <= b.max))
  if (!band) throw new Error(`No band covers the score ${score}`)
  return band
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
const listAnswers = (answers: readonly string[]) => answers.map((a) => STATUS_TEXT[a as AnswerStatus].split(' (')[0].toLowerCase()).join(' or ')

export function scoreAssessment(tool: ScreeningTool, answers: Answers, subject: Subject): ScoreResult {
  const unknown = unknownIndicators(tool, answers)
  if (unknown.length) throw new UnknownIndicatorError(unknown)
  const index = indicatorIndex(tool)
  const statusOf = (k: string): AnswerStatus | undefined => answers[k]?.status

  const contributions: Contribution[] = []
  const unanswered: string[] = []
  for (const group of tool.groups) {
    for (const ind of group.indicators) {
      const status = statusOf(ind.key)
      if (!status) unanswered.push(ind.key)
      if (status === 'recent' || status === 'current') {
        const points = ind.weight * tool.statusPoints[status]
        contributions.push({ key: ind.key, text: ind.text, groupKey: group.key, groupTitle: group.title, status, weight: ind.weight, points })
      }
    }
  }
  const score = contributions.reduce((s, c) => s + c.points, 0)
  contributions.sort((a, b) => b.points - a.points)
  const band = bandFor(tool.bands, score)

  const rules: RuleOutcome[] = []
  for (const rule of tool.rules) {
    const because = ruleMet(rule, { tool, statusOf, subject, index })
    if (because != null) rules.push({ id: rule.id, description: rule.description, level: rule.level, raised: levelRank(rule.level) > levelRank(band.level), because })
  }
  const level = rules.reduce<Level>((l, r) => higherLevel(l, r.level), band.level)

  const reasons: string[] = []
  reasons.push(
    contributions.length
      ? `A score of ${score} from ${plural(contributions.length, 'indicator')} present falls in the ${describeBand(band)} band.`
      : `No indicator is present: a score of 0 falls in the ${describeBand(band)} band.`,
  )
  for (const r of rules) {
    reasons.push(r.raised ? `Raised to ${LEVEL_TEXT[r.level]} by a hard rule: ${r.description} (${r.because}).` : `A hard rule also applies, without changing the level: ${r.description} (${r.because}).`)
  }
  return { score, band, bandLevel: band.level, level, contributions, rules, reasons, unanswered }
}

function ruleMet(
  rule: HardRule,
  { tool, statusOf, subject, index }: { tool: ScreeningTool; statusOf: (k: string) => AnswerStatus | undefined; subject: Subject; index: ReturnType<typeof indicatorIndex> },
): string | null {
  const answered = (k: string) => {
    const s = statusOf(k)
    return s != null && (rule.answers as readonly string[]).includes(s)
  }
  switch (rule.kind) {
    case 'indicator_floor': {
      const hits = rule.indicators.filter(answered)
      const met = rule.match === 'all' ? hits.length === rule.indicators.length : hits.length > 0
      if (!met) return null
      return `${hits.map((k) => `“${index.get(k)?.indicator.text ?? k}”`).join(' and ')} answered ${hits.map((k) => STATUS_TEXT[statusOf(k)!].split(' (')[0].toLowerCase()).join(' and ')}`
    }
    case 'vulnerability_floor': {
      const why: string[] = []
      if (rule.ageUnder != null && subject.age != null && subject.age < rule.ageUnder) why.push(`the child is ${subject.age}, under ${rule.ageUnder}`)
      for (const f of rule.flags) if (subject.flags.includes(f)) why.push(`the child ${FLAG_TEXT[f]}`)
      if (!why.length) return null
      const hits = tool.groups.flatMap((g) => g.indicators.map((i) => i.key)).filter(answered)
      if (!hits.length) return null
      return `${why.join(' and ')}, and ${plural(hits.length, 'indicator is', 'indicators are')} ${listAnswers(rule.answers)}`
    }
    case 'count_floor': {
      if (rule.countBy === 'indicators') {
        const hits = tool.groups.flatMap((g) => g.indicators.map((i) => i.key)).filter(answered)
        return hits.length >= rule.minCount ? `${plural(hits.length, 'indicator is', 'indicators are')} ${listAnswers(rule.answers)}` : null
      }
      const groups = tool.groups.filter((g) => g.indicators.some((i) => answered(i.key)))
      return groups.length >= rule.minCount ? `${listAnswers(rule.answers)} indicators in ${plural(groups.length, 'group')}: ${groups.map((g) => g.title).join(', ')}` : null
    }
  }
}

/** The review date: the level's interval in weeks after the day the level was set. */
export function reviewDueOn(tool: Pick<ScreeningTool, 'reviewWeeks'>, level: Level, fromIso: string): string {
  const d = new Date(`${fromIso}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + tool.reviewWeeks[level] * 7)
  return d.toISOString().slice(0, 10)
}

/** Which way the risk moved between two ratings, for "since the last review". */
export function direction(previous: Level | null, latest: Level): 'up' | 'down' | 'same' | 'first' {
  if (!previous) return 'first'
  const d = levelRank(latest) - levelRank(previous)
  return d > 0 ? 'up' : d < 0 ? 'down' : 'same'
}
