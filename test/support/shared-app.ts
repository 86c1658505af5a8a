import { afterAll, beforeAll } from 'vitest'
import { startTestApp, type TestApp, type TestAppOptions } from './app.ts'

/**
 * The app a file's (or a describe block's) tests share: started before them, closed after. The
 * object is filled in when it starts, so the tests read it as they would `startTestApp`'s answer.
 */
export function sharedTestApp(options: TestAppOptions = {}): TestApp {
  const shared = {} as TestApp
  beforeAll(async () => {
    Object.assign(shared, await startTestApp(options))
  })
  afterAll(async () => {
    await shared.close?.()
  })
  return shared
}
