/**
 * The 3x5x2 intelligence grading of the national intelligence model (College of Policing APP,
 * "Intelligence management"): source evaluation, intelligence assessment and handling code. Network
 * links and intelligence notes are graded with the same words, so they live here, below both.
 */
export const SOURCE_GRADES = [
  { value: '1', text: '1 – Reliable' },
  { value: '2', text: '2 – Untested' },
  { value: '3', text: '3 – Not reliable' },
] as const
export const ASSESSMENT_GRADES = [
  { value: 'A', text: 'A – Known directly' },
  { value: 'B', text: 'B – Known indirectly, corroborated' },
  { value: 'C', text: 'C – Known indirectly' },
  { value: 'D', text: 'D – Not known' },
  { value: 'E', text: 'E – Suspected to be false' },
] as const
export const HANDLING_CODES = [
  { value: 'P', text: 'P – Lawful sharing permitted' },
  { value: 'C', text: 'C – Conditions apply' },
] as const

export type SourceGrade = (typeof SOURCE_GRADES)[number]['value']
export type AssessmentGrade = (typeof ASSESSMENT_GRADES)[number]['value']
export type HandlingCode = (typeof HANDLING_CODES)[number]['value']
