import { describe, expect, it } from 'vitest'
import type { Request } from 'express'
import { pageNumber, pagination } from './routes-public.ts'

const req = (query: Record<string, string | string[]>) => ({ query }) as unknown as Request

describe('tracker pages', () => {
  it('keeps the filters in every page link, with ellipses between distant pages', () => {
    const p = pagination('/scrutiny/police-and-crime-panel', req({ kind: ['recommendation', 'request'], overdue: 'yes', page: '5' }), 5, 12)!
    expect(p.previous?.href).toBe('/scrutiny/police-and-crime-panel?kind=recommendation&kind=request&overdue=yes&page=4#tracker')
    expect(p.next?.href).toBe('/scrutiny/police-and-crime-panel?kind=recommendation&kind=request&overdue=yes&page=6#tracker')
    expect(p.items.map((i) => ('ellipsis' in i ? '…' : i.current ? `[${i.number}]` : String(i.number)))).toEqual(['1', '…', '4', '[5]', '6', '…', '12'])
    expect(pagination('/x', req({}), 1, 1)).toBeNull()
    expect((pagination('/x', req({}), 2, 2)!.items[0] as { href: string }).href).toBe('/x#tracker')
  })
  it('reads the page number, falling back to the first page for nonsense', () => {
    expect(pageNumber(req({ page: '3' }))).toBe(3)
    expect(pageNumber(req({ page: '0' }))).toBe(1)
    expect(pageNumber(req({ page: 'x' }))).toBe(1)
    expect(pageNumber(req({}))).toBe(1)
  })
})
