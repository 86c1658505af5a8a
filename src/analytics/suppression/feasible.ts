import highsImport from 'highs'

// The package's one declaration file is read as CommonJS by TypeScript, while Node loads its ES
// module, whose default export is the loader itself.
type Loader = typeof highsImport.default
const highsLoader: Loader = (highsImport as unknown as { default?: Loader }).default ?? (highsImport as unknown as Loader)

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

type Solver = Awaited<ReturnType<Loader>>
let loading: Promise<Solver> | undefined
/** HiGHS (compiled to WebAssembly, shipped in its npm package): loaded once per process. */
export function lpSolver(): Promise<Solver> {
  loading ??= highsLoader()
  return loading
}

const EPSILON = 1e-6

/** The feasible range of each hidden count in `cells` (default: every hidden count). */
export async function feasibleRanges(publication: Publication, cells?: number[]): Promise<Map<number, Range>> {
  const highs = await lpSolver()
  const { values, hidden, facts } = publication
  // One model per call, solved twice per count with only the objective changed, so each solve
  // starts from the last one's basis.
  const model = highs.createModel()
  try {
    model.options.set({ output_flag: false, presolve: 'off' })
    const column = new Map<number, number>()
    hidden.forEach((h, cell) => {
      if (!h) return
      column.set(cell, column.size)
      model.addVar(1, highs.infinity)
    })
    for (const fact of facts) {
      let known = 0
      const indices: number[] = []
      const coefficients: number[] = []
      for (const [cell, coef] of fact.terms) {
        const j = column.get(cell)
        if (j === undefined) known += coef * values[cell]
        else {
          indices.push(j)
          coefficients.push(coef)
        }
      }
      if (indices.length) model.addRow(-known, fact.kind === 'equal' ? -known : highs.infinity, { indices, values: coefficients })
    }
    const status = highs.constants.modelStatus
    const result = new Map<number, Range>()
    let costed: number | null = null
    for (const cell of cells ?? [...column.keys()]) {
      const j = column.get(cell)
      if (j === undefined) continue
      if (costed !== null) model.changeColCost(costed, 0)
      model.changeColCost(j, 1)
      costed = j
      const ends = (['minimize', 'maximize'] as const).map((sense) => {
        model.changeObjectiveSense(highs.constants.objectiveSense[sense])
        model.run()
        const outcome = model.getModelStatus()
        if (outcome === status.unbounded || outcome === status.unboundedOrInfeasible) return sense === 'maximize' ? Infinity : 1
        if (outcome !== status.optimal) throw new Error(`suppression: the feasible range could not be computed (model status ${outcome})`)
        const value = model.getObjectiveValue()
        return sense === 'minimize' ? Math.ceil(value - EPSILON) : Math.floor(value + EPSILON)
      })
      result.set(cell, { min: ends[0], max: ends[1] })
    }
    return result
  } finally {
    model.dispose()
  }
}

/** How many whole numbers a range leaves possible. */
export function possibleValues(range: Range): number {
  return range.max === Infinity ? Infinity : range.max - range.min + 1
}
