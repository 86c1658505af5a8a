import { describe, expect, it } from 'vitest'
import { isLocalPath } from './local-path.ts'

describe('isLocalPath', () => {
  it('accepts paths on this site, with their query', () => {
    for (const ok of ['/', '/people/123', '/register?rag=red&area=x', '/public-reports/abc#links']) expect(isLocalPath(ok)).toBe(true)
  })

  it('refuses anything a browser would send to another site', () => {
    for (const bad of ['//evil.example', '/\\evil.example', '/\\/evil.example', '\\\\evil.example', 'https://evil.example', 'evil.example', '/\t/evil.example', '/\n/evil.example', '', undefined, 42]) {
      expect(isLocalPath(bad)).toBe(false)
    }
  })
})
