import type { DemoSeed } from '../../demo/context.ts'
import { isoDate } from '../../demo/context.ts'
import { formatDate } from '../../web/nunjucks.ts'
import { DemoEvents } from '../people/index.ts'
import { demoAt } from '../../demo/context.ts'
import { referralsDemoStore } from './demo-store.ts'

/**
 * NRM referrals (Kyle's with a positive reasonable-grounds decision, Jayden's awaiting one, and a
 * few across the caseload for the monthly figures) and the CAWNs served on Jay and Reece.
 */
export async function seedReferrals(seed: DemoSeed) {
  const { db, refs, today, random } = seed
  const store = referralsDemoStore(db)
  const day = (daysAgo: number) => isoDate(demoAt(today, daysAgo))
  const events = new DemoEvents()
  const p = refs.people

  async function nrm(personId: string, r: { referred: number; fro: string; by: string; rg?: ['positive' | 'negative', number]; cg?: ['positive' | 'negative', number]; notes?: string }) {
    const froName = await store.agencyName(refs.agencies[r.fro])
    const row = await store.insertNrm({
      person_id: personId,
      referred_on: day(r.referred),
      first_responder_agency_id: refs.agencies[r.fro],
      reference: `NRM-${random.digits(7)}`,
      exploitation_types: JSON.stringify(['criminal']),
      rg_decision: r.rg?.[0] ?? null,
      rg_decision_on: r.rg ? day(r.rg[1]) : null,
      cg_decision: r.cg?.[0] ?? null,
      cg_decision_on: r.cg ? day(r.cg[1]) : null,
      notes: r.notes ?? null,
      created_by: refs.users[r.by],
      created_at: demoAt(today, r.referred, '14:00'),
      updated_by: refs.users[r.by],
      updated_at: demoAt(today, r.rg?.[1] ?? r.referred, '14:00'),
    })
    const ref = { refType: 'nrm_referral', refId: row.id }
    events.add({ personId, kind: 'nrm-referral', summary: `Referred to the National Referral Mechanism on ${formatDate(day(r.referred))} by ${froName}`, actorId: refs.users[r.by], at: demoAt(today, r.referred, '14:00'), ...ref })
    if (r.rg) events.add({ personId, kind: 'nrm-decision', summary: `NRM reasonable grounds decision: ${r.rg[0]}`, actorId: refs.users[r.by], at: demoAt(today, r.rg[1], '12:00'), ...ref })
    if (r.cg) events.add({ personId, kind: 'nrm-decision', summary: `NRM conclusive grounds decision: ${r.cg[0]}`, actorId: refs.users[r.by], at: demoAt(today, r.cg[1], '12:00'), ...ref })
  }

  await nrm(p.kyle, { referred: 18, fro: 'county', by: 'practitioner', rg: ['positive', 10], notes: 'Criminal exploitation by the “Jay” line: found in Portsmouth with drugs and cash he was made to carry to pay off a debt.' })
  await nrm(p.jayden, { referred: 25, fro: 'police', by: 'officer', notes: 'Looked-after child from Lambeth found running drugs in Havant. Lambeth children’s services informed.' })
  // Across the caseload, for the monthly figures.
  const reds = Object.entries(refs.crowdRisk ?? {})
    .filter(([, level]) => level !== 'green')
    .map(([key]) => key)
  for (const key of reds.slice(0, 7)) {
    const referred = random.int(40, 330)
    const rgAfter = random.int(5, 30)
    const rg = referred - rgAfter > 2 ? ([random.chance(0.8) ? 'positive' : 'negative', referred - rgAfter] as ['positive' | 'negative', number]) : undefined
    const cg = rg && rg[0] === 'positive' && rg[1] > 120 ? (['positive', rg[1] - random.int(60, 110)] as ['positive', number]) : undefined
    await nrm(p[key], { referred, fro: random.pick(['county', 'police']), by: random.pick(['practitioner', 'officer']), rg, cg })
  }

  // CAWNs: the adults who keep contact with the children against the council's wishes.
  async function cawn(childKey: string, adultKey: string, c: { served: number; expires: string; by: string; notes: string; breaches?: { daysAgo: number; description: string; action: string }[] }) {
    const adult = await store.personName(p[adultKey])
    const adultName = adult.preferred_name ? `${adult.given_name} (${adult.preferred_name}) ${adult.family_name}` : `${adult.given_name} ${adult.family_name}`
    const servedAt = demoAt(today, c.served, '16:00')
    const row = await store.insertCawn({
      person_id: p[childKey],
      adult_id: p[adultKey],
      served_on: day(c.served),
      expires_on: c.expires,
      served_by_agency_id: refs.agencies.police,
      reference: `CAWN-${random.digits(5)}`,
      notes: c.notes,
      created_by: refs.users[c.by],
      created_at: servedAt,
      updated_by: refs.users[c.by],
      updated_at: servedAt,
    })
    const ref = { refType: 'cawn', refId: row.id }
    events.add({ personId: p[childKey], kind: 'cawn-served', summary: `Child abduction warning notice served on ${adultName} on ${formatDate(day(c.served))}, until ${formatDate(c.expires)}`, actorId: refs.users[c.by], at: servedAt, ...ref })
    events.add({ personId: p[adultKey], kind: 'cawn-served', summary: `Child abduction warning notice served on ${formatDate(day(c.served))}, until ${formatDate(c.expires)}`, actorId: refs.users[c.by], at: servedAt, ...ref })
    for (const b of c.breaches ?? []) {
      await store.insertBreach({ cawn_id: row.id, occurred_on: day(b.daysAgo), description: b.description, action_taken: b.action, created_by: refs.users[c.by], created_at: demoAt(today, b.daysAgo, '18:00') })
      events.add({ personId: p[childKey], kind: 'cawn-breach', summary: `Breach of the child abduction warning notice against ${adultName} on ${formatDate(day(b.daysAgo))}`, actorId: refs.users[c.by], at: demoAt(today, b.daysAgo, '18:00'), ...ref })
      events.add({ personId: p[adultKey], kind: 'cawn-breach', summary: `Breach of a child abduction warning notice on ${formatDate(day(b.daysAgo))}`, actorId: refs.users[c.by], at: demoAt(today, b.daysAgo, '18:00'), ...ref })
    }
  }

  const birthday = async (key: string, age: number) => {
    const [y, m, d] = (await store.dateOfBirth(p[key]))!.split('-').map(Number)
    return `${y + age}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  }
  // Jayden is looked after: the notice runs to his 18th birthday.
  await cawn('jayden', 'jay', { served: 26, expires: await birthday('jayden', 18), by: 'officer', notes: 'Served at an address in Lambeth. Okoro told to have no contact with Jayden Price.' })
  await cawn('kyle', 'reece', {
    served: 15,
    expires: await birthday('kyle', 16) > day(-30) ? await birthday('kyle', 16) : await birthday('kyle', 18),
    by: 'officer',
    notes: 'Served in Portsmouth after Holloway was seen collecting Kyle from school.',
    breaches: [{ daysAgo: 6, description: 'Seen with Kyle in a car outside Havant Academy at the end of the school day.', action: 'Holloway arrested for breach of the notice; Kyle taken home. File passed to the CPS.' }],
  })
  await events.flush(db)
}
