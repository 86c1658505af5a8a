import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * Whom the database is answering. Row-level security (migration 0700) keys every policy on the
 * settings this puts on the connection, so a query that forgets a need-to-know condition still
 * returns only rows the asker may see.
 *
 * - A web or API request runs as the application role `lantern_app`, which owns nothing, as the
 *   signed-in user (or as nobody before sign-in and on public pages).
 * - Anything outside a request (migrations, the demo seed, the CLI, start-up checks) runs as the
 *   connection's own role, the owner, unrestricted.
 */
export interface DbViewer {
  id: string
  agencyId: string
  agencyKind: string
  permissions: Iterable<string>
}

export interface RequestScope {
  kind: 'request'
  /** Set once the request's session or token has been read; null for a visitor. */
  viewer: DbViewer | null
}

const storage = new AsyncLocalStorage<RequestScope>()
// Kept apart from the scope so that a request's reads as the owner (runAsOwner) stay let in.
const admission = new AsyncLocalStorage<{ admitted: boolean }>()

/** Runs `work` (and everything it awaits) as a request: the application role, nobody signed in yet. */
export function runAsRequest<T>(work: () => T): T {
  return admission.run({ admitted: false }, () => storage.run({ kind: 'request', viewer: null }, work))
}

/**
 * Names the signed-in user for the rest of the request that is running. `breakGlass: false` (API
 * tokens) leaves the user's justifications out of the database's rules, as decide() does.
 */
export function setRequestViewer(viewer: DbViewer | null, options: { breakGlass: boolean }): void {
  const scope = storage.getStore()
  if (!scope) return
  scope.viewer = viewer && !options.breakGlass ? { ...viewer, permissions: [...viewer.permissions].filter((p) => p !== 'break-glass') } : viewer
}

/**
 * Marks the running request as let in at the door. The busy limit is then the door's, counted in
 * requests: each statement of a request let in waits its turn on the pool (bounded by the queue
 * timeout) rather than being refused because other requests' statements fill the queue.
 */
export function admitRequest(): void {
  const door = admission.getStore()
  if (door) door.admitted = true
}

/** Whether the running request was let in at the door (its reads as the owner too). */
export function requestAdmitted(): boolean {
  return admission.getStore()?.admitted === true
}

/** Whether a request (and not the owner's own work) is running. */
export function inRequest(): boolean {
  return storage.getStore() !== undefined
}

/**
 * Runs `work` outside the request it is called from, as the owner. For the few reads that are
 * meant to cross need-to-know and are protected another way; each caller says why. With a web
 * login that owns nothing (DATABASE_OWNER_URL), its statements go on the owner's connections.
 */
export function runAsOwner<T>(_why: string, work: () => T): T {
  return storage.exit(work)
}

export const APPLICATION_ROLE = 'lantern_app'

/** The session settings for the scope running now, and a key that says when they must change. */
export function connectionSettings(): { key: string; role: string; userId: string; agencyId: string; agencyKind: string; permissions: string } {
  const scope = storage.getStore()
  if (!scope) return { key: 'owner', role: 'none', userId: '', agencyId: '', agencyKind: '', permissions: '' }
  const v = scope.viewer
  const permissions = v ? `,${[...v.permissions].sort().join(',')},` : ''
  return {
    key: v ? `user:${v.id}:${v.agencyId}:${v.agencyKind}:${permissions}` : 'visitor',
    role: APPLICATION_ROLE,
    userId: v?.id ?? '',
    agencyId: v?.agencyId ?? '',
    agencyKind: v?.agencyKind ?? '',
    permissions,
  }
}

/**
 * One statement that puts the settings on a connection. Session-level (not local to a
 * transaction) and sent before any transaction begins, so a rollback cannot undo it. `role`
 * `none` is RESET ROLE.
 */
export const APPLY_SETTINGS_SQL = `select set_config('role', $1, false), set_config('lantern.user_id', $2, false),
  set_config('lantern.agency_id', $3, false), set_config('lantern.agency_kind', $4, false), set_config('lantern.permissions', $5, false)`

export function settingsParameters(s: ReturnType<typeof connectionSettings>): string[] {
  return [s.role, s.userId, s.agencyId, s.agencyKind, s.permissions]
}

/** What each open connection was last set to, so the settings are sent only when they change. */
const applied = new WeakMap<object, string>()

/**
 * Puts the running scope's settings on `connection` (a pooled pg client or the PGlite instance)
 * unless it already has them. Every way Lantern takes a connection goes through this.
 */
export async function applyScope(connection: object, query: (text: string, values: string[]) => Promise<unknown>): Promise<void> {
  const settings = connectionSettings()
  if (applied.get(connection) === settings.key) return
  applied.delete(connection)
  await query(APPLY_SETTINGS_SQL, settingsParameters(settings))
  applied.set(connection, settings.key)
}
