/**
 * Writes the diagram of docs/architecture.md from the code: which parts of src/ import which,
 * folder by folder (a module counts as one box). `--check` exits 1 when the committed diagram is
 * out of date, as the architecture test does.
 *
 *   node --import tsx scripts/architecture-diagram.ts [--check]
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DOC = path.join(root, 'docs/architecture.md')
const START = '<!-- diagram: made by scripts/architecture-diagram.ts -->'
const END = '<!-- end of diagram -->'

export function diagram(): string {
  const mermaid = execFileSync(
    path.join(root, 'node_modules/.bin/depcruise'),
    ['src', '--config', '.dependency-cruiser.cjs', '--include-only', '^src', '--collapse', '^src/(modules/[^/]+|[^/]+)', '--output-type', 'mermaid'],
    { cwd: root, encoding: 'utf8' },
  )
  return `${START}\n\`\`\`mermaid\n${mermaid.trim()}\n\`\`\`\n${END}`
}

export function withDiagram(doc: string, made: string): string {
  const from = doc.indexOf(START)
  const to = doc.indexOf(END)
  if (from < 0 || to < 0) throw new Error(`${DOC} has no diagram markers`)
  return doc.slice(0, from) + made + doc.slice(to + END.length)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const doc = readFileSync(DOC, 'utf8')
  const next = withDiagram(doc, diagram())
  if (process.argv.includes('--check')) {
    if (next !== doc) {
      console.error('docs/architecture.md: the diagram is out of date; run node --import tsx scripts/architecture-diagram.ts')
      process.exit(1)
    }
  } else writeFileSync(DOC, next)
}
