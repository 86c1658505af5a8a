/**
 * A tiny cookie-keeping HTTP client for route tests: it signs in through the real form with its
 * CSRF token, so tests exercise exactly what a browser does.
 */
export class TestClient {
  private cookies = new Map<string, string>()
  /** `headers` go with every request: an `x-forwarded-for` makes the client another address behind a trusted proxy. */
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  /**
   * Waits for the whole response, not only its headers, and keeps the cookies. express-session
   * holds back a response's last byte until a save it makes while the response ends has finished
   * (after sign-in it saves the regenerated session once more), so a test that went on at the
   * headers could race that write: change the session row, and have the late save undo it.
   */
  private async settle(res: Response): Promise<Response> {
    await res.clone().arrayBuffer()
    this.remember(res)
    return res
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [name, ...rest] = pair.split('=')
      const value = rest.join('=')
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.settle(await fetch(this.baseUrl + path, { headers: { ...this.headers, cookie: this.cookieHeader(), ...headers }, redirect: 'manual' }))
  }

  async post(path: string, form: Record<string, string | string[]>, options: { csrf?: boolean } = {}): Promise<Response> {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item)
    if (options.csrf !== false && !('_csrf' in form)) body.set('_csrf', await this.csrfToken())
    return this.settle(
      await fetch(this.baseUrl + path, {
        method: 'POST',
        headers: { ...this.headers, cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'manual',
      }),
    )
  }

  /** A CSRF token from a page with a form on it (the sign-in page always has one). */
  async csrfToken(path = '/sign-in'): Promise<string> {
    let res = await this.get(path)
    // Signed in, the sign-in page redirects; every staff page has the sign-out form and its token.
    if (res.status >= 300 && res.status < 400) res = await this.get('/dashboard')
    const html = await res.text()
    const match = html.match(/name="_csrf" value="([^"]+)"/)
    if (!match) throw new Error(`no CSRF token on ${path}`)
    return match[1]
  }

  /**
   * Signs in through the form. With `code` (or a function making one), a second step that asks
   * for the authenticator's code is answered too; the answer to the last step is returned.
   */
  async signIn(email: string, password = 'lantern-demo-2026', options: { code?: string | (() => string) } = {}): Promise<Response> {
    const token = await this.csrfToken('/sign-in')
    const res = await this.post('/sign-in', { email, password, _csrf: token })
    if (options.code === undefined || res.headers.get('location') !== '/sign-in/code') return res
    const code = typeof options.code === 'function' ? options.code() : options.code
    return this.post('/sign-in/code', { code })
  }

  cookie(name: string) {
    return this.cookies.get(name)
  }
}

/** A client signed in through the form as `email`, failing the test when the sign-in is refused. */
export async function signedInAs(baseUrl: string, email: string): Promise<TestClient> {
  const client = new TestClient(baseUrl)
  const res = await client.signIn(email)
  if (res.status !== 302) throw new Error(`signing in as ${email} answered ${res.status}, not a redirect`)
  return client
}

/** A page's words without its markup, entities the tests meet decoded, spaces collapsed. */
export const pageText = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
