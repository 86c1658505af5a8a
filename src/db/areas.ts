import type { AreasTable } from './schema.ts'

export type AreaKind = AreasTable['kind']

/** The kinds of area, as administrators choose them. */
export const AREA_KINDS: { value: AreaKind; text: string }[] = [
  { value: 'county', text: 'County' },
  { value: 'district', text: 'District or borough (in a county)' },
  { value: 'unitary', text: 'Unitary authority' },
  { value: 'london_borough', text: 'London borough' },
  { value: 'metropolitan', text: 'Metropolitan borough' },
  { value: 'force', text: 'Police force area' },
]

/** Kinds of area that are a local authority: what an LSOA lies in and what the public can choose. */
export const LOCAL_AUTHORITY_KINDS: readonly AreaKind[] = ['district', 'unitary', 'london_borough', 'metropolitan']
