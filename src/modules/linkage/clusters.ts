/**
 * The review queue as clusters: the connected components of the pairs still waiting for a decision
 * (proposed matches and uncertain pairs), so that all the records that may be one person are read
 * side by side and decided together. A chain A–B, B–C puts A, B and C in one cluster even when the
 * run never proposed A–C: the reviewer sees that the chain rests on B.
 *
 * In a deduplication (one extract, or Lantern's own people) both ends of a pair name records of the
 * same list, so `id_left` C1 in one pair and `id_right` C1 in another are one record. In a linkage
 * of two extracts the two sides are different lists, and C1 on the left is not C1 on the right.
 */
export type ClusterPair = { id: string; id_left: string; id_right: string; probability: number }

export type PairCluster<P extends ClusterPair> = {
  /** The cluster's strongest pair: where its page is found. */
  key: string
  pairs: P[]
  /** The records in it, as `side:id` (side L or R, or one side for a deduplication). */
  records: string[]
}

export function recordKey(side: 'left' | 'right', id: string, oneList: boolean): string {
  return `${oneList ? 'L' : side === 'left' ? 'L' : 'R'}:${id}`
}

/** Connected components of `pairs`, strongest cluster first, each cluster's pairs strongest first. */
export function pairClusters<P extends ClusterPair>(pairs: readonly P[], oneList: boolean): PairCluster<P>[] {
  const parent = new Map<string, string>()
  const find = (k: string): string => {
    let root = k
    while (parent.get(root) !== root) root = parent.get(root)!
    for (let at = k; at !== root; ) {
      const next = parent.get(at)!
      parent.set(at, root)
      at = next
    }
    return root
  }
  for (const p of pairs) {
    const a = recordKey('left', p.id_left, oneList)
    const b = recordKey('right', p.id_right, oneList)
    if (!parent.has(a)) parent.set(a, a)
    if (!parent.has(b)) parent.set(b, b)
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb)
  }
  const byRoot = new Map<string, { pairs: P[]; records: Set<string> }>()
  for (const p of pairs) {
    const root = find(recordKey('left', p.id_left, oneList))
    const c = byRoot.get(root) ?? { pairs: [], records: new Set<string>() }
    c.pairs.push(p)
    c.records.add(recordKey('left', p.id_left, oneList)).add(recordKey('right', p.id_right, oneList))
    byRoot.set(root, c)
  }
  const strongestFirst = (a: P, b: P) => b.probability - a.probability || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return [...byRoot.values()]
    .map((c) => {
      const sorted = [...c.pairs].sort(strongestFirst)
      return { key: sorted[0].id, pairs: sorted, records: [...c.records].sort() }
    })
    .sort((a, b) => strongestFirst(a.pairs[0], b.pairs[0]))
}
