import type { LegalBasis } from '../../db/schema.ts'

/**
 * The lawful bases a share or a request for access may name: the duties under which partners in
 * England share information about children and adults at risk. The database holds the keys
 * (migration 0003 checks them); people read these words.
 */
export const LEGAL_BASES: readonly { value: LegalBasis; text: string }[] = [
  { value: 'children_act_1989_s17', text: 'Children Act 1989, section 17 (child in need)' },
  { value: 'children_act_1989_s47', text: 'Children Act 1989, section 47 (enquiries about significant harm)' },
  { value: 'crime_and_disorder_act_1998_s115', text: 'Crime and Disorder Act 1998, section 115 (crime and disorder strategy)' },
  { value: 'dpa_2018_sch8_safeguarding', text: 'Data Protection Act 2018, Schedule 8 (safeguarding of children and individuals at risk)' },
  { value: 'working_together_2023', text: 'Working Together to Safeguard Children 2023' },
  { value: 'consent', text: 'Consent of the person (or of a parent for a younger child)' },
]

export const LEGAL_BASIS_VALUES = LEGAL_BASES.map((b) => b.value) as [LegalBasis, ...LegalBasis[]]

export function legalBasisText(value: string | null): string {
  return LEGAL_BASES.find((b) => b.value === value)?.text ?? 'Not recorded'
}
