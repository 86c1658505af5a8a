import { rowSecurity, statements } from '../migration.ts'

/**
 * Need-to-know on phone data (tables of migration 0220). Call records are intelligence: like a
 * network link they carry the agency that holds them and a handling code; they are seen by the
 * holding agency and by the agencies the import was shared with when it was made
 * (`call_import_agencies`), never by anyone else, in every page and count. Each record carries its
 * import's owning agency, so its policy is one comparison on its own row for the holder (the
 * common case) and a probe of the import's agencies otherwise.
 */
const agency = `(select lantern_agency())`
const mayView = `(select lantern_holds('network:view'))`

export default statements(
  ...rowSecurity('call_imports', `${mayView} and (owner_agency_id = ${agency} or exists (select 1 from call_import_agencies a where a.import_id = call_imports.id and a.agency_id = ${agency}))`, {
    insert: `owner_agency_id = ${agency}`,
  }),
  ...rowSecurity('call_import_agencies', `${mayView} and (owner_agency_id = ${agency} or agency_id = ${agency})`, { insert: `owner_agency_id = ${agency}` }),
  ...rowSecurity('call_records', `${mayView} and (owner_agency_id = ${agency} or exists (select 1 from call_import_agencies a where a.import_id = call_records.import_id and a.agency_id = ${agency}))`, {
    insert: `owner_agency_id = ${agency}`,
  }),
  // Who holds a number is intelligence about the entity: seen where the entity is.
  ...rowSecurity('number_attributions', `${mayView} and exists (select 1 from network_entities e where e.id = entity_id)`),
  // A flag is worked out from the agency's own view of the calls: it stays with that agency.
  ...rowSecurity('line_successor_flags', `${mayView} and owner_agency_id = ${agency} and exists (select 1 from network_entities e where e.id = line_entity_id)`),
)
