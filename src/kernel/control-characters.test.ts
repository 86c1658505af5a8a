import { describe, expect, it } from 'vitest'
import { anyControlCharacter, controlCharacterMessage, findControlCharacter, hasControlCharacter, nestedTooDeeply } from './control-characters.ts'

describe('control characters', () => {
  it('refuses NUL, escape and DEL but takes tab, carriage return, line feed and any Unicode text', () => {
    expect(hasControlCharacter('a\u0000b')).toBe(true)
    expect(hasControlCharacter('a\u001bb')).toBe(true)
    expect(hasControlCharacter('a\u007fb')).toBe(true)
    expect(hasControlCharacter('first line\r\n\tsecond line')).toBe(false)
    expect(hasControlCharacter('Zoë 🔥 \u202e مرحبا')).toBe(false)
  })

  it('finds one anywhere in a parsed form, query or JSON body, keys included', () => {
    expect(anyControlCharacter({ q: 'fine', list: ['ok', { deep: 'x\u0000' }] })).toBe(true)
    expect(anyControlCharacter({ ['k\u0000']: 'v' })).toBe(true)
    expect(anyControlCharacter({ q: 'fine', n: 3, b: true, none: null })).toBe(false)
  })

  it('finds one however deep it is hidden, or says the body is too deep to look through', () => {
    let body: unknown = 'x\u0000'
    for (let i = 0; i < 40; i++) body = { inner: [body] }
    expect(anyControlCharacter(body) || nestedTooDeeply(body)).toBe(true)
    let shallow: unknown = 'fine'
    for (let i = 0; i < 10; i++) shallow = { inner: [shallow] }
    expect(anyControlCharacter(shallow) || nestedTooDeeply(shallow)).toBe(false)
  })

  it('says on which line and column of a file it is, counting from 1', () => {
    const found = findControlCharacter('id,name\n1,Ann\n2,Bo\u0000b\n')
    expect(found).toEqual({ line: 3, column: 5, description: 'a NUL byte (U+0000)' })
    expect(controlCharacterMessage(found!)).toMatch(/^line 3, column 5 holds a NUL byte \(U\+0000\)/)
    expect(findControlCharacter('id,name\r\n1,Ann\r\n')).toBeNull()
  })
})
