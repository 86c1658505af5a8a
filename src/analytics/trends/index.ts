/**
 * Lantern's trends library: is a rise real or chance? Pure functions, no I/O.
 *
 * - `farrington(series, options)`: exceedances by the Farrington method, original (1996) or
 *   improved (Noufaily 2013), giving the same expected values, thresholds and alarms as R's
 *   `surveillance::farringtonFlexible` 1.20.3.
 * - `poissonRateTest(current, previous)`: exact test and confidence interval for a change between
 *   two counts (R's `poisson.test`).
 * - `yearOnYear`, `periodOnPeriod`, `rolling12`: those comparisons over a series, each with the test.
 * - `explainChange(test)`: the result in plain English for the indicators pages.
 * - `xmr(values)`: the XmR control chart with the Making Data Count rules, for short series.
 * - `quasiPoissonComparison(current, previous)`: the overdispersion check of two periods' months.
 * - `benjaminiHochberg(pValues)`: false discovery control across many tests (R's `p.adjust`, "BH").
 *
 * Series are `{ period, count }` rows, oldest first, with no gaps: months `YYYY-MM` or weeks
 * `YYYY-Www` (52 weeks a year, as R's `sts`).
 */
export { farrington, resolveControl, type FarringtonOptions, type FarringtonResult } from './run.ts'
export { farringtonCounts, firstAssessablePosition, type FarringtonPoint } from './farrington.ts'
export {
  presetControl,
  validateControl,
  type FarringtonControl,
  type FarringtonMethod,
  type PowerTransform,
  type ThresholdMethod,
} from './controls.ts'
export { poissonRateTest, type RateTest, type RateTestOptions } from './poisson-test.ts'
export { chanceInWords, explainChange, periodOnPeriod, rolling12, yearOnYear, type ExplainOptions, type PeriodComparison } from './change.ts'
export { SeriesError, toCountSeries, type CountSeries, type Observation } from './series.ts'
export { formatPeriod, parsePeriod, shiftPeriod, type Frequency } from './periods.ts'
export { xmr, describeSignal, XMR_MINIMUM_POINTS, type XmrResult, type XmrOptions, type SpcSignal, type SpcRule, type SpcDirection } from './spc.ts'
export { quasiPoissonComparison, type QuasiPoissonComparison } from './dispersion.ts'
export { benjaminiHochberg } from './fdr.ts'
