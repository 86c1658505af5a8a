import { statements } from '../migration.ts'

/**
 * History lines already written in the form's codes or ISO dates, rewritten in the words the
 * services now use (the same facts; a subject access export hands these lines to the child and
 * their family):
 * - "Found … by came back by themselves" and the other "found by" choices;
 * - "… held on 2026-11-17, chaired by …" and "… of 2026-11-17 corrected" on meetings;
 * - an operation's activity lower-cased ("national referral mechanism (nrm) referral").
 * The activity names are written out here, not imported, so that the migration stays as it ran.
 */
const FOUND_BY: [string, string][] = [
  ['came back by themselves', 'having come back by themselves'],
  ['police', 'by the police'],
  ['parent, carer or placement staff', 'by a parent, carer or placement staff'],
  ['another professional (social worker, youth worker, school)', 'by another professional'],
]
const ACTIVITIES = [
  'Warrant executed',
  'Arrest',
  'Seizure',
  'Safeguarding visit',
  'Referred for safeguarding',
  'Closure order',
  'Child abduction warning notice (CAWN)',
  'National Referral Mechanism (NRM) referral',
  'Deal line closed',
]
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`
const isoDay = (before: string, after: string) =>
  `update person_events set summary = regexp_replace(summary, ${quote(`${before}(\\d{4}-\\d{2}-\\d{2})${after}`)},
     ${quote(before)} || to_char(substring(summary from ${quote(`${before}(\\d{4}-\\d{2}-\\d{2})${after}`)})::date, 'FMDD FMMonth YYYY') || ${quote(after)})
   where kind = 'plan-meeting' and summary ~ ${quote(`${before}\\d{4}-\\d{2}-\\d{2}${after}`)}`

export default statements(
  ...FOUND_BY.map(
    ([old, now]) => `update person_events set summary = left(summary, length(summary) - length(${quote(`, by ${old}`)})) || ${quote(`, ${now}`)}
       where kind = 'missing-found' and right(summary, length(${quote(`, by ${old}`)})) = ${quote(`, by ${old}`)}`,
  ),
  isoDay(' held on ', ', chaired by '),
  isoDay(' of ', ' corrected '),
  ...ACTIVITIES.map(
    (text) => `update person_events set summary = left(summary, length(summary) - length(${quote(text)})) || ${quote(text)}
       where kind = 'operation' and right(summary, length(${quote(text)}) + 2) = ${quote(`: ${text.toLowerCase()}`)}`,
  ),
)
