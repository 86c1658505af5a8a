import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { TestClient } from '../../test/support/http.ts'

/**
 * Upload forms parse their own multipart bodies, after the middleware that refuses control
 * characters in every other request has run: a broken body or a control character in a file's
 * name must be a 400 there too, never a 500 (issue 15).
 */
let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => {
  await app?.close()
})

const BOUNDARY = '----lantern-upload-test'
const CSV = 'id,first_name\n1,Kyle\n'

/** A multipart body written by hand, as no browser would: `disposition` is the file part's own. */
function body(fields: Record<string, string>, fileField: string, disposition: string, end = `--${BOUNDARY}--\r\n`): Buffer {
  const parts = Object.entries(fields).map(([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
  parts.push(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${fileField}"; ${disposition}\r\nContent-Type: text/csv\r\n\r\n${CSV}\r\n`)
  return Buffer.from(parts.join('') + end, 'latin1')
}

interface Upload {
  email: string
  path: string
  fields: Record<string, string>
  file: string
}

const UPLOADS: Upload[] = [
  { email: 'manager@lantern.test', path: '/public-reports/import', fields: { channel: 'phone_101' }, file: 'file' },
  { email: 'analyst@lantern.test', path: '/linkage/runs/new', fields: { name: 'Upload test', kind: 'dedupe' }, file: 'left' },
  { email: 'analyst@lantern.test', path: '/indicators/import', fields: {}, file: 'files' },
  { email: 'admin@lantern.test', path: '/indicators/populations/upload', fields: {}, file: 'file' },
  { email: 'analyst@lantern.test', path: '/network/calls', fields: { handling: 'P' }, file: 'file' },
  { email: 'partnership@lantern.test', path: '/scrutiny/manage/import', fields: {}, file: 'file' },
]

const BAD_BODIES: Record<string, (u: Upload) => Buffer> = {
  'a NUL byte in a part header': (u) => body(u.fields, u.file, 'filename="a\u0000b.csv"'),
  'a NUL byte in the file name, percent-encoded (RFC 5987)': (u) => body(u.fields, u.file, "filename*=utf-8''calls%00.csv"),
  'an escape character in the file name, percent-encoded': (u) => body(u.fields, u.file, "filename*=utf-8''calls%1B.csv"),
  'a body cut short': (u) => body(u.fields, u.file, 'filename="calls.csv"', `--${BOUNDARY}`),
}

describe('upload forms given a malformed multipart body', () => {
  it.each(UPLOADS)('$path answers 400, never 5xx', async (upload) => {
    const client = new TestClient(app.baseUrl)
    expect((await client.signIn(upload.email)).status).toBe(302)
    const token = await client.csrfToken()
    const cookie = (client as unknown as { cookieHeader(): string }).cookieHeader()
    const statuses: Record<string, number> = {}
    for (const [what, make] of Object.entries(BAD_BODIES)) {
      const res = await fetch(`${app.baseUrl}${upload.path}?_csrf=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: new Uint8Array(make(upload)),
        redirect: 'manual',
      })
      await res.arrayBuffer()
      statuses[what] = res.status
    }
    expect(statuses).toEqual(Object.fromEntries(Object.keys(BAD_BODIES).map((what) => [what, 400])))
  })
})
