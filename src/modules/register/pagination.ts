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
