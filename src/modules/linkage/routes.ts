import { Router } from 'express'
import type { ModuleDeps } from '../types.ts'

export function linkageRoutes(_deps: ModuleDeps): Router {
  return Router()
}
