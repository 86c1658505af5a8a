/**
 * FEBRL-like synthetic people for the linkage benchmarks, deterministic for a seed. Values are
 * drawn, with their frequencies, from the original (`rec-N-org`) records of FEBRL's dataset4a;
 * dates of birth, street numbers and identifiers are generated. Duplicates are corrupted as FEBRL
 * corrupts them: one to five fields changed by typos, transposed digits, missing values, other
 * values, swapped names and swapped day and month. Ids follow FEBRL (`rec-N-org`, `rec-N-dup-k`),
 * so `febrlEntity` gives the truth.
 */
import { readFileSync } from 'node:fs'
import { parseCsvTable, type Table } from '../src/analytics/linkage/index.ts'
import { createRandom, randomInt, type Random } from '../src/analytics/linkage/random.ts'

export const FIELDS = ['given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id'] as const
type Field = (typeof FIELDS)[number]
type Person = Record<Field, string | null>

/** Values with their frequencies, drawn by binary search on the cumulative counts. */
class Vocabulary {
  private readonly values: string[] = []
  private readonly cumulative: number[] = []

  constructor(samples: Iterable<string | null | undefined>) {
    const counts = new Map<string, number>()
    for (const s of samples) if (s) counts.set(s, (counts.get(s) ?? 0) + 1)
    let total = 0
    for (const [value, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      total += n
      this.values.push(value)
      this.cumulative.push(total)
    }
  }

  draw(random: Random): string {
    const target = random() * this.cumulative[this.cumulative.length - 1]
    let lo = 0
    let hi = this.values.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.cumulative[mid] <= target) lo = mid + 1
      else hi = mid
    }
    return this.values[lo]
  }
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'
const DIGITS = '0123456789'

function typo(value: string, random: Random, alphabet: string): string {
  const at = randomInt(random, value.length)
  const letter = alphabet[randomInt(random, alphabet.length)]
  switch (randomInt(random, value.length > 1 ? 4 : 2)) {
    case 0:
      return value.slice(0, at) + letter + value.slice(at + 1)
    case 1:
      return value.slice(0, at) + letter + value.slice(at)
    case 2:
      return value.slice(0, at) + value.slice(at + 1)
    default: {
      const i = Math.min(at, value.length - 2)
      return value.slice(0, i) + value[i + 1] + value[i] + value.slice(i + 2)
    }
  }
}

function pick<T>(random: Random, weighted: readonly (readonly [number, T])[]): T {
  const total = weighted.reduce((s, [w]) => s + w, 0)
  let target = random() * total
  for (const [w, value] of weighted) {
    target -= w
    if (target < 0) return value
  }
  return weighted[weighted.length - 1][1]
}

// Fields changed per duplicate and how often each field is chosen, as in FEBRL's dataset4b.
const CHANGES_PER_DUPLICATE = [
  [30, 1],
  [34, 2],
  [23, 3],
  [10, 4],
  [3, 5],
] as const
const FIELD_WEIGHTS: readonly (readonly [number, Field])[] = [
  [22, 'address_2'],
  [19, 'address_1'],
  [16, 'surname'],
  [16, 'given_name'],
  [12, 'suburb'],
  [8, 'postcode'],
  [8, 'street_number'],
  [4.5, 'date_of_birth'],
  [4.5, 'soc_sec_id'],
  [2.5, 'state'],
]

/** One way of corrupting a value. */
type Change = () => string | null

export interface Generator {
  /** `count` records: originals first drawn, then duplicates of some of them, shuffled. */
  people(count: number, options?: { duplicateShare?: number }): Table
}

