/** The sizes `lantern seed --scale` can generate (kept apart from the generator so the CLI starts light). */
export interface ScaleSpec {
  children: number
  adults: number
  assessments: number
  missingEpisodes: number
}

export const SCALES: Record<string, ScaleSpec> = {
  county: { children: 20_000, adults: 5_000, assessments: 60_000, missingEpisodes: 30_000 },
  /** For tests: the same shapes, a hundredth of the size. */
  test: { children: 200, adults: 50, assessments: 600, missingEpisodes: 300 },
}
