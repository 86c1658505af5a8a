import { describe, expect, it } from 'vitest'
import { validNhsNumber } from './schemas.ts'

describe('validNhsNumber', () => {
  it.each([
    ['9434765919', true],
    ['943 476 5919', true],
    ['9434765918', false],
    ['123456789', false],
    ['abcdefghij', false],
  ])('%s → %s', (value, ok) => {
    expect(validNhsNumber(value)).toBe(ok)
  })
})
