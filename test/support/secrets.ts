import { secretKeysFrom } from '../../src/auth/secret-box.ts'

/**
 * The secrets every test instance of Lantern is built with: instances sharing one test database
 * must share them, as every instance of a real installation does.
 */
export const TEST_SECRETS = {
  sessionSecret: 'test-session-secret-that-is-long-enough-123',
  secretKeys: secretKeysFrom('test-secret-key-that-is-long-enough-for-lantern'),
}
