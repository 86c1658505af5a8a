import nunjucks from 'nunjucks'
import path from 'node:path'
import type { Express } from 'express'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
// Views are found beside the code (the production build copies them into dist/ in the same
// places), the design systems' macros in the install folder's node_modules.
const views = path.resolve(here, '..')
const root = path.resolve(here, '../..')

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' })
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
  timeZone: 'Europe/London',
})

function toDate(value: unknown): Date | null {
  if (value == null || value === '') return null
  const d = value instanceof Date ? value : new Date(String(value).length === 10 ? `${String(value)}T12:00:00Z` : String(value))
  return Number.isNaN(d.getTime()) ? null : d
}

/**
 * A match likelihood as every page shows it: one decimal, never rounded up to a certainty it is
 * not ("more than 99.9%", not "100%"), so that one pair reads the same wherever it appears.
 */
export function formatLikelihood(p: unknown): string {
  if (typeof p !== 'number' || Number.isNaN(p)) return ''
  if (p >= 1) return '100%'
  if (p <= 0) return '0%'
  if (p > 0.999) return 'more than 99.9%'
  if (p < 0.001) return 'less than 0.1%'
  return `${(Math.round(p * 1000) / 10).toFixed(1)}%`
}

/** Calendar dates already written out: Intl formatting costs more than the rest of a table row. */
const writtenDates = new Map<string, string>()

/** "4 March 2026" */
export function formatDate(value: unknown): string {
  if (typeof value === 'string' && value.length === 10) {
    let written = writtenDates.get(value)
    if (written === undefined) {
      const d = toDate(value)
      written = d ? dateFormat.format(d) : ''
      if (writtenDates.size >= 20_000) writtenDates.clear()
      writtenDates.set(value, written)
    }
    return written
  }
  const d = toDate(value)
  return d ? dateFormat.format(d) : ''
}

const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })

/** "March 2026", from "2026-03" */
export function formatMonth(value: unknown): string {
  return typeof value === 'string' && /^\d{4}-\d{2}$/.test(value) ? monthFormat.format(new Date(`${value}-01T00:00:00Z`)) : ''
}

/** "4 March 2026, 2:05pm" */
export function formatDateTime(value: unknown): string {
  const d = toDate(value)
  return d ? dateTimeFormat.format(d).replace(' am', 'am').replace(' pm', 'pm').replace(' at ', ', ') : ''
}

const RAG_TAGS: Record<string, string> = {
  red: '<strong class="govuk-tag govuk-tag--red lantern-rag">Red</strong>',
  amber: '<strong class="govuk-tag govuk-tag--yellow lantern-rag">Amber</strong>',
  green: '<strong class="govuk-tag govuk-tag--green lantern-rag">Green</strong>',
}
const NOT_RATED = '<strong class="govuk-tag govuk-tag--grey lantern-rag">Not rated</strong>'

/**
 * A RAG rating as a GOV.UK tag; the colour is never the only cue (the word is there). A filter
 * (`level | ragTag`) rather than a macro because lists show one per row and a macro call costs
 * several times as much; the `ragTag` macro in partials/macros.njk gives the same markup.
 */
export function ragTag(level: unknown): nunjucks.runtime.SafeString {
  return new nunjucks.runtime.SafeString(RAG_TAGS[String(level)] ?? NOT_RATED)
}

/**
 * `{% cached "name" %}…{% endcached %}`: renders its body once per process and reuses the markup.
 * Only for markup that depends on nothing but the optional key (`{% cached "name", key %}`, any
 * JSON value): the GOV.UK header and footer, the same on every page, cost more to render than a
 * bare page. At most `CACHED_VARIANTS` keys per name are kept.
 */
const CACHED_VARIANTS = 1000

/** The parts of Nunjucks' parser an extension uses (the package has no types for them). */
interface ExtensionParser {
  nextToken(): { value: string }
  parseSignature(tolerant: null, noParens: boolean): unknown
  advanceAfterBlockEnd(name?: string): void
  parseUntilBlocks(...names: string[]): unknown
}
interface ExtensionNodes {
  CallExtension: new (extension: object, method: string, args: unknown, contentArgs: unknown[]) => unknown
}

class CachedExtension {
  tags = ['cached']
  private readonly markup = new Map<string, Map<string, string>>()

  parse(parser: ExtensionParser, nodes: ExtensionNodes) {
    const tag = parser.nextToken()
    const args = parser.parseSignature(null, true)
    parser.advanceAfterBlockEnd(tag.value)
    const body = parser.parseUntilBlocks('endcached')
    parser.advanceAfterBlockEnd()
    return new nodes.CallExtension(this, 'run', args, [body])
  }

  run(_context: unknown, name: string, ...rest: unknown[]) {
    const body = rest[rest.length - 1] as () => string
    const key = rest.length > 1 ? JSON.stringify(rest[0]) : ''
    let variants = this.markup.get(name)
    if (!variants) this.markup.set(name, (variants = new Map()))
    let html = variants.get(key)
    if (html === undefined) {
      html = String(body())
      if (variants.size >= CACHED_VARIANTS) variants.clear()
      variants.set(key, html)
    }
    return new nunjucks.runtime.SafeString(html)
  }
}

export function configureNunjucks(app?: Express): nunjucks.Environment {
  const env = nunjucks.configure(
    [
      path.join(views, 'web/views'),
      path.join(views, 'modules'),
      path.join(root, 'node_modules/govuk-frontend/dist'),
      path.join(root, 'node_modules/@ministryofjustice/frontend'),
    ],
    { autoescape: true, express: app, noCache: process.env.NODE_ENV === 'development' },
  )
  // Nunjucks resolves a relative include ("./template.njk", as every GOV.UK macro has) against
  // each loader's folder with path.resolve on every render; the answer never changes.
  for (const loader of (env as unknown as { loaders: { resolve?: (from: string, to: string) => string }[] }).loaders) {
    const resolve = loader.resolve?.bind(loader)
    if (!resolve) continue
    const resolved = new Map<string, string>()
    loader.resolve = (from, to) => {
      const key = `${from}\0${to}`
      let path = resolved.get(key)
      if (path === undefined) resolved.set(key, (path = resolve(from, to)))
      return path
    }
  }
  env.addExtension('cached', new CachedExtension())
  env.addFilter('ragTag', ragTag)
  env.addFilter('date', formatDate)
  env.addFilter('dateTime', formatDateTime)
  env.addFilter('month', formatMonth)
  env.addFilter('likelihood', formatLikelihood)
  env.addFilter('number', (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-GB') : (n ?? '')))
  /** Builds GOV.UK select/radio items from [{value,text}] marking the chosen one. */
  env.addFilter('toItems', (list: { value: string; text: string }[] | undefined, selected?: string | string[], placeholder?: string) => {
    const chosen = Array.isArray(selected) ? selected : selected == null ? [] : [selected]
    const items = (list ?? []).map((i) => ({ value: i.value, text: i.text, selected: chosen.includes(i.value), checked: chosen.includes(i.value) }))
    return placeholder ? [{ value: '', text: placeholder }, ...items] : items
  })
  env.addFilter('errorFor', (errors: { fields?: Record<string, { text: string }> } | undefined, field: string) => errors?.fields?.[field])
  return env
}
