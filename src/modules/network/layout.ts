import { seededRandom } from '../../analytics/graph/index.ts'

/**
 * A deterministic force-directed layout (Fruchterman and Reingold) for the map: the same scope
 * always draws the same picture. Coordinates in [-1, 1]. Above `limit` nodes it places nodes on a
 * circle by community, which is cheap and still readable.
 */
export function layout(nodes: { id: string; community: number }[], edges: [string, string][], options: { iterations?: number; limit?: number } = {}) {
  const n = nodes.length
  const index = new Map(nodes.map((node, i) => [node.id, i]))
  const x = new Float64Array(n)
  const y = new Float64Array(n)
  const sorted = [...nodes.keys()].sort((a, b) => nodes[a].community - nodes[b].community)
  sorted.forEach((i, k) => {
    x[i] = Math.cos((2 * Math.PI * k) / Math.max(1, n))
    y[i] = Math.sin((2 * Math.PI * k) / Math.max(1, n))
  })
  if (n > (options.limit ?? 1500) || n < 2) return new Map(nodes.map((node, i) => [node.id, { x: x[i], y: y[i] }]))
  const random = seededRandom(7)
  for (let i = 0; i < n; i++) {
    x[i] += (random() - 0.5) * 0.1
    y[i] += (random() - 0.5) * 0.1
  }
  const pairs = edges.flatMap(([a, b]) => (index.has(a) && index.has(b) ? [[index.get(a)!, index.get(b)!] as const] : []))
  const k = Math.sqrt(4 / n)
  const iterations = options.iterations ?? 200
  const dx = new Float64Array(n)
  const dy = new Float64Array(n)
  for (let it = 0; it < iterations; it++) {
    const temperature = 0.1 * (1 - it / iterations) + 0.002
    dx.fill(0)
    dy.fill(0)
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const ddx = x[i] - x[j]
        const ddy = y[i] - y[j]
        const d2 = Math.max(ddx * ddx + ddy * ddy, 1e-6)
        const f = (k * k) / d2
        dx[i] += ddx * f
        dy[i] += ddy * f
        dx[j] -= ddx * f
        dy[j] -= ddy * f
      }
    }
    for (const [a, b] of pairs) {
      const ddx = x[a] - x[b]
      const ddy = y[a] - y[b]
      const d = Math.max(Math.sqrt(ddx * ddx + ddy * ddy), 1e-3)
      const f = d / k
      dx[a] -= ddx * f
      dy[a] -= ddy * f
      dx[b] += ddx * f
      dy[b] += ddy * f
    }
    for (let i = 0; i < n; i++) {
      const d = Math.max(Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]), 1e-9)
      const step = Math.min(d, temperature)
      x[i] += (dx[i] / d) * step
      y[i] += (dy[i] / d) * step
    }
  }
  let max = 1e-9
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(x[i]), Math.abs(y[i]))
  return new Map(nodes.map((node, i) => [node.id, { x: x[i] / max, y: y[i] / max }]))
}
