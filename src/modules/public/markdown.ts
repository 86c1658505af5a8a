import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked'
import sanitizeHtml from 'sanitize-html'

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** `!! text` on its own line: the GOV.UK warning text component. */
const warning: TokenizerAndRendererExtension = {
  name: 'govukWarning',
  level: 'block',
  start: (src: string) => src.match(/^!! /m)?.index,
  tokenizer(src: string) {
    const match = /^!! ([^\n]+)(?:\n|$)/.exec(src)
    if (!match) return undefined
    return { type: 'govukWarning', raw: match[0], text: match[1].trim(), tokens: this.lexer.inlineTokens(match[1].trim()) }
  },
  renderer(token) {
    const inner = this.parser.parseInline((token as Tokens.Generic).tokens ?? [])
    return `<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> ${inner}</strong></div>\n`
  },
}

const marked = new Marked({ gfm: true, breaks: false, async: false })
marked.use({
  extensions: [warning],
  // Raw HTML typed into the editor is shown as text, never passed through.
  renderer: {
    html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
  },
})

const GOVUK_CLASSES: Record<string, string> = {
  h2: 'govuk-heading-m',
  h3: 'govuk-heading-s',
  h4: 'govuk-heading-s',
  p: 'govuk-body',
  ul: 'govuk-list govuk-list--bullet',
  ol: 'govuk-list govuk-list--number',
  a: 'govuk-link',
  table: 'govuk-table',
  thead: 'govuk-table__head',
  tbody: 'govuk-table__body',
  tr: 'govuk-table__row',
  th: 'govuk-table__header',
  td: 'govuk-table__cell',
  hr: 'govuk-section-break govuk-section-break--l govuk-section-break--visible',
}

function withClass(tag: string): sanitizeHtml.Transformer {
  return (_name, attribs) => ({ tagName: tag, attribs: { ...attribs, class: GOVUK_CLASSES[tag] } })
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'code', 'br', 'hr', 'div', 'span', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: {
    a: ['href', 'class', 'rel'],
    span: ['class', 'aria-hidden'],
    th: ['class', 'scope'],
    '*': ['class'],
  },
  allowedClasses: {
    h2: ['govuk-heading-m'],
    h3: ['govuk-heading-s'],
    h4: ['govuk-heading-s'],
    p: ['govuk-body'],
    ul: ['govuk-list', 'govuk-list--bullet'],
    ol: ['govuk-list', 'govuk-list--number'],
    a: ['govuk-link'],
    div: ['govuk-inset-text', 'govuk-warning-text'],
    span: ['govuk-warning-text__icon', 'govuk-visually-hidden'],
    strong: ['govuk-warning-text__text'],
    table: ['govuk-table'],
    thead: ['govuk-table__head'],
    tbody: ['govuk-table__body'],
    tr: ['govuk-table__row'],
    th: ['govuk-table__header'],
    td: ['govuk-table__cell'],
    hr: ['govuk-section-break', 'govuk-section-break--l', 'govuk-section-break--visible'],
  },
  allowedSchemes: ['https', 'http', 'mailto', 'tel'],
  allowProtocolRelative: false,
  transformTags: {
    // The page title is the only h1; a heading written as # becomes a section heading.
    h1: withClass('h2'),
    h2: withClass('h2'),
    h3: withClass('h3'),
    h4: withClass('h4'),
    h5: withClass('h4'),
    h6: withClass('h4'),
    p: withClass('p'),
    ul: withClass('ul'),
    ol: withClass('ol'),
    table: withClass('table'),
    thead: withClass('thead'),
    tbody: withClass('tbody'),
    tr: withClass('tr'),
    th: () => ({ tagName: 'th', attribs: { class: GOVUK_CLASSES.th, scope: 'col' } }),
    td: withClass('td'),
    hr: withClass('hr'),
    blockquote: () => ({ tagName: 'div', attribs: { class: 'govuk-inset-text' } }),
    a: (_name, attribs) => {
      const href = attribs.href ?? ''
      const external = /^https?:/i.test(href)
      return { tagName: 'a', attribs: { href, class: 'govuk-link', ...(external ? { rel: 'noreferrer noopener' } : {}) } }
    },
  },
}

/**
 * Renders a public page's markdown as HTML safe to put on the page: GOV.UK classes on every
 * element, raw HTML shown as text, and anything else (scripts, event handlers, styles, images,
 * `javascript:` links) removed by an allow-list.
 */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false })
  return sanitizeHtml(html, SANITIZE)
}
