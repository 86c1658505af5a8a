import { describe, expect, it } from 'vitest'
import { hashReceipt, newReceipt, normaliseReceipt } from './receipt.ts'

describe('follow-up receipts', () => {
  it('are long and random, and never repeat', () => {
    const receipts = Array.from({ length: 500 }, newReceipt)
    expect(new Set(receipts).size).toBe(500)
    for (const r of receipts) expect(r).toMatch(/^([A-HJKMNP-Z2-9]{4}-){7}[A-HJKMNP-Z2-9]{4}$/)
  })

  it('are read back however they were typed, and refused when they cannot be one', () => {
    const r = newReceipt()
    expect(normaliseReceipt(r.toLowerCase().replace(/-/g, ' '))).toBe(r)
    expect(normaliseReceipt(` ${r.replace(/-/g, '')} `)).toBe(r)
    expect(normaliseReceipt(r.slice(0, -1))).toBeNull()
    expect(normaliseReceipt(r.replace(/.$/, 'O'))).toBeNull()
  })

  it('are kept only as a hash that does not contain them', () => {
    const r = newReceipt()
    expect(hashReceipt(r)).toMatch(/^[0-9a-f]{64}$/)
    expect(hashReceipt(r)).toBe(hashReceipt(normaliseReceipt(r.toLowerCase())!))
    expect(hashReceipt(r)).not.toContain(r.replace(/-/g, ''))
  })
})
