/** What the policy needs to know about the person asking. */
export interface Actor {
  id: string
  agencyId: string
  teamId: string | null
  role: string
  permissions: ReadonlySet<string>
}

/** The signed-in user as the web layer and services see them. */
export interface CurrentUser extends Actor {
  email: string
  name: string
  agencyName: string
  agencyKind: string
  teamName: string | null
  roleName: string
  seesPersonalData: boolean
}

/**
 * How the request proved who it is: a signed-in browser session, or a personal API token. Break
 * glass applies only to a session (docs/security.md, "Need-to-know rule").
 */
export type AuthMethod = 'session' | 'api-token'

/**
 * What a service needs to know about the request it serves: who asks (for permission checks) and
 * where from (for the audit trail). Built once per request by the web layer, or by the CLI.
 */
export interface RequestContext {
  user: CurrentUser | null
  requestId: string
  /** How `user` was authenticated; absent for the system and the CLI. */
  authenticatedBy?: AuthMethod
  method?: string
  path?: string
}

export function systemContext(requestId = 'system'): RequestContext {
  return { user: null, requestId }
}

/** A `lantern` command acting as the system, audited with its command line as the request. */
export function commandContext(commandLine: string): RequestContext {
  return { ...systemContext(`cli-${Date.now()}`), method: 'CLI', path: commandLine }
}
