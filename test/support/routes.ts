import type { Express } from 'express'
import { routeAccessOf, type RouteAccess } from '../../src/web/routes.ts'

export interface RouteEntry {
  method: string
  /** The path as registered, with its parameters (`/people/:id`), mount prefixes included. */
  path: string
  /** Who may open it, as declared with `guardedRouter`; none for a route registered another way. */
  access?: RouteAccess
}

interface Layer {
  rawPath?: unknown
  route?: { methods: Record<string, boolean>; stack: { handle?: unknown }[] }
  handle?: { stack?: Layer[] }
}

function pathsOf(layer: Layer): string[] {
  return [layer.rawPath].flat(Infinity).filter((p): p is string => typeof p === 'string')
}

function walk(stack: Layer[], prefix: string, into: RouteEntry[]) {
  for (const layer of stack) {
    if (layer.route) {
      const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m] && m !== '_all')
      const access = routeAccessOf(layer.route.stack[0]?.handle)
      for (const path of pathsOf(layer)) for (const method of methods) into.push({ method: method.toUpperCase(), path: prefix + path, access })
    } else if (layer.handle?.stack) {
      for (const path of pathsOf(layer)) walk(layer.handle.stack, path === '/' ? prefix : prefix + path, into)
    }
  }
}

/** Every route registered on an Express app (or router), walked from its stack (Express 5, router 2). */
export function listRoutes(app: Express | { stack: unknown[] }): RouteEntry[] {
  const into: RouteEntry[] = []
  const stack = 'router' in app ? (app as unknown as { router: { stack: Layer[] } }).router.stack : (app.stack as Layer[])
  walk(stack, '', into)
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
