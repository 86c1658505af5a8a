import { describe, expect, it } from 'vitest'
import { pendingLinkPath, returnWithCreated, safeReturnTo } from './return-to.ts'

const REPORT = '3f2b8c1e-7a4d-4c2e-9b1a-0d5e6f7a8b9c'
const TOKEN = 'Zq3v_8-kP0aLx2mN4bQ7rT1yW9cE5uH6'

describe('the return address of "record a new one and link it"', () => {
  it('accepts the pending-link path of a report, and names the new record on it', () => {
    const path = pendingLinkPath(REPORT, TOKEN)
    expect(safeReturnTo(path)).toBe(path)
    expect(returnWithCreated(path, 'a1b2c3d4-0000-4000-8000-000000000001')).toBe(`${path}?created=a1b2c3d4-0000-4000-8000-000000000001`)
  })

  it.each([
    ['another site', 'https://evil.example/public-reports/x'],
    ['a protocol-relative address', `//evil.example${pendingLinkPath(REPORT, TOKEN)}`],
    ['a backslash browsers read as //', `/\\evil.example/public-reports/${REPORT}/links/new/${TOKEN}`],
    ['a dot segment', `/public-reports/${REPORT}/../../admin/users/links/new/${TOKEN}`],
    ['an encoded slash', `/public-reports/${REPORT}%2F..%2Fadmin/links/new/${TOKEN}`],
    ['another page of Lantern', '/admin/users'],
    ['another triage page', `/public-reports/${REPORT}/close`],
    ['a query of its own', `${pendingLinkPath(REPORT, TOKEN)}?created=x`],
    ['a fragment', `${pendingLinkPath(REPORT, TOKEN)}#x`],
    ['a short token', `/public-reports/${REPORT}/links/new/abc`],
    ['a trailing newline', `${pendingLinkPath(REPORT, TOKEN)}\n`],
    ['javascript:', 'javascript:alert(1)'],
  ])('ignores %s', (_what, value) => {
    expect(safeReturnTo(value)).toBeUndefined()
    expect(() => returnWithCreated(value, REPORT)).toThrow()
  })

  it('ignores anything that is not one string', () => {
    expect(safeReturnTo(undefined)).toBeUndefined()
    expect(safeReturnTo(42)).toBeUndefined()
    expect(safeReturnTo({ toString: () => pendingLinkPath(REPORT, TOKEN) })).toBeUndefined()
    // A repeated query parameter arrives as an array: the first is checked like any other.
    expect(safeReturnTo([pendingLinkPath(REPORT, TOKEN), '//evil.example'])).toBe(pendingLinkPath(REPORT, TOKEN))
    expect(safeReturnTo(['//evil.example', pendingLinkPath(REPORT, TOKEN)])).toBeUndefined()
  })
})
