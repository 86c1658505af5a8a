import type { DemoSeed } from '../../demo/context.ts'

export async function seedStrategyAndReports(seed: DemoSeed): Promise<void> {
  void seed
}
