/**
 * The dependency rule (docs/ARCHITECTURE.md, decision 023), run by `npm run lint`:
 * - modules import each other only downward, in this order, so no cycle between modules can form:
 *   accounts ← media ← billing ← catalog ← generation ← privacy ← notifications ← admin;
 * - a module imports another only through its `index.ts` — the one exception is a `*.tables.ts`
 *   importing another module's `*.tables.ts` for a foreign key;
 * - `platform/` imports no module and none of the root files but `config.ts`;
 * - nothing imports the root files that wire the process (`app.ts`, `main.ts`, `compose.ts`,
 *   `runtime.ts`, `jobs.ts`, `maintenance.ts`, `schema.ts`) but other root files;
 * - no cycle between files anywhere in `src/`.
 */
const order = ['accounts', 'media', 'billing', 'catalog', 'generation', 'privacy', 'notifications', 'admin'];

/** One rule per module: it may not import any module above it in `order`. */
const downwardOnly = order.map((name, i) => ({
  name: `${name}-imports-only-lower-modules`,
  severity: 'error',
  comment: `${name} may import only ${order.slice(0, i).join(', ') || 'no other module'} (and the platform); hand anything else in from src/compose.ts`,
  from: { path: `^src/modules/${name}/` },
  to: { path: `^src/modules/(${order.slice(i + 1).join('|') || '$^'})/` },
}));

module.exports = {
  forbidden: [
    ...downwardOnly,
    {
      name: 'module-imports-through-index',
      severity: 'error',
      comment: "another module is reached through its index.ts; only a *.tables.ts may import another module's *.tables.ts (foreign keys)",
      from: { path: '^src/modules/([^/]+)/', pathNot: '\\.tables\\.ts$' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'tables-import-tables',
      severity: 'error',
      comment: "a *.tables.ts reaches another module only for a foreign key, through that module's *.tables.ts",
      from: { path: '^src/modules/([^/]+)/.+\\.tables\\.ts$' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '\\.tables\\.ts$'] },
    },
    {
      name: 'platform-imports-no-module',
      severity: 'error',
      comment: 'the platform sits below every module',
      from: { path: '^src/platform/' },
      to: { path: ['^src/modules/', '^src/(app|main|compose|runtime|jobs|maintenance|schema)\\.ts$'] },
    },
    {
      name: 'nothing-imports-the-wiring',
      severity: 'error',
      comment: 'app.ts, main.ts, compose.ts and the other root files wire the process; modules and the platform never import them',
      from: { path: '^src/(modules|platform)/' },
      to: { path: '^src/(app|main|compose|runtime|jobs|maintenance|schema)\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no cycle between files',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['\\.test\\.ts$', '/testing/'] },
  },
};
