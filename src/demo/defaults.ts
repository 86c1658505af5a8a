/** The demo's random seed: every start and every test sees the same partnership. */
export const DEFAULT_DEMO_SEED = 20191105
