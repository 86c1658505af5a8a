import type { DemoSeed } from './context.ts'
import { hashPassword, DEMO_PASSWORD } from '../auth/passwords.ts'

export { DEMO_PASSWORD }

/**
 * The demo partnership, modelled on the Hampshire select committee minutes: a county with its
 * districts and neighbouring unitary authorities, the council's exploitation team (the Willow
 * team) working with the police Missing, Exploited and Trafficked team, and London boroughs
 * where the lines come from. Place and body names are real geography; every person is invented.
 */
export const DEMO_AREAS = [
  { code: 'E10000014', name: 'Hampshire', kind: 'county' },
  { code: 'E07000084', name: 'Basingstoke and Deane', kind: 'district', parent: 'E10000014' },
  { code: 'E07000085', name: 'East Hampshire', kind: 'district', parent: 'E10000014' },
  { code: 'E07000086', name: 'Eastleigh', kind: 'district', parent: 'E10000014' },
  { code: 'E07000087', name: 'Fareham', kind: 'district', parent: 'E10000014' },
  { code: 'E07000088', name: 'Gosport', kind: 'district', parent: 'E10000014' },
  { code: 'E07000089', name: 'Hart', kind: 'district', parent: 'E10000014' },
  { code: 'E07000090', name: 'Havant', kind: 'district', parent: 'E10000014' },
  { code: 'E07000091', name: 'New Forest', kind: 'district', parent: 'E10000014' },
  { code: 'E07000092', name: 'Rushmoor', kind: 'district', parent: 'E10000014' },
  { code: 'E07000093', name: 'Test Valley', kind: 'district', parent: 'E10000014' },
  { code: 'E07000094', name: 'Winchester', kind: 'district', parent: 'E10000014' },
  { code: 'E06000044', name: 'Portsmouth', kind: 'unitary' },
  { code: 'E06000045', name: 'Southampton', kind: 'unitary' },
  { code: 'E06000046', name: 'Isle of Wight', kind: 'unitary' },
  // Where the lines come from: known to Lantern, outside the partnership (not offered to the public).
  { code: 'E09000022', name: 'Lambeth', kind: 'london_borough', outside: true },
  { code: 'E09000028', name: 'Southwark', kind: 'london_borough', outside: true },
  { code: 'E09000008', name: 'Croydon', kind: 'london_borough', outside: true },
  { code: 'E09000023', name: 'Lewisham', kind: 'london_borough', outside: true },
  { code: 'E09000025', name: 'Newham', kind: 'london_borough', outside: true },
] as const

const AGENCIES = [
  { key: 'county', name: 'Hampshire County Council', short: 'County council', kind: 'county_council', area: 'E10000014' },
  { key: 'havant', name: 'Havant Borough Council', short: 'Havant BC', kind: 'district_council', area: 'E07000090' },
  { key: 'basingstoke', name: 'Basingstoke and Deane Borough Council', short: 'Basingstoke and Deane BC', kind: 'district_council', area: 'E07000084' },
  { key: 'police', name: 'Hampshire and Isle of Wight Constabulary', short: 'Police', kind: 'police', area: 'E10000014' },
  { key: 'nhs', name: 'Hampshire and Isle of Wight Healthcare NHS Foundation Trust', short: 'NHS trust', kind: 'health', area: 'E10000014' },
  { key: 'schools', name: 'Solent Learning Trust', short: 'Solent Learning Trust', kind: 'education', area: 'E06000044' },
  { key: 'opcc', name: 'Office of the Police and Crime Commissioner', short: 'OPCC', kind: 'oversight', area: 'E10000014' },
  { key: 'panel', name: 'Hampshire and Isle of Wight Police and Crime Panel', short: 'Police and Crime Panel', kind: 'oversight', area: 'E10000014' },
] as const

const TEAMS = [
  { key: 'willow', agency: 'county', name: 'Willow Team (child exploitation)' },
  { key: 'cs-north', agency: 'county', name: 'Children’s social care, North' },
  { key: 'community-safety', agency: 'county', name: 'Community Safety Team' },
  { key: 'met', agency: 'police', name: 'Missing, Exploited and Trafficked (MET) Team' },
  { key: 'intel', agency: 'police', name: 'Serious and Organised Crime Intelligence Unit' },
  { key: 'havant-cs', agency: 'havant', name: 'Community Safety' },
  { key: 'basingstoke-cs', agency: 'basingstoke', name: 'Community Safety' },
  { key: 'nhs-safeguarding', agency: 'nhs', name: 'Safeguarding Children Team' },
  { key: 'schools-safeguarding', agency: 'schools', name: 'Designated Safeguarding Leads' },
  { key: 'opcc-scrutiny', agency: 'opcc', name: 'Policy and Scrutiny' },
] as const

