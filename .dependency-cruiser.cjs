/**
 * Lantern's house rules: which part may import which. Run by `npm run lint` (depcruise) and
 * explained in docs/architecture.md. Lower floors never import higher ones:
 *
 *   kernel        request context, current user, errors, Result, form errors, London time and the clock
 *   analytics     pure libraries (graph, linkage, trends): no database, no web
 *   db            the database handle, dialects, migrations
 *   platform      access, audit, auth and the web kit that route files use
 *   modules       one folder per capability; other modules only through their index.ts
 *   assembly      app.ts, server.ts, composition.ts, bootstrap.ts, the CLI and the demo story
 *
 * Tests (*.test.ts) may import anything and are not cruised. Known violations that predate a rule
 * are listed in .dependency-cruiser-known-violations.json (made by `depcruise-baseline`) so the rule
 * holds for every new import while the old ones are worked off; the list may only shrink.
 */
const ASSEMBLY = '^src/(cli/|app\\.ts$|server\\.ts$|composition\\.ts$|bootstrap\\.ts$|demo/seed\\.ts$|modules/index\\.ts$)'

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes a floor depend on itself: break it by moving the shared part down.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-not-to-tests',
      comment: 'Production code never imports test helpers, benches or test libraries.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/|node_modules/(vitest|@vitest|playwright-core|@axe-core|supertest)/' },
    },
    {
      name: 'kernel-is-the-floor',
      comment: 'The kernel imports nothing else of Lantern.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/kernel/' },
    },
    {
      name: 'analytics-is-a-library',
      comment: 'Graph, linkage and trend libraries know nothing of the database or the web.',
      severity: 'error',
      from: { path: '^src/analytics/' },
      to: { path: '^src/', pathNot: '^src/(analytics|kernel)/' },
    },
    {
      name: 'migrations-stand-alone',
      comment: 'A migration must write the same on every installation: it never imports module code.',
      severity: 'error',
      from: { path: '^src/db/migrations/' },
      to: { path: '^src/', pathNot: '^src/(db/migration\\.ts|db/migrations/|kernel/)' },
    },
    {
      name: 'db-below-everything-else',
      comment: 'The database layer serves the floors above it and never imports them.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(modules|web|access|audit|auth|cli|demo)/|' + ASSEMBLY },
    },
    {
      name: 'platform-below-modules',
      comment: 'Access, audit, auth and the web kit are used by modules and never import them.',
      severity: 'error',
      from: { path: '^src/(access|audit|auth|web)/' },
      to: { path: '^src/modules/|' + ASSEMBLY },
    },
    {
      name: 'modules-below-assembly',
      comment: 'A capability is assembled by the app, the CLI and the demo; it never imports them.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: ASSEMBLY },
    },
    {
      name: 'module-internals',
      comment: "Another module's behaviour comes through its index.ts, never its internal files.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
}
