/**
 * A module's code queries the tables its module declares (its `tables.ts`) and the platform's
 * (src/db/schema.ts), and another module's only where eslint.config.js says so, table by table,
 * as a read or a write. Module walls are where children's data leaks: a count or a list built on
 * another module's table skips that module's need-to-know rules, so each such read is named where
 * a reviewer sees it, and the list may only shrink as reads move behind the owning module's
 * public surface.
 *
 * Tables are found in Kysely calls (`selectFrom('people as p')`, joins, inserts, updates and
 * deletes), in `sql` templates and the text of `sql.raw()` (the word after from, join, into,
 * update or delete from), and in `sql.table()`: a write when the template puts it after into,
 * update or delete from. `sql.table()` must name its table where the rule can read it (a string, a
 * constant, or the variable of a for-of over a list of strings): a name it cannot read is refused,
 * since it could be any module's table. `sql.raw()` of a computed string is not read.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'

const READ_CALLS = new Set(['selectFrom', 'innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'innerJoinLateral', 'leftJoinLateral'])
const WRITE_CALLS = new Set(['insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto'])
const TEMPLATE_TABLE = /\b(delete\s+from|from|join|into|update)\s+([a-z_][a-z0-9_]*)/gi
const WRITE_BEFORE = /\b(delete\s+from|into|update)\s*$/i

/** Whether the verb before a table in SQL text makes it a write. */
const isWriteVerb = (verb) => /^(into|update|delete)/i.test(verb)

/** SQL text with its string literals emptied, so words inside them are not read as tables. */
const withoutStrings = (text) => text.replace(/'(?:[^']|'')*'/g, "''")

/**
 * The strings a `sql.table()` argument can be: a literal, a constant's literal, or each string of
 * the array a for-of runs the variable over. Null when the rule cannot tell.
 */
function possibleNames(context, node) {
  if (node.type === 'Literal' && typeof node.value === 'string') return [node.value]
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return [node.quasis[0].value.cooked]
  if (node.type !== 'Identifier') return null
  let scope = context.sourceCode.getScope(node)
  let variable
  while (scope && !variable) {
    variable = scope.set.get(node.name)
    scope = scope.upper
  }
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined
  if (!def || def.type !== 'Variable' || def.parent.kind !== 'const') return null
  const declaration = def.parent
  if (declaration.parent.type === 'ForOfStatement' && declaration.parent.left === declaration) {
    const list = declaration.parent.right
    if (list.type !== 'ArrayExpression') return null
    const names = list.elements.map((e) => (e?.type === 'Literal' && typeof e.value === 'string' ? e.value : null))
    return names.includes(null) ? null : names
  }
  if (def.node.init?.type === 'Literal' && typeof def.node.init.value === 'string') return [def.node.init.value]
  return null
}

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
      unreadable: 'sql.table() names its table where lantern-modules/module-tables cannot read it: write the name as a string, a constant, or a for-of over a list of strings.',
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

    function checkText(node, sqlText) {
      for (const m of withoutStrings(sqlText).matchAll(TEMPLATE_TABLE)) check(node, m[2].toLowerCase(), isWriteVerb(m[1]))
    }

    /** `sql.raw('...')`: its text, when it is written out. */
    function sqlRaw(node) {
      const arg = node.arguments[0]
      if (arg?.type === 'Literal' && typeof arg.value === 'string') checkText(arg, arg.value)
      if (arg?.type === 'TemplateLiteral') for (const q of arg.quasis) checkText(q, q.value.cooked ?? q.value.raw)
    }

    /** `sql.table(name)`: a write when the template it sits in puts it after into, update or delete from. */
    function sqlTable(node) {
      const arg = node.arguments[0]
      const names = arg ? possibleNames(context, arg) : null
      if (!names) {
        context.report({ node, messageId: 'unreadable' })
        return
      }
      const template = node.parent?.type === 'TemplateLiteral' ? node.parent : undefined
      const before = template ? template.quasis[template.expressions.indexOf(node)] : undefined
      const write = before ? WRITE_BEFORE.test(withoutStrings(before.value.cooked ?? before.value.raw)) : false
      for (const table of names) check(arg, tableOf(table), write)
    }

    return {
      CallExpression(node) {
        const callee = node.callee
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return
        const name = callee.property.name
        if (callee.object.type === 'Identifier' && callee.object.name === 'sql') {
          if (name === 'table') sqlTable(node)
          if (name === 'raw') sqlRaw(node)
          return
        }
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
        for (const q of node.quasi.quasis) checkText(q, q.value.cooked ?? q.value.raw)
      },
    }
  },
}
