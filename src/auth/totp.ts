import { createHash, randomInt } from 'node:crypto'
import * as OTPAuth from 'otpauth'
import QRCode from 'qrcode'

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30 seconds. */
const PERIOD = 30

function totp(secret: string, label = '') {
  return new OTPAuth.TOTP({ issuer: 'Lantern', label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) })
}

/** A new 160-bit secret, base32 (as RFC 4226 recommends). */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32
}

/** The otpauth:// address and its QR code (inline SVG, nothing fetched) for an authenticator app. */
export async function enrolment(secret: string, email: string): Promise<{ uri: string; qrSvg: string; secret: string }> {
  const uri = totp(secret, email).toString()
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return { uri, qrSvg, secret }
}

/**
 * The time step of a code that is right now (one step either side, for a phone's clock drift), or
 * null. The caller refuses a step it has already accepted, so a code works once.
 */
export function acceptedStep(secret: string, code: string, now = Date.now()): number | null {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return null
  const delta = totp(secret).validate({ token, timestamp: now, window: 1 })
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta
}

/** The code an authenticator shows now: for the demo's tests and the test helpers only. */
export function currentCode(secret: string, now = Date.now()): string {
  return totp(secret).generate({ timestamp: now })
}

// Without 0/O and 1/I/L, so a code read off paper is typed right.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
export const RECOVERY_CODE_COUNT = 10

/** Ten one-time recovery codes like `k7m2p-9qxrt` (50 bits each): shown once, stored hashed. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('')
    return `${chars.slice(0, 5)}-${chars.slice(5)}`
  })
}

/** Recovery codes are random, so a plain SHA-256 keeps them as safe as a slow hash would. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase().replace(/[^a-z0-9]/g, '')).digest('hex')
}

/** What a person types: a six-digit code, or a recovery code. */
export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(code.trim())
}
