import nunjucks from 'nunjucks'
import path from 'node:path'
import type { Express } from 'express'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

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

/** "4 March 2026" */
export function formatDate(value: unknown): string {
  const d = toDate(value)
  return d ? dateFormat.format(d) : ''
}

/** "4 March 2026, 2:05pm" */
export function formatDateTime(value: unknown): string {
  const d = toDate(value)
  return d ? dateTimeFormat.format(d).replace(' am', 'am').replace(' pm', 'pm').replace(' at ', ', ') : ''
}

export function configureNunjucks(app?: Express): nunjucks.Environment {
  const env = nunjucks.configure(
    [
      path.join(root, 'src/web/views'),
      path.join(root, 'src/modules'),
      path.join(root, 'node_modules/govuk-frontend/dist'),
      path.join(root, 'node_modules/@ministryofjustice/frontend'),
    ],
    { autoescape: true, express: app, noCache: process.env.NODE_ENV === 'development' },
  )
  env.addFilter('date', formatDate)
  env.addFilter('dateTime', formatDateTime)
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
