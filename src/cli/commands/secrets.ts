import type { Command } from 'commander'
import { UserError } from '../errors.ts'
import { withDatabase } from '../context.ts'

/**
 * `lantern secrets reseal`: moves every TOTP secret to the current LANTERN_SECRET_KEY (and seals
 * any kept in clear), so a previous key can be taken out of LANTERN_PREVIOUS_SECRET_KEYS. Start-up
 * does the same; this is for a change of key without a restart, and to check that nothing is left
 * under an old key. Exits non-zero when a secret does not open with the configured keys.
 */
export function register(program: Command) {
  const secrets = program.command('secrets').description('Secrets kept sealed in the database (TOTP secrets)')

  secrets
    .command('reseal')
    .description('Seal every TOTP secret under the current LANTERN_SECRET_KEY, so previous keys can be retired')
    .action(async () => {
      const [{ loadConfig }, { resolveSecretKeys, resealSecrets }, { auditService }] = await Promise.all([
        import('../../config.ts'),
        import('../../bootstrap.ts'),
        import('../../audit/service.ts'),
      ])
      const config = loadConfig()
      await withDatabase(async ({ db }, ctx) => {
        const keys = await resolveSecretKeys(config, db)
        const report = await resealSecrets(config, db, keys)
        await auditService(db).record(ctx, { action: 'secrets-resealed', details: { keyId: keys.current.id, ...report } })
        console.log(
          `TOTP secrets under key ${keys.current.id}: ${report.current + report.sealed + report.resealed} (${report.resealed} moved from a previous key, ${report.sealed} sealed from clear).`,
        )
        if (report.unopenable) {
          throw new UserError(
            `${report.unopenable} TOTP secret(s) did not open with LANTERN_SECRET_KEY or LANTERN_PREVIOUS_SECRET_KEYS and were left as they are: add the key that sealed them, or reset those people's two-factor authentication`,
          )
        }
        if (keys.previous.length) console.log('Nothing is sealed under a previous key any more: LANTERN_PREVIOUS_SECRET_KEYS may be removed.')
      })
    })
}
