import { dictionary } from '@zxcvbn-ts/language-common'
import { DEMO_PASSWORD, MIN_PASSWORD_LENGTH } from './passwords.ts'

/** Long enough for a passphrase; longer only costs hashing time for nothing. */
export const MAX_PASSWORD_LENGTH = 256

/**
 * The most common passwords found in breaches (about 49,000, from zxcvbn-ts's maintained list,
 * bundled with the package: nothing is fetched at sign-in). Built on first use.
 */
let common: Set<string> | undefined
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()))
  return common
}

/** Letters and digits only, lower case: how a name or an email address shows up inside a password. */
function letters(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
}

/**
 * Why a password may not be used, or undefined when it may (ASVS 2.1, NCSC password guidance):
 * at least 12 characters; not one of the commonest breached passwords, not even with digits or
 * symbols added before or after it ("password1234", "Qwertyuiop!!"); not the demo password; not
 * a short run repeated ("aaaaaaaaaaaa", "abcabcabcabc"); and not containing the person's own name
 * or email address. No other composition rules: they make passwords weaker, not stronger.
 */
export function passwordProblem(password: string, person: { name?: string; email?: string } = {}): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`
  const lower = password.toLowerCase()
  if (lower.includes(DEMO_PASSWORD)) return 'Password must not be the demo password, which is published'
  if (/^(.{1,4})\1+$/su.test(lower) || new Set(lower).size <= 2) return 'Password must not be a character or a few characters repeated'
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')
  if (commonPasswords().has(lower) || (core.length >= 4 && commonPasswords().has(core)) || /^\d+$/.test(lower)) {
    return 'Password is too common: it is on a list of passwords found in data breaches. Choose another, like three random words'
  }
  const typed = letters(password)
  const local = letters(person.email?.split('@')[0] ?? '')
  const nameParts = (person.name ?? '').split(/\s+/).map(letters).filter((part) => part.length >= 4)
  const fullName = letters(person.name ?? '')
  if ((local.length >= 4 && typed.includes(local)) || (fullName.length >= 4 && typed.includes(fullName)) || nameParts.some((part) => typed.includes(part))) {
    return 'Password must not contain your name or email address'
  }
  return undefined
}
