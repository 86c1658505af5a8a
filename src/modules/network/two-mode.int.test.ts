import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { signedInAs } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'

describe.each(testDatabaseKinds())('people by what they share on $name', (kind) => {
  let app: TestApp
  const as = (email: string) => signedInAs(app.baseUrl, email)
  beforeAll(async () => {
    app = await startTestApp({ kind })
  }, 120_000)
  afterAll(async () => app?.close())

  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
  const section = (html: string, id: string) => text((html.split(`data-testid="${id}"`)[1] ?? '').split(/<\/table>|<\/h2>/)[0].replace(/^[^>]*>/, ''))

  it('shows the police who shares the JAY line’s phone with whom, and each person’s phones', async () => {
    const police = await as('officer@lantern.test')
    const res = await police.get('/network/two-mode?by=line')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<title>People by phones shared')
    expect(section(html, 'two-mode-summary')).toBe('4 people are linked to 2 phones; 3 pairs of people share one')
    expect(section(html, 'two-mode-pairs')).toContain(
      'Dwayne (Jay) Okoro and Kyle Marsh 1 JAY (07700 900461) Dwayne (Jay) Okoro and Reece Holloway 1 JAY (07700 900461) Kyle Marsh and Reece Holloway 1 JAY (07700 900461)',
    )
    // Kez runs the TOMMY line alone: in the people table, sharing with no one.
    expect(section(html, 'two-mode-people')).toMatch(/Kerry \(Kez\) Fletcher \(Adult\) TOMMY \(07700 900872\) 0 people/)
    // The picture names every person and phone.
    const picture = html.split('data-testid="two-mode-picture"')[1].split('</figure>')[0]
    expect(picture).toContain('<title id="two-mode-title">People by the phones they are linked to</title>')
    for (const name of ['Kyle Marsh', 'Reece Holloway', 'JAY (07700 900461)', 'TOMMY (07700 900872)']) expect(picture).toContain(`>${name}</text>`)
    expect(picture.match(/<line /g)).toHaveLength(4)
  })

  it('counts a closed link as history: Reece moved out of the trap house but shared it with Kyle and Mason', async () => {
    const police = await (await as('officer@lantern.test')).get('/network/two-mode?by=location')
    const pairs = section(await police.text(), 'two-mode-pairs')
    expect(pairs).toContain('Kyle Marsh and Reece Holloway 1 41 Arundel Street, Fratton, Portsmouth')
    expect(pairs).toContain('Gary Pike and Jayden Price 1 Flat 3, Dunsbury Way, Leigh Park, Havant')
  })

  it('shows the council only what it may see: no police phones, no police-only links, no police nominals', async () => {
    const council = await as('practitioner@lantern.test')
    const phones = await (await council.get('/network/two-mode?by=line')).text()
    expect(section(phones, 'two-mode-summary')).toBe('No one you can see is linked to any of the phones you can see')
    expect(phones).not.toContain('JAY (07700 900461)')
    const places = await (await council.get('/network/two-mode?by=location')).text()
    expect(section(places, 'two-mode-pairs')).toBe('Pairs of people linked to the same address, most shared first People How many Shared Kyle Marsh and Mason Clarke 1 41 Arundel Street, Fratton, Portsmouth')
    expect(places).not.toContain('Reece Holloway')
    // The C-handled link putting Kez in the OCG is the police's: the council sees no group at all.
    expect(section(await (await council.get('/network/two-mode?by=group')).text(), 'two-mode-summary')).toBe('No one you can see is linked to any of the groups you can see')
  })

  it('is audited as a search, naming what was shared and how many', async () => {
    await (await as('analyst@lantern.test')).get('/network/two-mode?by=vehicle')
    const audited = await app.database.db.selectFrom('audit_events').select(['action', 'details']).where('record_type', '=', 'network').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
    expect(audited).toMatchObject({ action: 'search', details: { report: 'two-mode', by: 'vehicle', people: 2, things: 1, pairs: 1 } })
  })

  it('answers a choice that is not on the list with the error summary, the form kept, never a 500; refuses a user without network access', async () => {
    const res = await (await as('analyst@lantern.test')).get('/network/two-mode?by=boat')
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('govuk-error-summary')
    expect(html).toContain('<a href="#by">Select what the people share</a>')
    expect(html).toContain('name="by" type="radio" value="line"')
    expect((await (await as('panel@lantern.test')).get('/network/two-mode?by=line')).status).toBe(403)
  })

  it('is linked from the explorer', async () => {
    expect(await (await (await as('analyst@lantern.test')).get('/network')).text()).toContain('<a class="govuk-link" href="/network/two-mode">People by what they share</a>')
  })
})
