import { Matrix, solve } from 'ml-matrix'

/**
 * Ordinary least squares of `response` on `columns` and an intercept; returns the fitted values.
 * The normal equations are small (one row a column), and solved by singular value decomposition
 * so that a column that repeats another (degree on a regular graph, say) does no harm.
 */
export function leastSquaresFit(columns: ArrayLike<number>[], response: ArrayLike<number>): Float64Array {
  const n = response.length
  // Each column scaled to at most 1 in size, so that the normal equations stay well conditioned.
  const scales = columns.map((column) => {
    let largest = 0
    for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(column[i]))
    return largest > 0 ? 1 / largest : 0
  })
  const p = columns.length + 1
  const value = (j: number, i: number) => (j === 0 ? 1 : columns[j - 1][i] * scales[j - 1])
  const normal = Matrix.zeros(p, p)
  const right = Matrix.zeros(p, 1)
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < p; a++) {
      const x = value(a, i)
      right.set(a, 0, right.get(a, 0) + x * response[i])
      for (let b = a; b < p; b++) normal.set(a, b, normal.get(a, b) + x * value(b, i))
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) normal.set(a, b, normal.get(b, a))
  const beta = solve(normal, right, true).getColumn(0)
  const fitted = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let y = 0
    for (let a = 0; a < p; a++) y += beta[a] * value(a, i)
    fitted[i] = y
  }
  return fitted
}
