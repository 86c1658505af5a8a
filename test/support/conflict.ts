import { expect } from 'vitest'
import type { TestClient } from './http.ts'

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()

const attr = (tag: string, name: string) => {
  const raw = tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1]
  return raw === undefined ? undefined : text(raw)
}

export interface ConflictRow {
  question: string
  mine: string
  theirs: string
  differs: boolean
}

/** Lantern's one conflict page as its reader meets it: both versions side by side and the two choices. */
export interface ConflictPage {
  rows: ConflictRow[]
  /** "Keep my changes and overwrite theirs": where it posts and what, or null when not offered. */
  keepMine: { action: string; fields: [string, string][] } | null
  /** "Discard my changes and see theirs": the page it opens, or null when it only says how. */
  seeTheirs: string | null
}

/**
 * Reads a response as the shared conflict page, failing the test if it is not one: a 409 with the
 * same heading, the side-by-side table and the same two choices in the same words as every other.
 */
export async function conflictPage(res: Response): Promise<ConflictPage> {
  expect(res.status).toBe(409)
  const html = await res.text()
  expect(html).toContain('Someone else changed this record while you were editing it')
  const choices = html.split('data-testid="conflict-choices"')[1]
  expect(choices, 'the conflict page’s choices').toBeDefined()
  expect(choices).toContain('Discard my changes and see theirs')
  const table = html.split('data-testid="what-you-typed"')[1]?.split('</table>')[0] ?? ''
  const rows = [...table.matchAll(/<tr class="govuk-table__row" data-field="[^"]*"( data-differs)?>([\s\S]*?)<\/tr>/g)].map((m) => {
    const [question, mine, theirs] = [...m[2].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1]))
    return { question: question.replace(/ Differs$/, ''), mine, theirs, differs: Boolean(m[1]) }
  })
  const form = choices.match(/<form[^>]*data-testid="keep-mine"[^>]*>([\s\S]*?)<\/form>/)
  const keepMine = form
    ? {
        action: attr(form[0].match(/<form[^>]*>/)![0], 'action')!,
        fields: [...form[1].matchAll(/<input type="hidden"[^>]*>/g)].map((i) => [attr(i[0], 'name')!, attr(i[0], 'value')!] as [string, string]).filter(([name]) => name !== '_csrf'),
      }
    : null
  if (keepMine) expect(form![1]).toContain('Keep my changes and overwrite theirs')
  const link = choices.match(/<a [^>]*data-testid="see-theirs"[^>]*>/)
  return { rows, keepMine, seeTheirs: link ? (attr(link[0], 'href') ?? null) : null }
}

/** The row for one question; fails the test when the page has none. */
export function row(page: ConflictPage, question: string): ConflictRow {
  const found = page.rows.find((r) => r.question === question)
  expect(found, `a row for “${question}” among ${page.rows.map((r) => r.question).join(', ')}`).toBeDefined()
  return found!
}

/** Presses "Keep my changes and overwrite theirs" as a browser would: posts the page's own form. */
export async function keepMine(client: TestClient, page: ConflictPage): Promise<Response> {
  expect(page.keepMine, 'the choice to keep my changes').not.toBeNull()
  const form: Record<string, string[]> = {}
  for (const [name, value] of page.keepMine!.fields) (form[name] ??= []).push(value)
  return client.post(page.keepMine!.action, form)
}
