import { describe, expect, it } from 'vitest'
import { GraphInputError, parseEdgeListCsv } from './csv-input.ts'

describe('reading a network from CSV', () => {
  it('refuses a control character with the row and column it is on', () => {
    const read = () => parseEdgeListCsv('source,target,weight\nn1,n2,1\nn2,n\u001b3,2\n')
    expect(read).toThrow(GraphInputError)
    expect(read).toThrow(/^row 3, column 5: holds a control character \(U\+001B\)/)
  })
})
