import type { Command } from 'commander'
import type { FarringtonCliOptions } from '../farrington.ts'

/** `lantern trends farrington`: exceedances in a monthly or weekly count series, as R's farringtonFlexible finds them. */
export function register(program: Command): void {
  const trends = program.command('trends').description('trends: is a rise real or chance?')
  trends
    .command('farrington')
    .description(
      'Farrington exceedance detection (original 1996 or improved Noufaily 2013, as R surveillance::farringtonFlexible) ' +
        'over a CSV with columns period,count (YYYY-MM or YYYY-Www, consecutive, oldest first), ' +
        'or many series in one long CSV with columns series,period,count (one JSON line per series and period with --json)',
    )
    .requiredOption('--input <file>', 'CSV file with columns period,count, or series,period,count')
    .option('--method <method>', 'preset controls of a paper: original or improved', 'improved')
    .option('--b <n>', 'years back in the baseline')
    .option('--w <n>', 'half-width of the window around the same period in past years')
    // Commander reads a `--no-` option as the negation of `periods`: the value arrives as `periods`.
    .option('--no-periods <n>', 'levels of the seasonal factor (1 = windows only, as the original method)')
    .option('--past-excluded <n>', 'most recent periods left out of the baseline (pastWeeksNotIncluded)')
    .option('--threshold-method <method>', 'delta, nbPlugin or muan')
    .option('--weights-threshold <x>', 'Anscombe residual above which past counts are down-weighted')
    .option('--p-threshold-trend <x>', 'keep the trend only if its p-value is below this')
    .option('--alpha <x>', 'the threshold is the (1 - alpha) quantile (one-sided)')
    .option('--powertrans <power>', 'transformation for the delta threshold: 2/3, 1/2 or none')
    .option('--limit54 <cases,periods>', 'no alarm unless at least CASES were counted in the last PERIODS periods (default 5,4)')
    .option('--no-reweight', 'do not down-weight past outbreaks')
    .option('--no-trend', 'never fit a time trend')
    .option('--range-start <period>', 'first period to assess (default: the first with b years of history)')
    .option('--range-end <period>', 'last period to assess (default: the last)')
    .option('--json', 'print JSON: an array with one object per period; with a series column, one line per series and period')
    .action(async (options: FarringtonCliOptions) => {
      const { farringtonSeriesFromFile, resultsJson, resultsTable, seriesJsonLines } = await import('../farrington.ts')
      const sets = await farringtonSeriesFromFile(options)
      if (sets.length === 1 && sets[0].series === null) {
        const { results } = sets[0]
        process.stdout.write(options.json ? resultsJson(results) : resultsTable(results))
      } else {
        process.stdout.write(options.json ? seriesJsonLines(sets) : sets.map(({ series, results }) => `series ${series}\n${resultsTable(results)}`).join('\n'))
      }
    })
}
