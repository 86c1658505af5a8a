import { LinkageInputError } from './errors.ts'
import { normaliseValue, type ColumnKind } from './normalise.ts'

/** Records as columns of text (missing values as null, undefined or ''), one entry per record. */
export interface Table {
  readonly length: number
  readonly columns: Readonly<Record<string, ReadonlyArray<string | null | undefined>>>
}

export type LinkType = 'dedupe' | 'link'

export function tableFromRows(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null | undefined>>): Table {
  const columns: Record<string, (string | null | undefined)[]> = {}
  header.forEach((name, c) => {
    columns[name] = rows.map((row) => row[c])
  })
  return { length: rows.length, columns }
}

export function tableFromObjects(records: ReadonlyArray<Readonly<Record<string, string | null | undefined>>>, header?: readonly string[]): Table {
  const names = header ?? [...new Set(records.flatMap((r) => Object.keys(r)))]
  return tableFromRows(
    names,
    records.map((r) => names.map((n) => r[n])),
  )
}

/**
 * One column with every distinct normalised value stored once: records hold integer codes, so
 * exact agreement is an integer comparison and derived features (phonetic codes, date parts) are
 * computed once per distinct value rather than once per pair.
 */
export class EncodedColumn {
  /** Value id per record; -1 when missing. One spare slot at the end holds a query record. */
  readonly codes: Int32Array
  readonly values: string[] = []
  /** Occurrences of each value among all records, and among the left records only. */
  readonly counts: number[] = []
  readonly leftCounts: number[] = []
  nonNullLeft = 0
  nonNullRight = 0
  private readonly lookup = new Map<string, number>()
  private readonly caches = new Map<string, unknown[]>()
  private permanent = 0

  constructor(
    readonly name: string,
    readonly kind: ColumnKind,
    size: number,
  ) {
    this.codes = new Int32Array(size + 1).fill(-1)
  }

  /** Store a record's raw value; returns its code. */
  encode(record: number, raw: string | null | undefined, left: boolean): number {
    const value = normaliseValue(this.kind, raw)
    if (value === null) {
      this.codes[record] = -1
      return -1
    }
    let id = this.lookup.get(value)
    if (id === undefined) {
      id = this.values.length
      this.values.push(value)
      this.counts.push(0)
      this.leftCounts.push(0)
      this.lookup.set(value, id)
    }
    this.codes[record] = id
    this.counts[id]++
    if (left) {
      this.leftCounts[id]++
      this.nonNullLeft++
    } else this.nonNullRight++
    this.permanent = this.values.length
    return id
  }

  /**
   * Take a record's value out of the data (its counts fall as if it had never been encoded), so a
   * record can be removed or re-encoded in place. The value itself stays known: a rebuild would not
   * know it, but nothing reads a value no record holds except as "seen once", as for a query's.
   */
  forget(record: number, left: boolean): void {
    const id = this.codes[record]
    this.codes[record] = -1
    if (id < 0) return
    this.counts[id]--
    if (left) {
      this.leftCounts[id]--
      this.nonNullLeft--
    } else this.nonNullRight--
  }

  /** Values the data holds (or held); ids at or beyond this belong to a query record. */
  get knownValues(): number {
    return this.permanent
  }

  /** Put a query record's value in the spare slot without counting it as part of the data. */
  encodeQuery(raw: string | null | undefined): void {
    const slot = this.codes.length - 1
    const value = normaliseValue(this.kind, raw)
    if (value === null) {
      this.codes[slot] = -1
      return
    }
    let id = this.lookup.get(value)
    if (id === undefined) {
      id = this.values.length
      this.values.push(value)
      this.lookup.set(value, id)
    }
    this.codes[slot] = id
  }

  /** Forget values that only a query record had, so repeated queries do not grow the column. */
  releaseQuery(): void {
    for (let id = this.permanent; id < this.values.length; id++) this.lookup.delete(this.values[id])
    this.values.length = this.permanent
    for (const cache of this.caches.values()) if (cache.length > this.permanent) cache.length = this.permanent
    this.codes[this.codes.length - 1] = -1
  }

