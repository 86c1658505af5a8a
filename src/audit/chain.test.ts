import { describe, expect, it } from 'vitest'
import { checkLinks, GENESIS_HASH, linkHash, type Link } from './chain.ts'

function chain(contents: string[]): Link[] {
  let previous = GENESIS_HASH
  return contents.map((content, i) => {
    const hash = linkHash(previous, content)
    previous = hash
    return { id: 100 + i, chain_seq: i + 1, hash, content }
  })
}

describe('the audit hash chain', () => {
  it('accepts an untouched chain and reports its last link', () => {
    const links = chain(['a', 'b', 'c'])
    expect(checkLinks({ seq: 0, hash: GENESIS_HASH }, links)).toEqual({ last: { seq: 3, hash: links[2].hash } })
  })

  it('names a row whose content changed', () => {
    const links = chain(['a', 'b', 'c'])
    links[1] = { ...links[1], content: 'B' }
    expect(checkLinks({ seq: 0, hash: GENESIS_HASH }, links)).toMatchObject({ broken: { id: 101, chainSeq: 2 } })
  })

  it('names the row after one rehashed to hide a change', () => {
    const links = chain(['a', 'b', 'c'])
    links[1] = { ...links[1], content: 'B', hash: linkHash(links[0].hash, 'B') }
    expect(checkLinks({ seq: 0, hash: GENESIS_HASH }, links)).toMatchObject({ broken: { id: 102, chainSeq: 3 } })
  })

  it('names the row after a deleted one', () => {
    const links = chain(['a', 'b', 'c'])
    expect(checkLinks({ seq: 0, hash: GENESIS_HASH }, [links[0], links[2]])).toMatchObject({ broken: { id: 102, problem: expect.stringContaining('place 2 is missing') } })
  })

  it('continues from a previous batch', () => {
    const links = chain(['a', 'b', 'c'])
    expect(checkLinks({ seq: 1, hash: links[0].hash }, links.slice(1))).toEqual({ last: { seq: 3, hash: links[2].hash } })
  })
})
