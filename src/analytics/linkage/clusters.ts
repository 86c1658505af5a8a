/**
 * Connected components of the pairs kept by `keep`: every record gets the index of the first
 * record (lowest index) of its component; a record in no kept pair is its own component.
 */
export function connectedComponents(size: number, left: Int32Array, right: Int32Array, count: number, keep: (pair: number) => boolean): Int32Array {
  const parent = new Int32Array(size)
  for (let r = 0; r < size; r++) parent[r] = r
  const find = (r: number): number => {
    while (parent[r] !== r) {
      parent[r] = parent[parent[r]]
      r = parent[r]
    }
    return r
  }
  for (let p = 0; p < count; p++) {
    if (!keep(p)) continue
    const a = find(left[p])
    const b = find(right[p])
    if (a === b) continue
    // The lower index becomes the root, so a component is named by its first record.
    if (a < b) parent[b] = a
    else parent[a] = b
  }
  const root = new Int32Array(size)
  for (let r = 0; r < size; r++) root[r] = find(r)
  return root
}
