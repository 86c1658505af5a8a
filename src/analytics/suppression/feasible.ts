import highsLoader from 'highs'

/**
 * What an attacker can work out about hidden counts from everything published with them.
 *
 * A publication is a list of counts (`values`), some hidden, and the linear facts the reader
 * knows about them: equations (a row adds up to its total) and inequalities (a child missing at
 * least once has at least one missing episode). Every hidden count is also known to be at least
 * 1, because zeros are always shown. Each hidden count's feasible range is the least and the
 * greatest value it can take while every fact holds: two linear programs per hidden count.
 *
 * The linear programs relax integrality, so their range contains every integer the attacker
 * cannot rule out (an outer bound, rounded inwards to whole numbers). For a table with row and
 * column totals the constraint matrix is that of a transportation problem (totally unimodular):
 * the bounds are then whole numbers, and every whole number between them is attained, so the
 * range is exact. Facts beyond that (an inequality between two tables) keep it an outer bound.
 */

/** `sum(coef * values[cell]) = 0` (or `>= 0` for an inequality). */
export type Fact = { terms: [cell: number, coef: number][]; kind: 'equal' | 'atLeast' }

export type Publication = { values: number[]; hidden: boolean[]; facts: Fact[] }

/** The whole numbers a hidden count may still be: `max` is Infinity when nothing bounds it. */
export type Range = { min: number; max: number }

type Solver = Awaited<ReturnType<typeof highsLoader>>
let loading: Promise<Solver> | null = null
/** HiGHS (compiled to WebAssembly, shipped in its npm package): loaded once per process. */
export function lpSolver(): Promise<Solver> {
  loading ??= highsLoader()
  return loading
}

const EPSILON = 1e-6

/** The feasible range of each hidden count in `cells` (default: every hidden count). */
export async function feasibleRanges(publication: Publication, cells?: number[]): Promise<Map<number, Range>> {
  const solver = await lpSolver()
  const model = constraints(publication)
  const result = new Map<number, Range>()
  for (const cell of cells ?? publication.hidden.flatMap((h, i) => (h ? [i] : []))) {
    if (!publication.hidden[cell]) continue
    result.set(cell, { min: bound(solver, model, cell, 'Minimize'), max: bound(solver, model, cell, 'Maximize') })
  }
  return result
}

/** How many whole numbers a range leaves possible. */
export function possibleValues(range: Range): number {
  return range.max === Infinity ? Infinity : range.max - range.min + 1
}

type Model = { rows: string[]; bounds: string[] }

function constraints({ values, hidden, facts }: Publication): Model {
  const rows: string[] = []
  for (const fact of facts) {
    let known = 0
    const parts: string[] = []
    for (const [cell, coef] of fact.terms) {
      if (hidden[cell]) parts.push(`${coef >= 0 ? '+' : '-'} ${Math.abs(coef)} x${cell}`)
      else known += coef * values[cell]
    }
    if (!parts.length) continue
    rows.push(`c${rows.length}: ${parts.join(' ')} ${fact.kind === 'equal' ? '=' : '>='} ${-known}`)
  }
  const bounds = hidden.flatMap((h, i) => (h ? [`x${i} >= 1`] : []))
  return { rows, bounds }
}

function bound(solver: Solver, model: Model, cell: number, sense: 'Minimize' | 'Maximize'): number {
  // A fact-free count still needs a row for the LP format, hence the trivial one.
  const rows = model.rows.length ? model.rows : [`c0: + 1 x${cell} >= 1`]
  const lp = `${sense}\n obj: x${cell}\nSubject To\n ${rows.join('\n ')}\nBounds\n ${model.bounds.join('\n ')}\nEnd\n`
  const solution = solver.solve(lp, { output_flag: false })
  if (solution.Status === 'Unbounded') return sense === 'Maximize' ? Infinity : 1
  if (solution.Status !== 'Optimal') throw new Error(`suppression: the feasible range could not be computed (${solution.Status})`)
  const value = solution.ObjectiveValue
  return sense === 'Minimize' ? Math.ceil(value - EPSILON) : Math.floor(value + EPSILON)
}
