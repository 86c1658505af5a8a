import { RuleTester } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'
import rule, { hasTopLevelOr } from './sql-condition-or.js'

RuleTester.describe = describe
RuleTester.it = it
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } })

describe('a SQL condition with OR at its top level', () => {
  it('finds OR outside brackets, and not inside them or in a quoted string', () => {
    expect(hasTopLevelOr('a = 1 or b = 2')).toBe(true)
    expect(hasTopLevelOr('(a = 1 or b = 2)')).toBe(false)
    expect(hasTopLevelOr("a = 1 and b in (select x from y where c or d)")).toBe(false)
    expect(hasTopLevelOr("(a) OR (b)")).toBe(true)
    expect(hasTopLevelOr('coalesce(a, b) = ? and word_order = 1')).toBe(false)
  })

  tester.run('sql-condition-or', rule, {
    valid: [
      "db.selectFrom('t').where(sql`(a = ${x} or b = ${y})`)",
      "db.selectFrom('t').where(sql`a = ${x} and b in (select 1 where c or d)`)",
      "const label = sql<string>`a || ' or ' || b`",
      "db.selectFrom('t').where(sql`kind = 'this or that'`)",
    ],
    invalid: [
      { code: "db.selectFrom('t').where('x', '=', 1).where(sql`a = ${x} or b = ${y}`)", errors: [{ messageId: 'bracket' }] },
      { code: "q.innerJoin('u', (j) => j.on(sql`u.id = t.a or u.id = t.b`))", errors: [{ messageId: 'bracket' }] },
      { code: 'const visible = sql<SqlBool>`owner = ${agency} or shared`', errors: [{ messageId: 'bracket' }] },
      { code: 'const visible = sql<boolean>`owner = ${agency} OR shared`', errors: [{ messageId: 'bracket' }] },
    ],
  })
})
