import { describe, expect, it } from 'vitest'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import type { Page } from 'playwright-core'
import type { TestApp } from '../support/app.ts'
import { settled, signIn, signOut, useBrowserApp, visit } from '../support/browser.ts'
import { personReferences } from '../../src/modules/linkage/merge-store.ts'
import { sql } from 'kysely'

let app: TestApp
let page: Page

useBrowserApp((s) => ({ app, page } = s))

const click = async (name: string, role: 'button' | 'link' = 'button') => {
  await page.getByRole(role, { name, exact: true }).first().click()
  await settled(page)
}

/** Every row referencing either person and the two people rows, as sorted JSON (merge history excluded). */
async function snapshot(ids: string[]) {
  const db = app.database.db
  const out: Record<string, string[]> = {}
  for (const ref of await personReferences(db)) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.id(ref.table)} where ${sql.id(ref.column)} in (${sql.join(ids)})`.execute(db)
    out[`${ref.table}.${ref.column}`] = rows.filter((r) => r.ref_type !== 'linkage_merge').map((r) => JSON.stringify(r)).sort()
  }
  out.shares = (await db.selectFrom('record_shares').selectAll().where('record_id', 'in', ids).execute()).map((r) => JSON.stringify(r)).sort()
  out.people = (await db.selectFrom('people').selectAll().where('id', 'in', ids).execute()).map((r) => JSON.stringify(r)).sort()
  return out
}

describe('record linkage in the browser', () => {
  it('warns a police officer entering Jaden Price that Jayden Price and Jaden Pryce are already recorded', async () => {
    const jayden = await app.database.db.selectFrom('people').select(['id', 'date_of_birth']).where('given_name', '=', 'Jayden').where('family_name', '=', 'Price').executeTakeFirstOrThrow()
    const [y, m, d] = jayden.date_of_birth!.split('-')
    await signIn(page, app.baseUrl, 'officer@lantern.test')
    await visit(page, `${app.baseUrl}/people/new`)
    await page.getByLabel('A child or young person at risk').check()
    await page.getByLabel('First name').fill('Jaden')
    await page.getByLabel('Last name', { exact: true }).fill('Price')
    await page.locator('#dob-day').fill(String(Number(d)))
    await page.locator('#dob-month').fill(String(Number(m)))
    await page.locator('#dob-year').fill(y)
    await page.getByLabel('Male', { exact: true }).check()
    await page.locator('#homeAreaId').selectOption({ label: 'Lambeth' })
    await page.locator('#currentAreaId').selectOption({ label: 'Southampton' })
    await click('Save record')
    expect((await page.locator('h1').first().textContent())?.trim()).toBe('Is this one of these?')
    const table = page.locator('#possible-matches')
    expect(await table.textContent()).toContain('Jayden Price')
    expect(await table.textContent()).toContain('Jaden Pryce')
    await page.getByRole('link', { name: /Yes, open this record \(Jayden Price\)/ }).click()
    await settled(page)
    expect(await page.locator('h1').first().textContent()).toContain('Jayden Price')
    await signOut(page)
  })

  it('an analyst runs a bulk match of two extracts and decides a pair in the review queue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-linkage-'))
    const left = join(dir, 'council.csv')
    const right = join(dir, 'police.csv')
    writeFileSync(left, 'case_no,first_name,last_name,dob,gender,postcode\nC1,Kyle,Marsh,2011-02-03,M,PO9 1AB\nC2,Aaliyah,Brooks,2012-05-06,F,RG21 7LJ\nC3,Tia,Walsh,2011-07-08,F,GU14 6XR\n')
    writeFileSync(right, 'nominal,forename,surname,date_of_birth,sex,post_code\nP1,Kyle,Marsh,2011-02-03,M,PO9 1AB\nP2,Aliyah,Brookes,2012-05-06,F,RG21 7LJ\nP3,Mason,Clarke,2009-04-04,M,PO1 2EB\n')
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, `${app.baseUrl}/linkage`)
    await click('Start a matching run')
    await page.getByLabel('Name of this run').fill('Browser run')
    await page.getByLabel(/Two extracts/).check()
    await page.getByLabel('First extract (CSV)').setInputFiles(left)
    await page.getByLabel(/Second extract/).setInputFiles(right)
    await click('Upload and choose columns')
    expect((await page.locator('h1').first().textContent())?.trim()).toBe('Choose the columns to match on')
    await page.locator('#left-id').selectOption('case_no')
    await page.locator('#right-id').selectOption('nominal')
    await page.locator('#reviewFrom').fill('0.01')
    await click('Run matching')
    expect((await page.locator('h1').first().textContent())?.trim()).toBe('Browser run')
    expect(await page.locator('#matches').first().textContent()).toContain('Kyle Marsh')

    // The demo run's review queue: the evidence side by side with the waterfall, then a decision.
    await visit(page, `${app.baseUrl}/linkage`)
    await page.getByRole('link', { name: 'Council and police children, autumn extract' }).click()
    await settled(page)
    // Waiting pairs are grouped into clusters of pairs that share a record; each pair opens on its own too.
    const waiting = page.getByTestId('cluster').locator('tbody a')
    expect(await waiting.count()).toBeGreaterThan(0)
    await waiting.first().click()
    await settled(page)
    expect(await page.locator('#waterfall').count()).toBe(1)
    await click('Save and go to the next pair')
    expect(await page.locator('.govuk-error-summary').first().textContent()).toContain('Select whether these are the same person')
    await page.getByLabel('Accept: the same person').check()
    await click('Save and go to the next pair')
    const decided = await app.database.db.selectFrom('linkage_run_pairs').select('id').where('decision', '=', 'accepted').execute()
    expect(decided.length).toBe(1)
  })

  it('the analyst checks Jayden Price’s record for duplicates from his page and goes on to compare it with Jaden Pryce', async () => {
    const jayden = (await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Jayden').where('family_name', '=', 'Price').executeTakeFirstOrThrow()).id
    await visit(page, `${app.baseUrl}/people/${jayden}`)
    await click('Check for duplicates')
    expect(await page.locator('#person-matches').textContent()).toContain('Jaden Pryce')
    await page.getByRole('link', { name: /Compare and merge with Jaden Pryce/ }).click()
    await settled(page)
    expect((await page.locator('h1').first().textContent())?.trim()).toBe('Are these the same person?')
    expect(await page.locator('#waterfall').count()).toBe(1)
  })

  it('the analyst finds duplicates among Lantern’s own people, accepts Jayden and Jaden in the run, and is led to compare them', async () => {
    const db = app.database.db
    await visit(page, `${app.baseUrl}/linkage`)
    await click('Find duplicates among Lantern’s people', 'button')
    await page.getByLabel('Name of this run').fill('Browser register run')
    await page.getByLabel(/Review pairs from this likelihood/).fill('0.05')
    await click('Find duplicates')
    expect((await page.locator('h1').first().textContent())?.trim()).toBe('Browser register run')
    const run = await db.selectFrom('linkage_runs').select(['id', 'kind']).where('name', '=', 'Browser register run').executeTakeFirstOrThrow()
    expect(run.kind).toBe('people')
    const names = await db.selectFrom('people').select('id').where((eb) => eb.or([eb.and([eb('given_name', '=', 'Jayden'), eb('family_name', '=', 'Price')]), eb.and([eb('given_name', '=', 'Jaden'), eb('family_name', '=', 'Pryce')])])).execute()
    const ids = names.map((n) => n.id)
    const pair = await db.selectFrom('linkage_run_pairs').select('id').where('run_id', '=', run.id).where('person_left', 'in', ids).where('person_right', 'in', ids).executeTakeFirstOrThrow()
    await visit(page, `${app.baseUrl}/linkage/runs/${run.id}/pairs/${pair.id}`)
    await page.getByLabel('Accept: the same person').check()
    await click('Save and go to the next pair')
    await visit(page, `${app.baseUrl}/linkage/runs/${run.id}`)
    await page.locator('#decided').getByRole('link', { name: /Compare and merge/ }).click()
    await settled(page)
    expect((await page.locator('h1').first().textContent())?.trim()).toBe('Are these the same person?')
  })

  it('the analyst merges Jaden Pryce into Jayden Price, and an unmerge restores both records exactly', async () => {
    const db = app.database.db
    const jayden = (await db.selectFrom('people').select('id').where('given_name', '=', 'Jayden').where('family_name', '=', 'Price').executeTakeFirstOrThrow()).id
    const jaden = (await db.selectFrom('people').select('id').where('given_name', '=', 'Jaden').where('family_name', '=', 'Pryce').executeTakeFirstOrThrow()).id
    const before = await snapshot([jayden, jaden])
    // Found by name, not by typing ids: "Jaden Price" and "Jaden Pryce".
    await visit(page, `${app.baseUrl}/linkage`)
    await page.getByLabel('First person’s name').fill('Jayden Price')
    await page.getByLabel('Second person’s name').fill('Jaden Prise')
    await click('Find them')
    await page.locator(`input[name="a"][value="${jayden}"]`).check()
    await page.locator(`input[name="b"][value="${jaden}"]`).check()
    await click('Compare these two')
    expect(page.url()).toBe(`${app.baseUrl}/linkage/compare?a=${jayden}&b=${jaden}`)
    expect(await page.locator('#waterfall').count()).toBe(1)
    await page.getByLabel(/Keep record A/).check()
    // No reason, no merge: the error summary, and the choice kept.
    await click('Continue')
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter why these records are the same person')
    expect(await page.getByLabel(/Keep record A/).isChecked()).toBe(true)
    await page.getByLabel('Why are these the same person?').fill('Same date of birth, same placement in Southampton')
    await click('Continue')
    expect((await page.locator('h1').first().textContent())?.trim()).toBe('Check the merge before you send it')
    expect(await page.locator('#merge-check').textContent()).toContain('Hampshire County Council')
    await click('Send the merge request')
    expect(await page.locator('h1').first().textContent()).toContain('Waiting')
    expect((await db.selectFrom('people').select('merged_into').where('id', '=', jaden).executeTakeFirstOrThrow()).merged_into).toBeNull()
    const mergeUrl = page.url()
    await signOut(page)

    // Jayden's record is the council's: its manager agrees, and the merge is made.
    await signIn(page, app.baseUrl, 'manager@lantern.test')
    await visit(page, `${app.baseUrl}/linkage`)
    await page.locator('#pending-merges').getByRole('link', { name: /Jayden Price/ }).click()
    await settled(page)
    expect(page.url()).toBe(mergeUrl)
    await click('Agree to this merge')
    expect(await page.locator('h1').first().textContent()).toContain('Merged')
    expect((await db.selectFrom('people').select('merged_into').where('id', '=', jaden).executeTakeFirstOrThrow()).merged_into).toBe(jayden)
    await signOut(page)

    // The analyst, who sees both records, undoes it, with a reason.
    await signIn(page, app.baseUrl, 'analyst@lantern.test')
    await visit(page, mergeUrl)
    await click('Undo merge')
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter why the merge is being undone')
    await page.getByLabel('Why undo it?').fill('Shown in a browser test')
    await click('Undo merge')
    expect(await page.locator('h1').first().textContent()).toContain('Undone')
    expect(await snapshot([jayden, jaden])).toEqual(before)
  })
})
