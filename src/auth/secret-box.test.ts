import { describe, expect, it } from 'vitest'
import { isSealed, keyIdOf, SealedValueError, secretBox, secretKeysFrom } from './secret-box.ts'

const OLD = 'an old key that is at least thirty-two characters'
const NEW = 'a new key that is also at least thirty-two characters'
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

describe('the secret box', () => {
  it('seals a secret so the stored text holds none of it, and opens it with the key and its context', () => {
    const box = secretBox(secretKeysFrom(NEW))
    const sealed = box.seal(SECRET, 'totp:user-1')
    expect(isSealed(sealed)).toBe(true)
    expect(sealed).not.toContain(SECRET)
    expect(sealed).not.toContain(NEW)
    expect(box.seal(SECRET, 'totp:user-1')).not.toBe(sealed)
    expect(box.open(sealed, 'totp:user-1')).toBe(SECRET)
  })

  it('refuses a value moved to another row, altered, cut short, or never sealed', () => {
    const box = secretBox(secretKeysFrom(NEW))
    const sealed = box.seal(SECRET, 'totp:user-1')
    expect(() => box.open(sealed, 'totp:user-2')).toThrow(SealedValueError)
    const parts = sealed.split('.')
    const flipped = Buffer.from(parts[3], 'base64url')
    flipped[0] ^= 1
    expect(() => box.open([...parts.slice(0, 3), flipped.toString('base64url'), parts[4]].join('.'), 'totp:user-1')).toThrow(SealedValueError)
    expect(() => box.open([...parts.slice(0, 4), parts[4].slice(0, 6)].join('.'), 'totp:user-1')).toThrow(SealedValueError)
    expect(() => box.open(SECRET, 'totp:user-1')).toThrow(/not sealed/)
  })

  it('opens values sealed under a previous key, seals under the current one, and names the key of each', () => {
    const before = secretBox(secretKeysFrom(OLD))
    const sealedBefore = before.seal(SECRET, 'totp:user-1')
    const after = secretBox(secretKeysFrom(NEW, [OLD]))
    expect(after.open(sealedBefore, 'totp:user-1')).toBe(SECRET)
    expect(after.isCurrent(sealedBefore)).toBe(false)
    const resealed = after.seal(SECRET, 'totp:user-1')
    expect(after.isCurrent(resealed)).toBe(true)
    expect(keyIdOf(resealed)).toBe(after.currentKeyId)
    expect(keyIdOf(sealedBefore)).not.toBe(after.currentKeyId)
    // Once the old key is gone, what it sealed no longer opens, and the message names its key.
    expect(() => secretBox(secretKeysFrom(NEW)).open(sealedBefore, 'totp:user-1')).toThrow(new RegExp(`key ${keyIdOf(sealedBefore)}`))
  })
})
