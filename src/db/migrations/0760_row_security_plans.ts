import { statements } from '../migration.ts'

/**
 * The same need-to-know as migration 0701, written so that PostgreSQL can plan and run it fast.
 *
 * 0701 put "is it shared with me?" and "did I break glass?" in SQL functions. A function whose body
 * holds a subquery is never inlined, so PostgreSQL called it for every row it filtered, and every
 * record that hangs off a person asked for the person's row and its policy again: on the county
 * seed the register's first page took 11.5 times as long as without the policies. Now:
 *
 * - The viewer's settings are scalar subqueries, `(select lantern_agency())`, worked out once per
 *   statement (an InitPlan) rather than parsed on every row.
 * - On `people`, sharing and break glass are EXISTS in the policy itself, which PostgreSQL plans
 *   both ways and runs as one hash of the viewer's shares (a register page over thousands of
 *   people) or as an index probe (one person), whichever the row count favours.
 * - Each record that hangs off a person carries the person's owning agency,
 *   `person_owner_agency_id`, kept by triggers (set on insert and on a move to another person, and
 *   followed when the person changes hands). Its policy is then the person's own, on its own row,
 *   with no nested policy on `people` to plan: before, the person page's three lists took 2.6 ms to
 *   plan under load against 0.14 ms without policies. The owner's rows pass on one comparison;
 *   another agency's rows are looked up in the viewer's shares, read once per statement and hashed.
 *
 * What each policy allows is unchanged; src/access/row-security.int.test.ts checks the policies
 * against `decide()` row for row. bench/row-security.ts measures the cost. 0701's functions stay
 * (a later migration may call them) but no policy here uses them.
 */
const viewer = `(select lantern_viewer())`
const agency = `(select lantern_agency())`
const holds = (permission: string) => `(select lantern_holds('${permission}'))`
const policeCleared = `(select lantern_agency_kind()) = 'police'`

/** A live share of this record with the viewer's agency or with the viewer. */
const shared = (recordType: string, id: string) =>
  `exists (select 1 from live_record_shares s where s.record_type = '${recordType}' and s.record_id = ${id}
            and (s.agency_id = ${agency} or s.user_id = ${viewer}))`
/** A justification the viewer recorded for this record, unexpired (sessions only: scope.ts). */
const glassBroken = (recordType: string, id: string) =>
  `(${holds('break-glass')} and exists (select 1 from break_glass g where g.record_type = '${recordType}' and g.record_id = ${id}
            and g.user_id = ${viewer} and g.expires_at > now()))`

/**
 * The people policy, for a record of the person `id` owned by `owner`, as uncorrelated sets: read
 * once per statement and hashed, and only when a row is another agency's (a statement about one's
 * own agency's person never reads them).
 */
const seesPerson = (id: string, owner: string) =>
  `${holds('person:view')} and (${owner} = ${agency}
     or ${id} in (select s.record_id from live_record_shares s where s.record_type = 'person' and (s.agency_id = ${agency} or s.user_id = ${viewer}))
     or ${id} in (select g.record_id from break_glass g where g.record_type = 'person' and g.user_id = ${viewer} and g.expires_at > now() and ${holds('break-glass')}))`

const CHILDREN = ['person_aliases', 'person_identifiers', 'person_addresses', 'risk_assessments', 'missing_episodes', 'nrm_referrals', 'person_events', 'person_notes', 'cawns']

function visible(table: string, expression: string): string {
  return `alter policy ${table}_need_to_know on ${table} using (${expression}) with check (${expression})`
}

export default statements(
  visible('people', `${holds('person:view')} and (owner_agency_id = ${agency} or ${shared('person', 'people.id')} or ${glassBroken('person', 'people.id')})`),
  // The person's owning agency on each record that hangs off them. Security definer: the trigger
  // must read the owner whether or not the writer may see the person (the policy's check then
  // refuses a record for a person the writer cannot see).
  ...CHILDREN.map((t) => `alter table ${t} add column person_owner_agency_id uuid`),
  `alter table cawns add column adult_owner_agency_id uuid`,
  ...CHILDREN.map((t) => `update ${t} c set person_owner_agency_id = p.owner_agency_id from people p where p.id = c.person_id`),
  `update cawns c set adult_owner_agency_id = p.owner_agency_id from people p where p.id = c.adult_id`,
  `create function lantern_child_owner() returns trigger language plpgsql security definer set search_path = public as $$
     begin
       new.person_owner_agency_id := (select owner_agency_id from people where id = new.person_id);
       if tg_table_name = 'cawns' then
         new.adult_owner_agency_id := (select owner_agency_id from people where id = new.adult_id);
       end if;
       return new;
     end $$`,
  ...CHILDREN.map(
    (t) => `create trigger ${t}_person_owner before insert or update of person_id${t === 'cawns' ? ', adult_id' : ''}, person_owner_agency_id${t === 'cawns' ? ', adult_owner_agency_id' : ''}
            on ${t} for each row execute function lantern_child_owner()`,
  ),
  `create function lantern_person_changed_hands() returns trigger language plpgsql security definer set search_path = public as $$
     begin
${CHILDREN.map((t) => `       update ${t} set person_owner_agency_id = new.owner_agency_id where person_id = new.id;`).join('\n')}
       update cawns set adult_owner_agency_id = new.owner_agency_id where adult_id = new.id;
       return null;
     end $$`,
  `create trigger people_changed_hands after update of owner_agency_id on people for each row
     when (old.owner_agency_id is distinct from new.owner_agency_id) execute function lantern_person_changed_hands()`,

  ...['person_aliases', 'person_identifiers', 'person_addresses', 'risk_assessments', 'missing_episodes', 'nrm_referrals'].map((t) =>
    visible(t, seesPerson('person_id', 'person_owner_agency_id')),
  ),
  // A warning notice protects a child and is served on an adult: it is part of both records.
  visible('cawns', `${seesPerson('person_id', 'person_owner_agency_id')} or ${seesPerson('adult_id', 'adult_owner_agency_id')}`),
  visible(
    'person_events',
    `${seesPerson('person_id', 'person_owner_agency_id')} and (not police_only or ${policeCleared})
     and (ref_type is distinct from 'network_link' or exists (select 1 from network_links l where l.id = ref_id))`,
  ),
  visible('person_notes', `${seesPerson('person_id', 'person_owner_agency_id')} and (sensitivity <> 'police_only' or ${policeCleared})`),
  visible(
    'network_entities',
    `case when person_id is null
       then owner_agency_id = ${agency} or ${shared('network_entity', 'network_entities.id')} or ${glassBroken('network_entity', 'network_entities.id')}
       else exists (select 1 from people vp where vp.id = person_id) end`,
  ),
  visible(
    'network_links',
    `(grade_handling = 'P' or source_agency_id = ${agency}
       or exists (select 1 from network_link_agencies nla where nla.link_id = network_links.id and nla.agency_id = ${agency}))
     and exists (select 1 from network_entities s where s.id = source_id)
     and exists (select 1 from network_entities t where t.id = target_id)`,
  ),
  visible('network_map_layouts', `user_id = ${viewer}`),
  visible('linkage_uploads', `exists (select 1 from users u where u.id = user_id and u.agency_id = ${agency})`),
  visible('linkage_runs', `agency_id = ${agency}`),
)
