import { describe, expect, it } from 'vitest'
import { pageNumber, pagination, queryPageHref } from './pagination.ts'

describe('pagination', () => {
  const href = (n: number) => `?page=${n}`
  it('is absent for a single page', () => {
    expect(pagination(1, 1, href)).toBeNull()
    expect(pagination(1, 0, href)).toBeNull()
  })
  it('shows first, last, the neighbours of the current page and ellipses between', () => {
    const p = pagination(6, 12, href)!
    expect(p.items.map((i) => ('ellipsis' in i ? '…' : i.current ? `[${i.number}]` : String(i.number)))).toEqual(['1', '…', '5', '[6]', '7', '…', '12'])
    expect(p.previous).toEqual({ href: '?page=5' })
    expect(p.next).toEqual({ href: '?page=7' })
  })
  it('has no previous link on the first page and no next link on the last', () => {
    expect(pagination(1, 3, href)!.previous).toBeUndefined()
    expect(pagination(3, 3, href)!.next).toBeUndefined()
    expect(pagination(2, 3, href)!.items.map((i) => ('number' in i ? i.number : 0))).toEqual([1, 2, 3])
  })
})

describe('page links that keep a list’s filters', () => {
  it('keeps every query value but the page, leaves the page out for the first, and adds the anchor', () => {
    const href = queryPageHref('/network/entities', { kind: 'line', q: 'JAY & co', tag: ['a', 'b'], page: '3' }, '#list')
    expect(href(2)).toBe('/network/entities?kind=line&q=JAY+%26+co&tag=a&tag=b&page=2#list')
    expect(href(1)).toBe('/network/entities?kind=line&q=JAY+%26+co&tag=a&tag=b#list')
    expect(queryPageHref('/x', {})(1)).toBe('/x')
  })
  it('reads the page asked for, and the first page for nonsense', () => {
    expect(pageNumber({ page: '4' })).toBe(4)
    for (const page of ['0', '-1', '1.5', 'x', '10001', undefined]) expect(pageNumber({ page })).toBe(1)
  })
})
