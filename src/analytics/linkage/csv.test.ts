import { describe, expect, it } from 'vitest'
import { parseCsvTable } from './csv.ts'
import { LinkageInputError } from './errors.ts'

describe('parseCsvTable', () => {
  it('refuses a NUL byte, naming the file, line and column', () => {
    const read = () => parseCsvTable('rec_id,given_name\nrec-1,ann\nrec-2,b\u0000o\n', 'left.csv')
    expect(read).toThrow(LinkageInputError)
    expect(read).toThrow(/^left\.csv: line 3, column 8 holds a NUL byte/)
  })
})
