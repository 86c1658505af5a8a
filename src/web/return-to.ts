/**
 * The round trip from a report's triage to another capability's "new record" page and back.
 *
 * The triage page sends the officer to, say, /people/new with `returnTo` naming a pending link of
 * this session; the other capability's form carries it through, and on saving redirects there
 * with `created=<the new record's id>`. The return address comes from the browser, so it is
 * checked here on the server against the one shape it may have: a path under /public-reports/
 * with nothing that a browser could read as another site (no scheme, no `//`, no backslash, no
 * dot segment, no query). Anything else is ignored, never followed.
 */
const PENDING_LINK_PATH = /^\/public-reports\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/links\/new\/[A-Za-z0-9_-]{22,64}$/

/** The return address if it is a pending-link path of the triage pages, otherwise undefined. */
export function safeReturnTo(value: unknown): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value
  return typeof raw === 'string' && PENDING_LINK_PATH.test(raw) ? raw : undefined
}

/** Where to send the officer once the record is saved: the return address, naming the new record. */
export function returnWithCreated(returnTo: string, createdId: string): string {
  const safe = safeReturnTo(returnTo)
  if (!safe) throw new Error('Not a return address of the triage pages')
  return `${safe}?created=${encodeURIComponent(createdId)}`
}

/** Where to send the officer who found the person already recorded: the return address, naming that record. */
export function returnWithExisting(returnTo: string, existingId: string): string {
  const safe = safeReturnTo(returnTo)
  if (!safe) throw new Error('Not a return address of the triage pages')
  return `${safe}?existing=${encodeURIComponent(existingId)}`
}

/** The return address for one pending link. */
export function pendingLinkPath(reportId: string, token: string): string {
  return `/public-reports/${reportId}/links/new/${token}`
}
