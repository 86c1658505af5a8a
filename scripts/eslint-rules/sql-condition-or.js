/**
 * A SQL condition written as a `sql` template with OR at its top level must be wrapped in
 * parentheses. Kysely joins `.where()` calls (and the conditions of `.on()` and `.having()`) with
 * AND and adds no brackets around raw SQL, so `.where('x', '=', 1).where(sql`a or b`)` runs as
 * `x = 1 and a or b`: every row that matches `b` comes back, whatever else was asked. In Lantern
 * that is a need-to-know condition ignored (it listed every activity of an operation to a partner
 * agency, whichever entity was asked about).
 *
 * A template is a condition when it is the argument of `where`, `having` or `on`, or when it is
 * typed `sql<boolean>` or `sql<SqlBool>` (a fragment built to be put in a condition elsewhere).
 */

const CONDITION_CALLS = new Set(['where', 'having', 'on'])
const BOOLEAN_TYPES = new Set(['boolean', 'SqlBool'])

/** The template's text with each interpolation as a placeholder and quoted strings emptied. */
function templateText(quasi) {
  return quasi.quasis
    .map((q) => q.value.cooked ?? q.value.raw)
    .join(' ? ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""')
}

/** Whether OR appears outside every pair of brackets. */
export function hasTopLevelOr(text) {
  let depth = 0
  const tokens = text.match(/\(|\)|\bor\b/gi) ?? []
  for (const token of tokens) {
    if (token === '(') depth++
    else if (token === ')') depth--
    else if (depth === 0) return true
  }
  return false
}

function typedBoolean(node) {
  const args = node.typeArguments ?? node.typeParameters
  const param = args?.params?.[0]
  if (!param) return false
  if (param.type === 'TSBooleanKeyword') return true
  return param.type === 'TSTypeReference' && param.typeName.type === 'Identifier' && BOOLEAN_TYPES.has(param.typeName.name)
}

function conditionArgument(node) {
  const parent = node.parent
  return parent?.type === 'CallExpression' && parent.arguments.includes(node) && parent.callee.type === 'MemberExpression' && parent.callee.property.type === 'Identifier' && CONDITION_CALLS.has(parent.callee.property.name)
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'require brackets around a SQL condition whose top level is an OR' },
    messages: {
      bracket: 'Wrap this condition in brackets: Kysely joins conditions with AND without brackets, so `x and a or b` returns every row matching b.',
    },
    schema: [],
  },
  create(context) {
    return {
      TaggedTemplateExpression(node) {
        if (node.tag.type !== 'Identifier' || node.tag.name !== 'sql') return
        if (!conditionArgument(node) && !typedBoolean(node)) return
        if (hasTopLevelOr(templateText(node.quasi))) context.report({ node, messageId: 'bracket' })
      },
    }
  },
}
