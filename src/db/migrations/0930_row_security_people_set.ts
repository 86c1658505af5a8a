import { statements } from '../migration.ts'

/**
 * The people of other agencies the viewer may see, worked out by one function rather than written
 * into every policy, and "the person's own agency, or one of those" as the rule on `people` and on
 * every record that hangs off a person. What each policy allows is unchanged (0760, 0821).
 *
 * Measured on the county seed (bench/row-security.ts, docs/performance.md), two things cost:
 *
 * - `people` asked for shares with a correlated EXISTS. PostgreSQL turns that into a choice between
 *   a probe per row and one hash, and prices every plan as if it probed per row: a count of the
 *   register's 25,000 people was priced at 14 million and read through an index in risk order,
 *   three times as slow as the sequential scan the owner gets. An uncorrelated IN is one hash,
 *   priced as one.
 * - Each of the register's nine policy instances planned the shares view and break glass as two
 *   subqueries of its own, with five InitPlans: 17 ms of planning against 1.3 ms without policies.
 *   A PL/pgSQL function is planned once per session and is one function scan to the statement.
 *
 * - Each call of the function read the viewer's shares through one bitmap scan of an OR, 2.4 ms;
 *   two index-only scans take 1.0 ms.
 *
 * Not security definer: the viewer reads shares and justifications under its own grants, as the
 * policies did. Break glass counts only while the viewer holds `break-glass` (never for the API).
 */
const agency = `(select lantern_agency())`
const holds = (permission: string) => `(select lantern_holds('${permission}'))`
const policeCleared = `(select lantern_agency_kind()) = 'police'`

/** A record of the person `id`, whose owning agency is `owner`, is seen. */
const seesPerson = (id: string, owner: string) => `${holds('person:view')} and (${owner} = ${agency} or ${id} in (select o.id from lantern_people_opened() o(id)))`
const ofPerson = seesPerson('person_id', 'person_owner_agency_id')

const note = `${ofPerson} and (sensitivity <> 'police_only' or ${policeCleared})
     and (grade_handling is distinct from 'C' or author_agency_id = ${agency} or ${agency} = any(handling_agency_ids))`
const event = `${ofPerson} and (not police_only or ${policeCleared})
     and (ref_type is distinct from 'network_link' or exists (select 1 from network_links l where l.id = ref_id))
     and (ref_type is distinct from 'person_note' or exists (select 1 from person_notes n where n.id = ref_id))`

const policies: Record<string, string> = {
  people: seesPerson('id', 'owner_agency_id'),
  ...Object.fromEntries(['person_aliases', 'person_identifiers', 'person_addresses', 'risk_assessments', 'missing_episodes', 'nrm_referrals'].map((t) => [t, ofPerson])),
  // A warning notice protects a child and is served on an adult: it is part of both records.
  cawns: `(${ofPerson}) or (${seesPerson('adult_id', 'adult_owner_agency_id')})`,
  person_notes: note,
  person_events: event,
}

export default statements(
  // The viewer's settings are read once per call, into variables, not once per row of shares; the
  // agency's shares and the viewer's own are two index-only scans rather than one scan of an OR.
  `create function lantern_people_opened() returns setof uuid language plpgsql stable rows 1000 as $$
     declare
       agency uuid := lantern_agency();
       viewer uuid := lantern_viewer();
     begin
       return query select s.record_id from live_record_shares s where s.record_type = 'person' and s.agency_id = agency;
       return query select s.record_id from live_record_shares s where s.record_type = 'person' and s.user_id = viewer;
       if lantern_holds('break-glass') then
         return query
           select g.record_id from break_glass g
            where g.record_type = 'person' and g.user_id = viewer and g.expires_at > now();
       end if;
     end $$`,
  // The same keys as 0112's, with the expiry beside them, so that a live share is found in the index alone.
  ...['agency', 'user'].flatMap((to) => [
    `drop index if exists record_shares_person_${to}`,
    `create index record_shares_person_${to}_live on record_shares (${to}_id, record_id) include (expires_at)
       where record_type = 'person' and revoked_at is null and ${to}_id is not null`,
  ]),
  `grant execute on function lantern_people_opened() to lantern_app`,
  ...Object.entries(policies).map(([table, rule]) => `alter policy ${table}_need_to_know on ${table} using (${rule}) with check (${rule})`),
)
