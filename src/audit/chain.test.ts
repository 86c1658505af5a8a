import { describe, expect, it } from 'vitest'
import { checkArchivedLinks, checkLinks, GENESIS_HASH, linkHash, type Link } from './chain.ts'

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

  it('steps over links kept in a detached month, and only those', () => {
    const links = chain(['a', 'b', 'c', 'd'])
    const archived = new Map([[2, links[1].hash]])
    expect(checkLinks({ seq: 0, hash: GENESIS_HASH }, [links[0], links[2], links[3]], archived)).toEqual({ last: { seq: 4, hash: links[3].hash } })
    expect(checkLinks({ seq: 0, hash: GENESIS_HASH }, [links[0], links[3]], archived)).toMatchObject({ broken: { chainSeq: 4, problem: expect.stringContaining('place 3 is missing') } })
  })
})

describe('an exported month of the audit trail', () => {
  const links = chain(['a', 'b', 'c', 'd'])
  const exported = links.map((l, i) => ({ seq: l.chain_seq, previous_hash: i ? links[i - 1].hash : GENESIS_HASH, hash: l.hash, content: l.content }))

  it('holds when each link is made from the hash it names, with gaps where another month has the place', async () => {
    expect(await checkArchivedLinks([exported[0], exported[1], exported[3]])).toEqual({ rows: 3, first: 1, last: { seq: 4, hash: links[3].hash } })
  })

  it('names the line whose content or named previous hash was changed', async () => {
    expect(await checkArchivedLinks([exported[0], { ...exported[1], content: 'B' }])).toMatchObject({ broken: { line: 3, seq: 2, problem: expect.stringContaining('does not match') } })
    const rehashed = { ...exported[1], previous_hash: 'f'.repeat(64), hash: linkHash('f'.repeat(64), 'b') }
    expect(await checkArchivedLinks([exported[0], rehashed])).toMatchObject({ broken: { line: 3, problem: expect.stringContaining('link before it') } })
  })
})