  count(id: number): number {
    return this.counts[id] ?? 0
  }

  get nonNull(): number {
    return this.nonNullLeft + this.nonNullRight
  }

  /** A feature of each distinct value, computed on first use and kept. */
  feature<T>(key: string, compute: (value: string) => T): (id: number) => T {
    let cache = this.caches.get(key) as T[] | undefined
    if (!cache) {
      cache = []
      this.caches.set(key, cache)
    }
    const store = cache
    const values = this.values
    return (id) => {
      let found = store[id]
      if (found === undefined) {
        found = compute(values[id])
        store[id] = found
      }
      return found
    }
  }
}

/**
 * The records of one run, encoded. In a linkage the left table's records come first
 * (0..leftSize-1), then the right table's; in a deduplication leftSize equals size.
 */
export class EncodedData {
  readonly columns = new Map<string, EncodedColumn>()
  readonly ids: string[]

  constructor(
    readonly linkType: LinkType,
    readonly size: number,
    readonly leftSize: number,
    ids: string[],
  ) {
    this.ids = ids
  }

  column(name: string): EncodedColumn {
    const found = this.columns.get(name)
    if (!found) throw new Error(`column "${name}" was not encoded`)
    return found
  }

  /** The slot holding a query record (see `EncodedColumn.encodeQuery`). */
  get querySlot(): number {
    return this.size
  }

  get rightSize(): number {
    return this.size - this.leftSize
  }

  /** Every pair a full comparison would make; the denominator of the prior. */
  get totalPairs(): number {
    return this.linkType === 'dedupe' ? (this.size * (this.size - 1)) / 2 : this.leftSize * this.rightSize
  }

  /** Whether (i, j) is a pair of this run (a deduplication pairs any two; a linkage left with right). */
  isPair(i: number, j: number): boolean {
    if (i === j) return false
    return this.linkType === 'dedupe' || i < this.leftSize !== j < this.leftSize
  }
}

export function checkTable(table: Table, idColumn: string, needed: Iterable<string>, label: string): string[] {
  const names = Object.keys(table.columns)
  if (!(idColumn in table.columns)) {
    throw new LinkageInputError(`${label}: no id column "${idColumn}" (columns: ${names.join(', ')})`)
  }
  for (const column of needed) {
    if (!(column in table.columns)) throw new LinkageInputError(`${label}: no column "${column}" (columns: ${names.join(', ')})`)
  }
  const ids = table.columns[idColumn]
  const seen = new Set<string>()
  const out: string[] = new Array(table.length)
  for (let r = 0; r < table.length; r++) {
    const id = ids[r]?.trim()
    if (!id) throw new LinkageInputError(`${label}: record ${r + 1} has no ${idColumn}`)
    if (seen.has(id)) throw new LinkageInputError(`${label}: duplicate ${idColumn} "${id}"`)
    seen.add(id)
    out[r] = id
  }
  return out
}

/**
 * Encode one table (deduplication) or two (linkage), normalising each column by its kind.
 * Throws `LinkageInputError` for a missing id column, a missing column or duplicate ids.
 */
export function encodeTables(
  kinds: ReadonlyMap<string, ColumnKind>,
  idColumn: string,
  left: Table,
  right?: Table,
  labels: { left: string; right: string } = right ? { left: 'left table', right: 'right table' } : { left: 'table', right: '' },
): EncodedData {
  const leftIds = checkTable(left, idColumn, kinds.keys(), labels.left)
  const rightIds = right ? checkTable(right, idColumn, kinds.keys(), labels.right) : []
  const size = left.length + (right?.length ?? 0)
  const data = new EncodedData(right ? 'link' : 'dedupe', size, left.length, leftIds.concat(rightIds))
  for (const [name, kind] of kinds) {
    const column = new EncodedColumn(name, kind, size)
    const leftValues = left.columns[name]
    for (let r = 0; r < left.length; r++) column.encode(r, leftValues[r], true)
    if (right) {
      const rightValues = right.columns[name]
      for (let r = 0; r < right.length; r++) column.encode(left.length + r, rightValues[r], false)
    }
    data.columns.set(name, column)
  }
  return data
}
