import { hash, verify } from '@node-rs/argon2'

// Argon2id (the library's default algorithm) with the OWASP-recommended minimum: 19 MiB, 2 passes.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export const MIN_PASSWORD_LENGTH = 12

/**
 * The one password of every demo account, published in the README. It exists only in demo mode:
 * production refuses to start, sign in or reactivate while a demo account is active, and no one may
 * choose it as a password (src/auth/password-policy.ts).
 */
export const DEMO_PASSWORD = 'lantern-demo-2026'

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  // Without a stored hash still spend the time of a verification, so timing does not reveal
  // which email addresses have accounts.
  if (!stored) {
    await hash(password, OPTIONS)
    return false
  }
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}
