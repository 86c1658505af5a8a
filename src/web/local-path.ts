/**
 * True for a path on this site that is safe to redirect to after sign-in or break glass. Browsers
 * read `//host` and `/\host` (and tabs or newlines inside them) as another site, so a return
 * address must start with a single `/` and hold no backslash or control character at all.
 */
export function isLocalPath(value: unknown): value is string {
  // eslint-disable-next-line no-control-regex
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !/[\\\u0000-\u001f\u007f]/.test(value)
}
