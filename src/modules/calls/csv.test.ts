import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { parseStart, readCalls, toE164, type CallProblem, type CallRow } from './csv.ts'

async function read(text: string | Buffer) {
  const problems: CallProblem[] = []
  const rows: CallRow[] = []
  for await (const row of readCalls(Readable.from([Buffer.from(text)]), { file: 'calls.csv' }, problems)) rows.push(row)
  return { rows, problems }
}

describe('the call data CSV', () => {
  it('keeps numbers in E.164 however they were written', () => {
    expect(toE164('07700 900461')).toBe('+447700900461')
    expect(toE164('+44 (0)7700 900461')).toBe('+447700900461')
    expect(toE164('0044 7700 900461')).toBe('+447700900461')
    expect(toE164('12')).toBeNull()
    expect(toE164('withheld')).toBeNull()
  })

  it('reads a start without a zone as London time, summer and winter', () => {
    expect(parseStart('2026-07-01 14:03:05')!.toISOString()).toBe('2026-07-01T13:03:05.000Z')
    expect(parseStart('2026-12-01T14:03')!.toISOString()).toBe('2026-12-01T14:03:00.000Z')
    expect(parseStart('2026-07-01T14:03:00Z')!.toISOString()).toBe('2026-07-01T14:03:00.000Z')
    expect(parseStart('2026-02-30 10:00')).toBeNull()
    expect(parseStart('01/02/2026 10:00')).toBeNull()
  })

  it('reads rows with columns in any order and an optional cell site', async () => {
    const { rows, problems } = await read('\uFEFFduration,callee,caller,start,Cell Site\n65,07700 900461,07700 900123,2026-10-01 21:15:00,HAV-014\n3,+447700900461,07700900124,2026-10-01T21:16:00Z,\n')
    expect(problems).toEqual([])
    expect(rows).toEqual([
      { caller: '+447700900123', callee: '+447700900461', startedAt: new Date('2026-10-01T20:15:00Z'), durationSeconds: 65, cellSite: 'HAV-014' },
      { caller: '+447700900124', callee: '+447700900461', startedAt: new Date('2026-10-01T21:16:00Z'), durationSeconds: 3, cellSite: null },
    ])
  })

  it('names the file and line of every bad row: NUL bytes, bad dates, bad numbers', async () => {
    const { problems } = await read('caller,callee,start,duration\n07700 900123,07700 900461,2026-10-01 21:15,60\n07700 900123,07700\u0000900461,2026-10-01 21:15,60\n07700 900123,07700 900461,2026-13-01 21:15,60\n07700 900123,07700 900461,2026-10-01 21:15,1.5\nabc,07700 900461,2026-10-01 21:15,60\n')
    expect(problems.map((p) => [p.line, p.message.split(' ').slice(0, 2).join(' ')])).toEqual([
      [3, 'field 2'],
      [4, 'start "2026-13-01'],
      [5, 'duration "1.5"'],
      [6, 'caller "abc"'],
    ])
    expect(problems[0]).toMatchObject({ file: 'calls.csv' })
    expect(problems[0].message).toContain('NUL byte')
  })

  it('refuses a file without the columns it needs, and an empty one', async () => {
    expect((await read('from,to,when\n1,2,3\n')).problems[0]).toMatchObject({ line: 1, message: expect.stringContaining('start, duration are missing') })
    expect((await read('')).problems[0].message).toContain('empty')
  })
})
