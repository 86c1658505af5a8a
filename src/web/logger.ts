import { pino, type Logger } from 'pino'

/**
 * Operator logs. They never carry personal data: request logs hold the method, the path without
 * its query string (a search may hold a name), the status and the timing, never an address, a
 * user agent, a cookie or a body; anything that slips into a known sensitive field is redacted.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: [
        'req.headers',
        'req.body',
        'req.query',
        'req.remoteAddress',
        'req.remotePort',
        'res.headers',
        '*.password',
        '*.email',
        '*.name',
        '*.ip',
      ],
      remove: true,
    },
  })
}
