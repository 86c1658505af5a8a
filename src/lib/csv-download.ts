import { stringify } from 'csv-stringify'
import type { Response } from 'express'

/**
 * Streams rows to the browser as a CSV download. Cells that a spreadsheet would run as a formula
 * (starting with = + - @) are prefixed with an apostrophe, so an exported record cannot attack
 * the person who opens it.
 */
export async function sendCsv(
  res: Response,
  filename: string,
  columns: string[],
  batches: AsyncIterable<unknown[][]> | Iterable<unknown[][]>,
) {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8')
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`)
  const csv = stringify({ header: true, columns, cast: { date: (d) => d.toISOString() } })
  csv.pipe(res)
  for await (const rows of batches) {
    for (const row of rows) {
      const safe = row.map((cell) => (typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell))
      if (!csv.write(safe)) await new Promise((resolve) => csv.once('drain', resolve))
    }
  }
  csv.end()
  await new Promise((resolve) => res.on('finish', resolve))
}
