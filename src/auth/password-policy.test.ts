import { describe, expect, it } from 'vitest'
import { passwordProblem } from './password-policy.ts'

const sam = { name: 'Sam Okafor', email: 'sam.okafor@hants.example' }

describe('password policy', () => {
  it('refuses the faults testers found: the published demo password and a character repeated', () => {
    expect(passwordProblem('lantern-demo-2026', sam)).toMatch(/demo password/)
    expect(passwordProblem('aaaaaaaaaaaa', sam)).toMatch(/repeated/)
    expect(passwordProblem('abcabcabcabc', sam)).toMatch(/repeated/)
  })

  it('refuses passwords on the breached list, also with digits or symbols around them', () => {
    for (const p of ['password1234', 'Qwertyuiop!!', 'iloveyou2026', '123456789012', 'football123456']) {
      expect(passwordProblem(p, sam), p).toMatch(/too common/)
    }
  })

  it('refuses the person’s own name or email address inside the password', () => {
    expect(passwordProblem('Okafor-winter-2026', sam)).toMatch(/your name or email/)
    expect(passwordProblem('sam.okafor@hants.example', sam)).toMatch(/your name or email/)
    expect(passwordProblem('x-samokafor-x', sam)).toMatch(/your name or email/)
  })

  it('refuses fewer than 12 characters and accepts a passphrase', () => {
    expect(passwordProblem('short-one', sam)).toMatch(/12 characters/)
    expect(passwordProblem('copper kettle orbit lanes', sam)).toBeUndefined()
    expect(passwordProblem('a-long-enough-password', sam)).toBeUndefined()
  })
})