export function febrlLikeGenerator(seed: number, febrlFile = '../shared/data/febrl/dataset4a.csv'): Generator {
  const source = parseCsvTable(readFileSync(febrlFile, 'utf8'), febrlFile)
  const vocab = (field: string) => new Vocabulary(source.columns[field])
  const given = vocab('given_name')
  const surnames = vocab('surname')
  const streets = vocab('address_1')
  const places = vocab('address_2')
  const suburbs = vocab('suburb')
  const postcodes = vocab('postcode')
  const states = vocab('state')
  const numbers = vocab('street_number')
  const random = createRandom(seed)

  const date = () => {
    const day = new Date(Date.UTC(1920, 0, 1) + randomInt(random, 100 * 365.25) * 86_400_000)
    return day.toISOString().slice(0, 10).replace(/-/g, '')
  }
  // Unique nine-digit identifiers: an affine map of the person number modulo a prime.
  const identifier = (n: number) => String(100_000_000 + ((n * 7_919_173 + 12_345) % 899_999_963))
  const maybe = (value: string, missing: number) => (random() < missing ? null : value)

  const original = (n: number): Person => ({
    given_name: maybe(given.draw(random), 0.02),
    surname: maybe(surnames.draw(random), 0.01),
    street_number: maybe(numbers.draw(random), 0.03),
    address_1: maybe(streets.draw(random), 0.02),
    address_2: maybe(places.draw(random), 0.08),
    suburb: maybe(suburbs.draw(random), 0.01),
    postcode: postcodes.draw(random),
    state: maybe(states.draw(random), 0.01),
    date_of_birth: maybe(date(), 0.02),
    soc_sec_id: identifier(n),
  })

  const corrupt = (field: Field, value: string | null): string | null => {
    const text = value ?? ''
    const digits = field === 'postcode' || field === 'street_number' || field === 'date_of_birth' || field === 'soc_sec_id'
    const edit = () => (text === '' ? text : typo(text, random, digits ? DIGITS : LETTERS))
    switch (field) {
      case 'given_name':
      case 'surname':
        return pick<Change>(random, [
          [70, () => edit()],
          [10, () => null],
          [20, () => (field === 'surname' ? surnames : given).draw(random)],
        ])()
      case 'date_of_birth':
        return pick<Change>(random, [
          [50, () => edit()],
          [15, () => (text.length === 8 && Number(text.slice(6)) <= 12 ? text.slice(0, 4) + text.slice(6) + text.slice(4, 6) : edit())],
          [15, () => null],
          [20, () => date()],
        ])()
      case 'soc_sec_id':
        return pick<Change>(random, [
          [60, () => edit()],
          [40, () => String(100_000_000 + randomInt(random, 899_999_999))],
        ])()
      case 'postcode':
        return pick<Change>(random, [
          [70, () => edit()],
          [30, () => postcodes.draw(random)],
        ])()
      case 'street_number':
        return pick<Change>(random, [
          [50, () => edit()],
          [20, () => null],
          [30, () => numbers.draw(random)],
        ])()
      default: {
        const other = { address_1: streets, address_2: places, suburb: suburbs, state: states }[field]
        return pick<Change>(random, [
          [70, () => (random() < 0.3 ? typo(edit(), random, LETTERS) : edit())],
          [15, () => null],
          [15, () => other.draw(random)],
        ])()
      }
    }
  }

  const duplicate = (person: Person): Person => {
    const copy = { ...person }
    const changes = pick(random, CHANGES_PER_DUPLICATE)
    const chosen = new Set<Field>()
    while (chosen.size < changes) chosen.add(pick(random, FIELD_WEIGHTS))
    for (const field of chosen) {
      if ((field === 'given_name' || field === 'surname') && random() < 0.12) {
        ;[copy.given_name, copy.surname] = [copy.surname, copy.given_name]
        continue
      }
      copy[field] = corrupt(field, copy[field])
    }
    return copy
  }

  return {
    people(count, options = {}) {
      const duplicates = Math.round(count * (options.duplicateShare ?? 0.4))
      const originals = count - duplicates
      const ids: string[] = new Array(count)
      const columns = Object.fromEntries(FIELDS.map((f) => [f, new Array<string | null>(count)])) as Record<Field, (string | null)[]>
      const people: Person[] = new Array(originals)
      const dupCount = new Int32Array(originals)
      const put = (slot: number, id: string, person: Person) => {
        ids[slot] = id
        for (const f of FIELDS) columns[f][slot] = person[f]
      }
      for (let n = 0; n < originals; n++) {
        people[n] = original(n)
        put(n, `rec-${n}-org`, people[n])
      }
      // Duplicates of the first half of the originals: some people have several.
      for (let d = 0; d < duplicates; d++) {
        const n = randomInt(random, Math.max(1, Math.floor(originals / 2)))
        put(originals + d, `rec-${n}-dup-${dupCount[n]++}`, duplicate(people[n]))
      }
      // Shuffle, so that file order says nothing.
      const order = Array.from({ length: count }, (_, i) => i)
      for (let i = count - 1; i > 0; i--) {
        const j = randomInt(random, i + 1)
        ;[order[i], order[j]] = [order[j], order[i]]
      }
      const shuffled: Record<string, (string | null)[]> = { rec_id: order.map((i) => ids[i]) }
      for (const f of FIELDS) shuffled[f] = order.map((i) => columns[f][i])
      return { length: count, columns: shuffled }
    },
  }
}
