import type { DemoSeed } from "../../demo/context.ts"
export async function seedDemoRun(_seed: DemoSeed) {}
