/**
 * A module's code queries the tables its module declares (its `tables.ts`) and the platform's
 * (src/db/schema.ts), and another module's only where eslint.config.js says so, table by table,
 * as a read or a write. Module walls are where children's data leaks: a count or a list built on
 * another module's table skips that module's need-to-know rules, so each such read is named where
 * a reviewer sees it, and the list may only shrink as reads move behind the owning module's
 * public surface.
 *
 * Tables are found in Kysely calls (`selectFrom('people as p')`, joins, inserts, updates and
 * deletes) and in `sql` templates (the word after from, join, into or update).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'

const READ_CALLS = new Set(['selectFrom', 'innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'innerJoinLateral', 'leftJoinLateral'])
const WRITE_CALLS = new Set(['insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto'])
const TEMPLATE_TABLE = /\b(from|join|into|update)\s+([a-z_][a-z0-9_]*)/gi

/** Table name to owning module, from each module's `declare module ... interface Database { ... }`. */
export function tableOwners(root) {
  const owners = new Map()
  const modules = path.join(root, 'src/modules')
  if (!existsSync(modules)) return owners
  for (const name of readdirSync(modules)) {
    const file = path.join(modules, name, 'tables.ts')
    if (!existsSync(file)) continue
    const text = readFileSync(file, 'utf8')
    const block = /interface Database \{([^}]*)\}/.exec(text)
    if (!block) continue
    for (const m of block[1].matchAll(/^\s*([a-z_][a-z0-9_]*)\s*:/gm)) owners.set(m[1], name)
  }
  return owners
}

const ownersByRoot = new Map()

function tableOf(literal) {
  return literal.trim().split(/\s+as\s+/i)[0].trim()
}

export default {
  meta: {
    type: 'problem',
    docs: { description: "refuse a query on another module's table unless eslint.config.js names it" },
    messages: {
      foreign: "{{table}} belongs to the {{owner}} module: {{verb}} it through that module's index.ts, or name it under {{module}}'s {{kind}} in eslint.config.js (lantern/module-tables).",
    },
    schema: [
      {
        type: 'object',
        properties: {
          reads: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          writes: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        },
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const file = path.relative(context.cwd, context.filename).split(path.sep).join('/')
    const module = /^src\/modules\/([^/]+)\//.exec(file)?.[1]
    if (!module) return {}
    if (!ownersByRoot.has(context.cwd)) ownersByRoot.set(context.cwd, tableOwners(context.cwd))
    const owners = ownersByRoot.get(context.cwd)
    const options = context.options[0] ?? {}
    const reads = new Set(options.reads?.[module] ?? [])
    const writes = new Set(options.writes?.[module] ?? [])

    function check(node, table, write) {
      const owner = owners.get(table)
      if (!owner || owner === module) return
      // A write named is a read allowed too; a read named never allows a write.
      if (writes.has(table) || (!write && reads.has(table))) return
      context.report({ node, messageId: 'foreign', data: { table, owner, module, verb: write ? 'change' : 'read', kind: write ? 'writes' : 'reads' } })
    }

    return {
      CallExpression(node) {
        const callee = node.callee
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return
        const name = callee.property.name
        const write = WRITE_CALLS.has(name)
        if (!write && !READ_CALLS.has(name)) return
        const first = node.arguments[0]
        const literals = first?.type === 'ArrayExpression' ? first.elements : [first]
        for (const lit of literals) {
          if (lit?.type === 'Literal' && typeof lit.value === 'string') check(lit, tableOf(lit.value), write)
        }
      },
      TaggedTemplateExpression(node) {
        if (node.tag.type !== 'Identifier' || node.tag.name !== 'sql') return
        for (const q of node.quasi.quasis) {
          const text = (q.value.cooked ?? q.value.raw).replace(/'(?:[^']|'')*'/g, "''")
          for (const m of text.matchAll(TEMPLATE_TABLE)) {
            const verb = m[1].toLowerCase()
            check(q, m[2].toLowerCase(), verb === 'into' || verb === 'update')
          }
        }
      },
    }
  },
}
