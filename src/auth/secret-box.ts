import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'

/**
 * Secrets Lantern must read back (TOTP secrets) are sealed with AES-256-GCM before they reach the
 * database, so a copy of the database or a backup holds none of them without the key, and a row
 * changed by someone without the key is refused rather than believed.
 *
 * A sealed value is `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url). The key id says which key
 * sealed it, so a new key can be brought in while values sealed under the old one still open
 * (LANTERN_PREVIOUS_SECRET_KEYS), and `lantern secrets reseal` moves them all to the new key.
 * Each value is bound to where it belongs (`context`, such as the user's id), so a sealed value
 * copied onto another row does not open.
 */
export interface SecretKey {
  id: string
  key: Buffer
}

export interface SecretKeys {
  current: SecretKey
  previous: SecretKey[]
}

const VERSION = 'v1'
const IV_BYTES = 12
// Fixed, so a value with its tag cut short is refused (GCM would otherwise accept a 4-byte tag).
const TAG_BYTES = 16

/** Thrown when a stored value cannot be opened: not sealed, sealed under an unknown key, or altered. */
export class SealedValueError extends Error {
  override name = 'SealedValueError'
}

/**
 * A 256-bit key from the configured text (at least 32 characters, such as `openssl rand -base64 32`),
 * by HKDF, and its id: a hash of the key, which says nothing of the key itself.
 */
export function secretKeyFrom(text: string): SecretKey {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(text, 'utf8'), 'lantern', 'lantern secret box v1', 32))
  const id = createHash('sha256').update('lantern key id\n').update(key).digest('hex').slice(0, 12)
  return { id, key }
}

export function secretKeysFrom(current: string, previous: readonly string[] = []): SecretKeys {
  const currentKey = secretKeyFrom(current)
  return { current: currentKey, previous: previous.map(secretKeyFrom).filter((k) => k.id !== currentKey.id) }
}

/** A new key for a demo installation, which keeps its own (src/bootstrap.ts). */
export function newSecretKeyText(): string {
  return randomBytes(32).toString('base64url')
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}.`)
}

/** The id of the key a sealed value was sealed under. */
export function keyIdOf(value: string): string | undefined {
  return isSealed(value) ? value.split('.')[1] : undefined
}

export function secretBox(keys: SecretKeys) {
  const byId = new Map([keys.current, ...keys.previous].map((k) => [k.id, k.key]))
  return {
    currentKeyId: keys.current.id,
    seal(plain: string, context: string): string {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv, { authTagLength: TAG_BYTES })
      cipher.setAAD(Buffer.from(context, 'utf8'))
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [VERSION, keys.current.id, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
    },
    open(sealed: string, context: string): string {
      const parts = sealed.split('.')
      if (parts.length !== 5 || parts[0] !== VERSION) throw new SealedValueError('the value is not sealed')
      const key = byId.get(parts[1])
      if (!key) throw new SealedValueError(`the value is sealed under key ${parts[1]}, which is not configured (LANTERN_SECRET_KEY or LANTERN_PREVIOUS_SECRET_KEYS)`)
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[2], 'base64url'), { authTagLength: TAG_BYTES })
        decipher.setAAD(Buffer.from(context, 'utf8'))
        decipher.setAuthTag(Buffer.from(parts[4], 'base64url'))
        return Buffer.concat([decipher.update(Buffer.from(parts[3], 'base64url')), decipher.final()]).toString('utf8')
      } catch {
        throw new SealedValueError('the sealed value does not open: altered, or moved from where it belongs')
      }
    },
    /** Whether a value is sealed under the current key (else a reseal moves it). */
    isCurrent: (value: string) => keyIdOf(value) === keys.current.id,
  }
}

export type SecretBox = ReturnType<typeof secretBox>
