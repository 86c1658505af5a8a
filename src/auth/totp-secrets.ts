import type { Db } from '../db/index.ts'
import { isSealed, SealedValueError, type SecretBox } from './secret-box.ts'
import { usersStore } from './users-store.ts'

/**
 * TOTP secrets as they are kept: sealed (src/auth/secret-box.ts), each bound to its user, so the
 * `users` table, its backups and a session row hold no secret an authenticator app could be
 * cloned from.
 */
export function totpSecrets(box: SecretBox) {
  const stored = (userId: string) => `users.totp_secret:${userId}`
  // A secret shown on the set-up page waits in the session until the person confirms it.
  const enrolling = (userId: string) => `enrolment:${userId}`
  return {
    sealStored: (userId: string, secret: string) => box.seal(secret, stored(userId)),
    /** The secret, or undefined when the stored value does not open (logged by the caller's audit as a wrong code). */
    openStored(userId: string, sealed: string): string | undefined {
      try {
        return box.open(sealed, stored(userId))
      } catch (err) {
        if (err instanceof SealedValueError) return undefined
        throw err
      }
    },
    sealEnrolment: (userId: string, secret: string) => box.seal(secret, enrolling(userId)),
    openEnrolment(userId: string, sealed: string): string | undefined {
      try {
        return box.open(sealed, enrolling(userId))
      } catch (err) {
        if (err instanceof SealedValueError) return undefined
        throw err
      }
    },
    stored,
  }
}

export interface ResealReport {
  /** Secrets found in clear (kept before sealing) and sealed now. */
  sealed: number
  /** Secrets under a previous key, moved to the current one. */
  resealed: number
  /** Already under the current key. */
  current: number
  /** Under a key that is not configured, or altered: left as they are. */
  unopenable: number
}

/**
 * Seals every TOTP secret kept in clear and moves every one sealed under a previous key to the
 * current key: at start-up (so an upgrade leaves none in clear) and by `lantern secrets reseal`
 * (so a previous key can be retired). Each row is replaced only if unchanged meanwhile.
 */
export async function resealTotpSecrets(db: Db, box: SecretBox): Promise<ResealReport> {
  const users = usersStore(db)
  const { stored } = totpSecrets(box)
  const report: ResealReport = { sealed: 0, resealed: 0, current: 0, unopenable: 0 }
  for (const row of await users.totpSecrets()) {
    if (box.isCurrent(row.totp_secret)) {
      report.current++
      continue
    }
    let plain: string
    try {
      plain = isSealed(row.totp_secret) ? box.open(row.totp_secret, stored(row.id)) : row.totp_secret
    } catch (err) {
      if (!(err instanceof SealedValueError)) throw err
      report.unopenable++
      continue
    }
    if (await users.replaceTotpSecret(row.id, row.totp_secret, box.seal(plain, stored(row.id)))) {
      report[isSealed(row.totp_secret) ? 'resealed' : 'sealed']++
    }
  }
  return report
}