export const DEMO_USERS = [
  { key: 'practitioner', email: 'practitioner@lantern.test', name: 'Sam Okafor', role: 'practitioner', agency: 'county', team: 'willow', description: 'Social worker in the council’s exploitation team (children’s services)' },
  { key: 'officer', email: 'officer@lantern.test', name: 'DC Jo Harris', role: 'practitioner', agency: 'police', team: 'met', description: 'Police officer in the Missing, Exploited and Trafficked team' },
  { key: 'manager', email: 'manager@lantern.test', name: 'Priya Natarajan', role: 'manager', agency: 'county', team: 'willow', description: 'Team manager of the Willow Team' },
  { key: 'analyst', email: 'analyst@lantern.test', name: 'Alex Morgan', role: 'analyst', agency: 'police', team: 'intel', description: 'Intelligence analyst' },
  { key: 'partnership', email: 'partnership@lantern.test', name: 'Chris Bell', role: 'partnership_officer', agency: 'county', team: 'community-safety', description: 'Community safety partnership officer' },
  { key: 'panel', email: 'panel@lantern.test', name: 'Cllr Jan Whitfield', role: 'panel_member', agency: 'panel', team: null, description: 'Member of the Police and Crime Panel' },
  { key: 'admin', email: 'admin@lantern.test', name: 'Morgan Lee', role: 'administrator', agency: 'county', team: null, description: 'Lantern administrator' },
  { key: 'governance', email: 'governance@lantern.test', name: 'Ruth Adeyemi', role: 'information_governance', agency: 'county', team: null, description: 'Information governance officer (data protection lead)' },
  // Colleagues who make the caseloads and need-to-know rules visible.
  { key: 'practitioner2', email: 'r.patel@lantern.test', name: 'Rina Patel', role: 'practitioner', agency: 'county', team: 'cs-north', description: 'Social worker, children’s social care North' },
  { key: 'officer2', email: 'm.doyle@lantern.test', name: 'PC Mark Doyle', role: 'practitioner', agency: 'police', team: 'met', description: 'Police officer, MET team' },
  { key: 'nurse', email: 'h.evans@lantern.test', name: 'Hannah Evans', role: 'practitioner', agency: 'nhs', team: 'nhs-safeguarding', description: 'Safeguarding nurse' },
  { key: 'opcc', email: 'opcc@lantern.test', name: 'Dana Clarke', role: 'partnership_officer', agency: 'opcc', team: 'opcc-scrutiny', description: 'Policy officer in the commissioner’s office' },
] as const

export async function seedFoundation(seed: DemoSeed): Promise<void> {
  const { db, refs } = seed
  for (const area of DEMO_AREAS) {
    const row = await db
      .insertInto('areas')
      .values({ code: area.code, name: area.name, kind: area.kind, parent_id: 'parent' in area ? refs.areas[area.parent] : null, in_partnership: !('outside' in area) })
      .returning('id')
      .executeTakeFirstOrThrow()
    refs.areas[area.code] = row.id
  }
  for (const a of AGENCIES) {
    const row = await db
      .insertInto('agencies')
      .values({ name: a.name, short_name: a.short, kind: a.kind, area_id: refs.areas[a.area], holds_personal_data: a.kind !== 'oversight' })
      .returning('id')
      .executeTakeFirstOrThrow()
    refs.agencies[a.key] = row.id
  }
  for (const t of TEAMS) {
    const row = await db.insertInto('teams').values({ agency_id: refs.agencies[t.agency], name: t.name }).returning('id').executeTakeFirstOrThrow()
    refs.teams[t.key] = row.id
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  for (const u of DEMO_USERS) {
    const row = await db
      .insertInto('users')
      .values({
        email: u.email,
        name: u.name,
        role: u.role,
        agency_id: refs.agencies[u.agency],
        team_id: u.team ? refs.teams[u.team] : null,
        password_hash: passwordHash,
        demo_account: true,
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    refs.users[u.key] = row.id
  }
}
