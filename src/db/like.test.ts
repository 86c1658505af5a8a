import { describe, expect, it } from 'vitest'
import { containsPattern } from './like.ts'

describe('containsPattern', () => {
  it('wraps the text in wildcards and escapes the characters ILIKE would read as wildcards', () => {
    expect(containsPattern('JAY')).toBe('%JAY%')
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%')
  })
})
