import { sql, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { CurrentUser } from '../../kernel/context.ts'
import { entityVisibleRow } from '../network/index.ts'

type Viewer = Pick<CurrentUser, 'id' | 'agencyId'>

export interface PlaceRow {
  id: string
  label: string
  location_type: string | null
  area_name: string | null
  latitude: number | null
  longitude: number | null
}

export interface MapAreaRow {
  id: string
  code: string
  name: string
  in_partnership: boolean
}

export interface CrimePoint {
  latitude: number
  longitude: number
  crime_type: string
  location: string | null
}

/** Local authorities a map is drawn over: districts, unitaries and boroughs, not counties or forces. */
const LOCAL = ['district', 'unitary', 'london_borough', 'metropolitan'] as const

/**
 * What the geographic map reads. Locations are intelligence: every read goes through network's
 * `entityVisibleRow`, exactly as the network pages do. Crimes are police.uk's public rows.
 */
export function geoStore(db: Db) {
  return {
    /** Every location the viewer may see, placed or not, by label. */
    places: (user: Viewer) =>
      db
        .selectFrom('network_entities as e')
        .leftJoin('areas as a', 'a.id', 'e.area_id')
        .select(['e.id', 'e.label', 'e.location_type', 'a.name as area_name', 'e.latitude', 'e.longitude'])
        .where('e.kind', '=', 'location')
        .where(entityVisibleRow(user, 'e'))
        .orderBy('e.label')
        .orderBy('e.id')
        .execute() as Promise<PlaceRow[]>,

    /** One entity the viewer may see, for placing it; undefined when it is not theirs to see. */
    visibleEntity: (user: Viewer, id: string) =>
      /^[0-9a-f-]{36}$/i.test(id)
        ? db
            .selectFrom('network_entities as e')
            .select(['e.id', 'e.kind', 'e.label', 'e.person_id', 'e.owner_agency_id', 'e.latitude', 'e.longitude', 'e.version'])
            .where('e.id', '=', id)
            .where(entityVisibleRow(user, 'e'))
            .executeTakeFirst()
        : Promise.resolve(undefined),

    /** Sets a location's place, only at the version the analyst saw; false when someone saved first. */
    setPlace: (trx: Db, id: string, version: number, place: { latitude: number; longitude: number } | null, userId: string) =>
      trx
        .updateTable('network_entities')
        .set({ latitude: place?.latitude ?? null, longitude: place?.longitude ?? null, updated_by: userId, updated_at: sql`now()`, version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst()
        .then((r) => Number(r.numUpdatedRows) === 1),

    /** The demo's places, set as the demo is loaded (no version or timeline: nothing has happened yet). */
    seedPlace: (id: string, place: { latitude: number; longitude: number }) => db.updateTable('network_entities').set(place).where('id', '=', id).execute(),

    recordPlaced: (trx: Db, entityId: string, summary: string, actorId: string) =>
      trx.insertInto('network_entity_events').values({ entity_id: entityId, kind: 'updated', summary, actor_id: actorId }).execute(),

    /** The partnership's own local authorities, and any named (the ends of cross-border flows). */
    areas: (names: readonly string[]) =>
      db
        .selectFrom('areas')
        .select(['id', 'code', 'name', 'in_partnership'])
        .where('kind', 'in', LOCAL)
        .where((eb) => (names.length ? eb.or([eb('in_partnership', '=', true), eb('name', 'in', [...names])]) : eb('in_partnership', '=', true)))
        .orderBy('name')
        .execute() as Promise<MapAreaRow[]>,

    /** The months with street-level crimes in the partnership's areas, newest first. */
    crimeMonths: async () =>
      (
        await db
          .selectFrom('crimes as c')
          .innerJoin('areas as a', 'a.id', 'c.area_id')
          .select(sql<string>`to_char(c.month, 'YYYY-MM')`.as('month'))
          .where('a.in_partnership', '=', true)
          .groupBy('c.month')
          .orderBy('c.month', 'desc')
          .limit(120)
          .execute()
      ).map((r) => r.month),

    /** The categories recorded in one month in the partnership's areas. */
    crimeCategories: async (month: string) =>
      (
        await db
          .selectFrom('crimes as c')
          .innerJoin('areas as a', 'a.id', 'c.area_id')
          .select('c.crime_type')
          .where('a.in_partnership', '=', true)
          .where('c.month', '=', `${month}-01`)
          .groupBy('c.crime_type')
          .orderBy('c.crime_type')
          .execute()
      ).map((r) => r.crime_type),

    /** A month's crimes with coordinates in the partnership's areas, of one category or all; at most `limit`. */
    crimes: (month: string, category: string | null, limit: number) =>
      db
        .selectFrom('crimes as c')
        .innerJoin('areas as a', 'a.id', 'c.area_id')
        .select(['c.latitude', 'c.longitude', 'c.crime_type', 'c.location'])
        .where('a.in_partnership', '=', true)
        .where('c.month', '=', `${month}-01`)
        .where(sql<SqlBool>`c.latitude is not null and c.longitude is not null`)
        .$if(category !== null, (q) => q.where('c.crime_type', '=', category!))
        .orderBy('c.latitude')
        .orderBy('c.longitude')
        .orderBy('c.crime_type')
        .limit(limit)
        .execute() as Promise<CrimePoint[]>,
  }
}

export type GeoStore = ReturnType<typeof geoStore>
