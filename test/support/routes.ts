import type { Express } from 'express'

export interface RouteEntry {
  method: string
  /** The path as registered, with its parameters (`/people/:id`), mount prefixes included. */
  path: string
}

interface Layer {
  rawPath?: unknown
  route?: { methods: Record<string, boolean> }
  handle?: { stack?: Layer[] }
}

function pathsOf(layer: Layer): string[] {
  return [layer.rawPath].flat(Infinity).filter((p): p is string => typeof p === 'string')
}

function walk(stack: Layer[], prefix: string, into: RouteEntry[]) {
  for (const layer of stack) {
    if (layer.route) {
      const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m] && m !== '_all')
      for (const path of pathsOf(layer)) for (const method of methods) into.push({ method: method.toUpperCase(), path: prefix + path })
    } else if (layer.handle?.stack) {
      for (const path of pathsOf(layer)) walk(layer.handle.stack, path === '/' ? prefix : prefix + path, into)
    }
  }
}

/** Every route registered on an Express app, walked from its router's stack (Express 5, router 2). */
export function listRoutes(app: Express): RouteEntry[] {
  const into: RouteEntry[] = []
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', into)
  const seen = new Set<string>()
  return into.filter((r) => {
    const key = `${r.method} ${r.path}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
}

/** The names of a registered path's parameters, in order. */
export function parametersOf(path: string): string[] {
  return [...path.matchAll(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1])
}

/** The path with each parameter replaced by the (already URL-encoded) value chosen for it. */
export function fillPath(path: string, value: (name: string) => string): string {
  return path.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => value(name))
}
