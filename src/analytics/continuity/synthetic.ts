/**
 * Generated call data with a known answer, for the demo and for measuring line continuity
 * (bench/line-continuity.ts): deal lines, each with its customers (some shared with other lines),
 * cell sites and working hours; some lines close and carry on under a successor number that keeps
 * most customers, places and hours; and new numbers that are not successors: customers' new
 * phones, and a rival line that starts after a closure and takes some of its customers, from other
 * places at other hours. Deterministic for a given random source.
 */

export interface SyntheticCall {
  caller: string
  callee: string
  startedAt: Date
  durationSeconds: number
  cellSite: string | null
  /** Hour of the week of `startedAt` in UTC, 0 (Monday 00:00) to 167. */
  hourOfWeek: number
}

export interface SyntheticLine {
  number: string
  closedOn: string | null
  successor: string | null
  rival: string | null
}

export interface SyntheticOptions {
  /** Uniform draws in [0, 1). */
  random: () => number
  start: Date
  days: number
  lines: number
  /** Of the lines, how many close (each with a successor) on `closeDay`. */
  closed: number
  closeDay: number
  customersPerLine: number
  /** The share of a line's customers drawn from a pool all lines share. */
  sharedCustomers: number
  /** Calls a line makes or takes a day. */
  callsPerDay: number
  /** Share of the closed line's customers the successor keeps. */
  kept: number
  /** Customers who change phone during the period (each a new number that is not a successor). */
  newPhones: number
  /** Numbers are this prefix and a counter of `width` digits from `firstNumber` (E.164). */
  prefix?: string
  width?: number
  firstNumber?: number
}

const DAY_MS = 86_400_000

/** Hour of the week in UTC: the scoring takes it precomputed, so generated data needs no time zone. */
export function utcHourOfWeek(at: Date): number {
  return ((at.getUTCDay() + 6) % 7) * 24 + at.getUTCHours()
}

export function generateCalls(options: SyntheticOptions): { calls: SyntheticCall[]; lines: SyntheticLine[] } {
  const { random } = options
  const prefix = options.prefix ?? '+447700'
  const width = options.width ?? 6
  let counter = options.firstNumber ?? 0
  const number = () => {
    const n = String(counter++)
    if (n.length > width) throw new Error(`more numbers than ${width} digits hold`)
    return `${prefix}${n.padStart(width, '0')}`
  }
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]

  const shared = Array.from({ length: Math.max(1, Math.round(options.customersPerLine * options.lines * options.sharedCustomers * 0.5)) }, number)
  const customerSite = new Map<string, string>()
  const siteOf = (customer: string) => {
    let s = customerSite.get(customer)
    if (!s) customerSite.set(customer, (s = `HOME-${int(0, 400)}`))
    return s
  }
  type Plan = { number: string; customers: string[]; sites: string[]; peak: number; from: number; to: number }
  const plans: Plan[] = []
  const lines: SyntheticLine[] = []
  const closeDate = new Date(options.start.getTime() + options.closeDay * DAY_MS)
  for (let i = 0; i < options.lines; i++) {
    const own = Math.round(options.customersPerLine * (1 - options.sharedCustomers))
    const customers = [...Array.from({ length: own }, number), ...Array.from({ length: options.customersPerLine - own }, () => pick(shared))]
    const sites = Array.from({ length: 3 }, (_, k) => `LINE${i}-SITE${k}`)
    const peak = int(14, 22)
    const line = number()
    const closes = i < options.closed
    plans.push({ number: line, customers, sites, peak, from: 0, to: closes ? options.closeDay : options.days })
    const entry: SyntheticLine = { number: line, closedOn: closes ? closeDate.toISOString().slice(0, 10) : null, successor: null, rival: null }
    if (closes) {
      // The successor keeps most customers, finds some new ones, works from the same places at the same hours.
      const kept = customers.filter(() => random() < options.kept)
      const fresh = Array.from({ length: customers.length - kept.length }, number)
      entry.successor = number()
      plans.push({ number: entry.successor, customers: [...kept, ...fresh], sites: sites.filter(() => random() < 0.8).concat(sites[0]), peak, from: options.closeDay + 1, to: options.days })
      // A rival moves in on some of the closed line's customers, from elsewhere at other hours.
      entry.rival = number()
      const poached = customers.filter(() => random() < 0.3)
      plans.push({ number: entry.rival, customers: [...poached, ...Array.from({ length: customers.length - poached.length }, number)], sites: [`RIVAL${i}-SITE0`, `RIVAL${i}-SITE1`], peak: (peak + 8) % 24, from: options.closeDay + int(1, 5), to: options.days })
    }
    lines.push(entry)
  }

  const calls: SyntheticCall[] = []
  const at = (day: number, peak: number) => {
    const hour = (peak + Math.round((random() + random() + random() - 1.5) * 6) + 24) % 24
    return new Date(options.start.getTime() + day * DAY_MS + hour * 3_600_000 + int(0, 3599) * 1000)
  }
  const push = (caller: string, callee: string, startedAt: Date, cellSite: string | null) =>
    calls.push({ caller, callee, startedAt, durationSeconds: int(5, 240), cellSite, hourOfWeek: utcHourOfWeek(startedAt) })

  for (const plan of plans) {
    for (let day = plan.from; day < plan.to; day++) {
      const n = Math.max(1, Math.round(options.callsPerDay * (0.6 + random() * 0.8)))
      for (let k = 0; k < n; k++) {
        const customer = pick(plan.customers)
        const when = at(day, plan.peak)
        if (random() < 0.5) push(plan.number, customer, when, pick(plan.sites))
        else push(customer, plan.number, when, siteOf(customer))
      }
    }
  }
  // Customers who get a new phone: it rings their lines and their own family and friends.
  const allCustomers = plans.flatMap((p) => p.customers.map((c) => [c, p] as const))
  for (let k = 0; k < options.newPhones && allCustomers.length; k++) {
    const [, plan] = pick(allCustomers)
    const phone = number()
    const friends = Array.from({ length: 5 }, number)
    const from = int(1, options.days - 2)
    for (let day = from; day < options.days; day++) {
      if (random() < 0.5 && day >= plan.from && day < plan.to) push(phone, plan.number, at(day, plan.peak), `HOME-${int(0, 400)}`)
      push(phone, pick(friends), at(day, 12), `HOME-${int(0, 400)}`)
    }
  }
  calls.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || (a.caller < b.caller ? -1 : a.caller > b.caller ? 1 : 0))
  return { calls, lines }
}
