import { rowSecurity, statements } from '../migration.ts'

/**
 * Need-to-know in the database itself: row-level security on every table of people and
 * intelligence, for the application role. The policies say in SQL what `decide()` in
 * src/access/policy.ts says in TypeScript, for seeing a record:
 *
 *   the viewer's role holds `person:view`, and the viewer's agency owns the record, or it is shared
 *   (live_record_shares: not revoked, not expired) with their agency or with them, or they hold
 *   `break-glass`, signed in with a session (never an API token: scope.ts leaves the permission
 *   out), and recorded a justification for it that has not expired.
 *
 * A person's records (aliases, identifiers, addresses, timeline, notes, assessments, episodes,
 * referrals, warning notices) are visible exactly when the person is; police-only notes and events
 * only to police agencies. Network entities follow the person they stand for, or their owning
 * agency and shares; a link needs both ends visible and, under handling code C, the source agency or
 * one of its condition agencies. Linkage extracts and runs belong to the uploader's agency.
 *
 * The viewer is the one src/db/scope.ts puts on the connection for each request. The owner (the role
 * that runs migrations, the CLI and the demo seed) is not restricted: it is the maintainers' tool,
 * and it owns the policies anyway. Any other role sees nothing. Stores keep their own conditions for plan quality; these are the
 * guarantee behind them (a contract test checks the two agree row for row).
 */
const APP = 'lantern_app'

const protect = rowSecurity

const personChild = `exists (select 1 from people p where p.id = person_id)`
const policeOnlyCleared = `lantern_agency_kind() = 'police'`

export default statements(
  `create function lantern_viewer() returns uuid language sql stable as
     $$ select nullif(current_setting('lantern.user_id', true), '')::uuid $$`,
  `create function lantern_agency() returns uuid language sql stable as
     $$ select nullif(current_setting('lantern.agency_id', true), '')::uuid $$`,
  `create function lantern_agency_kind() returns text language sql stable as
     $$ select coalesce(current_setting('lantern.agency_kind', true), '') $$`,
  `create function lantern_holds(permission text) returns boolean language sql stable as
     $$ select position(',' || permission || ',' in coalesce(current_setting('lantern.permissions', true), '')) > 0 $$`,
  `create function lantern_shared(rtype text, rid uuid) returns boolean language sql stable as
     $$ select exists (select 1 from live_record_shares s where s.record_type = rtype and s.record_id = rid
                        and (s.agency_id = lantern_agency() or s.user_id = lantern_viewer())) $$`,
  `create function lantern_break_glass(rtype text, rid uuid) returns boolean language sql stable as
     $$ select lantern_holds('break-glass') and exists (select 1 from break_glass g where g.user_id = lantern_viewer()
                        and g.record_type = rtype and g.record_id = rid and g.expires_at > now()) $$`,
  `create function lantern_sees_person(rid uuid, owner uuid) returns boolean language sql stable as
     $$ select lantern_holds('person:view') and (owner = lantern_agency() or lantern_shared('person', rid) or lantern_break_glass('person', rid)) $$`,
  /*
   * Which record stands behind a person or network entity and which agency owns it, so that the
   * application can decide on it (and offer break glass) before it may read the record. A network
   * entity that stands for a person answers as that person. Runs as the owner, for these facts only.
   */
  `create function lantern_record_ref(rtype text, rid uuid) returns table (record_type text, record_id uuid, owner_agency_id uuid)
     language sql stable security definer set search_path = public as
     $$ select 'person', p.id, p.owner_agency_id from people p where rtype = 'person' and p.id = rid
        union all
        select case when e.person_id is null then 'network_entity' else 'person' end, coalesce(e.person_id, e.id), coalesce(p.owner_agency_id, e.owner_agency_id)
          from network_entities e left join people p on p.id = e.person_id where rtype = 'network_entity' and e.id = rid $$`,
  `grant execute on function lantern_viewer(), lantern_agency(), lantern_agency_kind(), lantern_holds(text), lantern_shared(text, uuid),
     lantern_break_glass(text, uuid), lantern_sees_person(uuid, uuid), lantern_record_ref(text, uuid) to ${APP}`,

  ...protect('people', `lantern_sees_person(id, owner_agency_id)`),
  ...['person_aliases', 'person_identifiers', 'person_addresses', 'risk_assessments', 'missing_episodes', 'nrm_referrals'].flatMap((t) => protect(t, personChild)),
  // A warning notice protects a child and is served on an adult: it is part of both records.
  ...protect('cawns', `${personChild} or exists (select 1 from people a where a.id = adult_id)`),
  // An event derived from a network link is seen exactly where the link is (handling code C: its
  // source and condition agencies), wherever it appears.
  ...protect(
    'person_events',
    `${personChild} and (not police_only or ${policeOnlyCleared})
     and (ref_type is distinct from 'network_link' or exists (select 1 from network_links l where l.id = ref_id))`,
  ),
  ...protect('person_notes', `${personChild} and (sensitivity <> 'police_only' or ${policeOnlyCleared})`),
  ...protect('cawn_breaches', `exists (select 1 from cawns c where c.id = cawn_id)`),

  ...protect(
    'network_entities',
    `case when person_id is null then owner_agency_id = lantern_agency() or lantern_shared('network_entity', id) or lantern_break_glass('network_entity', id)
          else exists (select 1 from people vp where vp.id = person_id) end`,
  ),
  ...protect(
    'network_links',
    `(grade_handling = 'P' or source_agency_id = lantern_agency()
       or exists (select 1 from network_link_agencies nla where nla.link_id = network_links.id and nla.agency_id = lantern_agency()))
     and exists (select 1 from network_entities s where s.id = source_id)
     and exists (select 1 from network_entities t where t.id = target_id)`,
  ),
  // A saved map layout is its analyst's own.
  ...protect('network_map_layouts', `user_id = lantern_viewer()`),
  ...protect('network_entity_events', `exists (select 1 from network_entities e where e.id = entity_id)`),

  ...protect('linkage_uploads', `exists (select 1 from users u where u.id = user_id and u.agency_id = lantern_agency())`),
  ...protect('linkage_runs', `agency_id = lantern_agency()`),
  ...protect('linkage_run_pairs', `exists (select 1 from linkage_runs r where r.id = run_id)`),
)
