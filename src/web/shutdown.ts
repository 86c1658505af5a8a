import type { Server } from 'node:http'

/**
 * Stops the web server without cutting anyone off: no new connections, idle keep-alive ones
 * closed, and requests in flight allowed to finish (a form being saved is saved) for up to
 * `graceMs`; whatever is still running then is closed. Resolves once the server has stopped, so
 * the database can be closed after it.
 */
export async function stopServer(server: Server, graceMs = 10_000): Promise<void> {
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  const cutOff = setTimeout(() => server.closeAllConnections(), graceMs)
  try {
    await stopped
  } finally {
    clearTimeout(cutOff)
  }
}
