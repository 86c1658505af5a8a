/**
 * The items of the GOV.UK pagination component for `page` of `pages`: the first and last pages,
 * the current page with its neighbours, and ellipses between. `href(n)` builds each link.
 */
export function pagination(page: number, pages: number, href: (n: number) => string) {
  if (pages <= 1) return null
  const wanted = new Set([1, pages, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pages))
  const numbers = [...wanted].sort((a, b) => a - b)
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = []
  numbers.forEach((n, i) => {
    if (i > 0 && n - numbers[i - 1] > 1) items.push({ ellipsis: true })
    items.push({ number: n, href: href(n), current: n === page })
  })
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
  }
}

/**
 * Page links for a list at `path` whose filters are its query string: each link keeps every
 * query value but the page (the first page has none), and ends with `anchor` when given.
 */
export function queryPageHref(path: string, query: Record<string, unknown>, anchor = ''): (n: number) => string {
  return (n) => {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (k !== 'page') for (const x of [v].flat()) if (typeof x === 'string') q.append(k, x)
    if (n > 1) q.set('page', String(n))
    const s = q.toString()
    return `${path}${s ? `?${s}` : ''}${anchor}`
  }
}

/** The page a query asks for: 1 when absent or nonsense. */
export function pageNumber(query: Record<string, unknown>, max = 10_000): number {
  const n = Number(query.page)
  return Number.isInteger(n) && n >= 1 && n <= max ? n : 1
}
