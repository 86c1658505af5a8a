/** Fields never shown back: the form's own machinery, and anything secret. */
const HIDDEN = /^(_csrf|version|baseVersion)$|password|token|secret/i
const DATE_PART = /^(.+)-(day|month|year|time)$/

/** "foundLocation" as "Found location", "rg" as "Rg": a label good enough to find the field again. */
const label = (name: string) => {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * What the user typed into a form that could not be saved (another user saved first), as label
 * and text, in the form's order, so the conflict page can keep it beside the saved version. GOV.UK
 * date inputs (name-day, -month, -year, -time) come back as one date. A form whose field names mean
 * nothing to a reader ("status-isolation") gives its questions' own words as labels, and an empty
 * label for a field that is no answer (the value of the button pressed).
 */
export function typedFields(body: unknown, labels: Record<string, string> = {}): { label: string; text: string }[] {
  const labelOf = (name: string) => labels[name] ?? label(name)
  if (!body || typeof body !== 'object') return []
  const out: { label: string; text: string }[] = []
  const dates = new Map<string, Record<string, string>>()
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    if (HIDDEN.test(name) || labels[name] === '') continue
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    if (!values.length) continue
    const part = name.match(DATE_PART)
    if (part) {
      if (!dates.has(part[1])) {
        dates.set(part[1], {})
        out.push({ label: labelOf(part[1]), text: '' })
      }
      dates.get(part[1])![part[2]] = values[0]
      continue
    }
    out.push({ label: labelOf(name), text: values.join(', ') })
  }
  for (const [name, p] of dates) {
    const entry = out.find((o) => o.label === labelOf(name) && o.text === '')!
    entry.text = [[p.day, p.month, p.year].filter(Boolean).join('/'), p.time].filter(Boolean).join(' ')
  }
  return out
}
