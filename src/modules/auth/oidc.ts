import * as client from 'openid-client'
import type { Config } from '../../config.ts'

/**
 * OpenID Connect sign-in with an organisation's identity provider: authorisation code flow with
 * PKCE, state and nonce. The provider's metadata is discovered once, lazily, and kept per instance
 * (it is the provider's, not Lantern's state).
 */
export function oidcClient(oidc: NonNullable<Config['oidc']>) {
  let discovered: Promise<client.Configuration> | undefined
  const configuration = () => {
    discovered ??= client
      .discovery(
        new URL(oidc.issuer),
        oidc.clientId,
        oidc.clientSecret,
        undefined,
        // Plain http is allowed only for a provider on this machine (development and tests).
        new URL(oidc.issuer).protocol === 'http:' && ['localhost', '127.0.0.1'].includes(new URL(oidc.issuer).hostname)
          ? { execute: [client.allowInsecureRequests] }
          : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined
        throw err
      })
    return discovered
  }
  return {
    async start(): Promise<{ url: string; state: string; nonce: string; codeVerifier: string }> {
      const config = await configuration()
      const codeVerifier = client.randomPKCECodeVerifier()
      const state = client.randomState()
      const nonce = client.randomNonce()
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: oidc.redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      })
      return { url: url.href, state, nonce, codeVerifier }
    },
    async finish(currentUrl: URL, checks: { state: string; nonce: string; codeVerifier: string }) {
      const config = await configuration()
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      })
      const claims = tokens.claims()
      if (!claims) throw new Error('The identity provider returned no ID token')
      // `email_verified` must be true itself: a provider that leaves it out has not verified the address.
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof claims.email === 'string' ? claims.email : undefined,
        emailVerified: claims.email_verified === true,
      }
    },
  }
}
