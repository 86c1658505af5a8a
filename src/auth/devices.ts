import { createHash } from 'node:crypto'
import Bowser from 'bowser'

/**
 * How a session is named on Your sessions and in its sign-out form: a hash of its id. The id
 * itself is the cookie's secret, so it never goes into a page, a URL or the audit trail.
 */
export function sessionKey(sid: string): string {
  return createHash('sha256').update(sid).digest('hex').slice(0, 32)
}

/** "Firefox on Windows" from a user agent, or what is known of it. */
export function describeDevice(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown browser'
  const parsed = Bowser.parse(userAgent)
  const browser = parsed.browser.name
  const os = parsed.os.name
  if (browser && os) return `${browser} on ${os}`
  return browser || os || 'Unknown browser'
}
