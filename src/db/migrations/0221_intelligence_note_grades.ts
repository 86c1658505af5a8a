import { statements } from '../migration.ts'

/**
 * 3x5x2 grading on intelligence notes (issue 17), the same grade a network link carries: source
 * evaluation, intelligence assessment and handling code. Only an intelligence note is graded; notes
 * written before grading existed stay ungraded (nobody can say now what their grade was), so the
 * grade is all or nothing rather than required. Under handling code C the conditions are written
 * down and the agencies that meet them are listed on the note itself (`handling_agency_ids`), so
 * that its need-to-know (migration 0821) is a test on its own row, as a note's police-only marking is.
 */
export default statements(
  `alter table person_notes
     add column grade_source text check (grade_source in ('1', '2', '3')),
     add column grade_assessment text check (grade_assessment in ('A', 'B', 'C', 'D', 'E')),
     add column grade_handling text check (grade_handling in ('P', 'C')),
     add column handling_conditions text check (length(handling_conditions) <= 1000),
     add column handling_agency_ids uuid[] not null default '{}',
     add constraint person_notes_grade_whole check ((grade_source is null) = (grade_assessment is null) and (grade_source is null) = (grade_handling is null)),
     add constraint person_notes_grade_intelligence check (grade_source is null or kind = 'intelligence'),
     add constraint person_notes_handling_conditions check ((grade_handling = 'C') = (handling_conditions is not null) or (grade_handling is null and handling_conditions is null))`,
)
