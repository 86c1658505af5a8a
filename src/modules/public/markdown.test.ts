import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './markdown.ts'

describe('renderMarkdown', () => {
  it('renders headings, paragraphs, lists and links with GOV.UK classes', () => {
    const html = renderMarkdown('## Signs\n\nLook for:\n\n- visitors\n- cars\n\n1. one\n\nSee [the report form](/report).')
    expect(html).toContain('<h2 class="govuk-heading-m">Signs</h2>')
    expect(html).toContain('<p class="govuk-body">Look for:</p>')
    expect(html).toContain('<ul class="govuk-list govuk-list--bullet">')
    expect(html).toContain('<li>visitors</li>')
    expect(html).toContain('<ol class="govuk-list govuk-list--number">')
    expect(html).toContain('<a href="/report" class="govuk-link">the report form</a>')
  })

  it('turns a top-level heading into a section heading: the page title is the only h1', () => {
    expect(renderMarkdown('# Big').trim()).toBe('<h2 class="govuk-heading-m">Big</h2>')
  })

  it('renders !! lines as the GOV.UK warning text and > as inset text', () => {
    const html = renderMarkdown('!! Call **999** now\n\n> Quoted advice')
    expect(html).toContain('<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>')
    expect(html).toContain('<span class="govuk-visually-hidden">Warning</span> Call <strong>999</strong> now')
    expect(html).toContain('<div class="govuk-inset-text">')
    expect(html).toContain('Quoted advice')
  })

  it('marks external links noreferrer and keeps mailto and tel', () => {
    expect(renderMarkdown('[x](https://example.org/a)')).toContain('href="https://example.org/a" class="govuk-link" rel="noreferrer noopener"')
    expect(renderMarkdown('[mail](mailto:cs@example.org) [call](tel:101)')).toMatch(/href="mailto:cs@example.org".*href="tel:101"/)
  })

  it.each([
    ['a script tag', '<script>alert(1)</script>', /<script/i],
    ['an inline event handler', '<img src=x onerror="alert(1)">', /<img|onerror/i],
    ['an image written in markdown', '![x](https://evil.example/p.png)', /<img/i],
    ['a javascript: link', '[click](javascript:alert(1))', /href="javascript/i],
    ['a data: link', '[click](data:text/html;base64,PHNjcmlwdD4=)', /href="data:/i],
    ['an inline style', '<p style="position:fixed">x</p>', /style/i],
    ['an iframe', '<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['a class smuggled on a link', '<a class="govuk-button" href="/x">x</a>', /govuk-button/],
    ['a protocol-relative link', '[x](//evil.example/)', /href="\/\/evil/],
  ])('never lets through %s', (_name, source, forbidden) => {
    // Only the markup counts: escaped text such as &lt;script&gt; is harmless and shown as typed.
    const tags = (renderMarkdown(source).match(/<[^>]+>/g) ?? []).join(' ')
    expect(tags).not.toMatch(forbidden)
  })

  it('shows raw HTML typed by an editor as text rather than dropping it silently', () => {
    expect(renderMarkdown('Use <b>bold</b> here')).toContain('&lt;b&gt;bold&lt;/b&gt;')
  })

  it('renders tables with GOV.UK classes and column headers', () => {
    const html = renderMarkdown('| Sign | Often |\n| --- | --- |\n| Short visits | yes |')
    expect(html).toContain('<table class="govuk-table">')
    expect(html).toContain('<th class="govuk-table__header" scope="col">Sign</th>')
    expect(html).toContain('<td class="govuk-table__cell">Short visits</td>')
  })
})
