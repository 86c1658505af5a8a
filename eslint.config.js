import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'
import sqlConditionOr from './scripts/eslint-rules/sql-condition-or.js'
import moduleTables from './scripts/eslint-rules/module-tables.js'
import { MODULE_TABLE_READS, MODULE_TABLE_WRITES } from './scripts/eslint-rules/module-tables-known.js'

export default tseslint.config(
  // dist.building-*: a build in progress (the test run makes one while the lint runs beside it).
  { ignores: ['node_modules', 'data', 'dist', 'dist.building-*', 'public', 'coverage', 'bench/out', 'tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['src/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    plugins: { lantern: { rules: { 'sql-condition-or': sqlConditionOr } } },
    rules: { 'lantern/sql-condition-or': 'error' },
  },
  {
    // SQL lives in stores and the database layer; services hold rules, routes parse and render.
    // Sites that predate this rule are listed in eslint-suppressions.json, which may only shrink
    // (`npx eslint --prune-suppressions` after moving one into a store).
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/db/**', 'src/**/store.ts', 'src/**/*-store.ts', 'src/**/stores/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom)$/]",
          message: 'SQL belongs in a store (store.ts or *-store.ts) or src/db: call the store from here.',
        },
        { selector: "TaggedTemplateExpression[tag.name='sql']", message: 'SQL belongs in a store (store.ts or *-store.ts) or src/db: call the store from here.' },
        { selector: "CallExpression[callee.object.name='sql']", message: 'SQL belongs in a store (store.ts or *-store.ts) or src/db: call the store from here.' },
      ],
    },
  },
  {
    files: ['src/modules/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    plugins: { 'lantern-modules': { rules: { 'module-tables': moduleTables } } },
    rules: { 'lantern-modules/module-tables': ['error', { reads: MODULE_TABLE_READS, writes: MODULE_TABLE_WRITES }] },
  },
  {
    // Integration and browser files share a module graph per worker (isolate: false in
    // vitest.config.ts), so one that replaced a module or a global would change the files after it.
    files: ['src/**/*.int.test.ts', 'test/e2e/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='vi'][callee.property.name=/^(mock|doMock|unmock|stubGlobal|stubEnv|resetModules|useFakeTimers)$/]",
          message: 'Integration and browser files share modules within a worker: mock or stub in a unit test, or give the code an option.',
        },
      ],
    },
  },
  {
    files: ['assets/js/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
)
