import { describe, expect, it } from 'vitest'
import { importTemplate, parseImport } from './csv-import.ts'

const areas = [
  { id: 'a-havant', name: 'Havant', code: 'E07000090' },
  { id: 'a-basingstoke', name: 'Basingstoke and Deane', code: 'E07000084' },
]
const options = { areas, today: '2026-11-23' }
const HEADER = 'received_on,external_reference,what_happened,where,area,child_at_risk,contact_name,contact_phone'

describe('parseImport', () => {
  it('reads good rows, matching areas by name or ONS code and dates in either form', () => {
    const csv = `${HEADER}\n2026-11-20,101-4411,Cars stopping outside for a minute,Elm Road,havant,yes,,\n21/11/2026,101-4412,"Visitors at all hours, ""five a night""",Station Hill,E07000084,not sure,Pat,07700 900982\n`
    const result = parseImport(csv, options)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.rows).toHaveLength(2)
    expect(result.rows[0]).toMatchObject({ line: 2, received_on: '2026-11-20', area_id: 'a-havant', child_at_risk: 'yes', contact_name: null })
    expect(result.rows[1]).toMatchObject({ line: 3, received_on: '2026-11-21', area_id: 'a-basingstoke', child_at_risk: 'not_sure', what_happened: 'Visitors at all hours, "five a night"', contact_phone: '07700 900982' })
  })

  it('reports every bad row with its line number, counting lines inside quoted values and blank lines', () => {
    const csv = [
      HEADER,
      '2026-11-20,A1,"A report over',
      'two lines",Elm Road,Havant,,,',
      '',
      '2026-02-30,A2,Something,Somewhere,,,,',
      '2026-11-21,A3,,Somewhere,Havent,maybe,,',
      '2026-12-01,A1,Future,,,,,',
      'too,few',
    ].join('\n')
    const result = parseImport(csv, options)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.map((p) => p.line)).toEqual([5, 6, 7, 8])
    expect(result.problems[0].message).toBe('Line 5: received_on ‘2026-02-30’ is not a real date')
    expect(result.problems[1].message).toContain('what_happened is empty')
    expect(result.problems[1].message).toContain('area ‘Havent’ is not an area Lantern knows')
    expect(result.problems[1].message).toContain('child_at_risk ‘maybe’ must be yes, no or not sure')
    expect(result.problems[2].message).toContain('received_on 2026-12-01 is in the future')
    expect(result.problems[2].message).toContain('external_reference ‘A1’ is also on line 2')
    expect(result.problems[3].message).toBe('Line 8 has 2 values but the header has 8 columns')
  })

  it('refuses unknown or missing columns on line 1', () => {
    const result = parseImport('received_on,summary\n2026-11-20,x\n', options)
    expect(result).toEqual({
      ok: false,
      problems: [
        { line: 1, message: expect.stringContaining('Unknown column ‘summary’') },
        { line: 1, message: 'The header has no what_happened column' },
      ],
    })
  })

  it('refuses contact details for a route that is always anonymous', () => {
    const result = parseImport(`${HEADER}\n2026-11-20,CS1,Something,,,,Pat,`, { ...options, anonymousOnly: true })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problems[0].message).toContain('reports from this route are anonymous')
  })

  it('refuses an empty file, a header alone, and a broken quote', () => {
    expect(parseImport('', options)).toMatchObject({ ok: false, problems: [{ line: 1 }] })
    expect(parseImport(`${HEADER}\n`, options)).toMatchObject({ ok: false, problems: [{ line: 1, message: 'The file has a header but no reports' }] })
    const broken = parseImport(`${HEADER}\n2026-11-20,A,"never closed,x,,,,\n`, options)
    expect(broken.ok).toBe(false)
    if (!broken.ok) expect(broken.problems[0].message).toMatch(/not a valid CSV/)
  })

  it('accepts its own template', () => {
    expect(parseImport(importTemplate(), options).ok).toBe(true)
  })

  it('refuses a file with a NUL byte, naming its line, and imports nothing', () => {
    const csv = `${HEADER}\n2026-11-01,R1,Cars stopping,High St,Havant,yes,,\n2026-11-02,R2,Visitors at a fl\u0000at,Park Rd,Havant,no,,\n`
    const result = parseImport(csv, options)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems).toEqual([{ line: 3, message: expect.stringMatching(/^column 31 holds a NUL byte \(U\+0000\), which is not text/) }])
  })
})
