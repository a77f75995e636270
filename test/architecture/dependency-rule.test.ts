/**
 * The dependency rule of .dependency-cruiser.cjs (decision 023), checked two ways. Real:
 * dependency-cruiser's own API with the project's rule set, on the real `src/` (no violation) and
 * on a small tree written to a temp folder that breaks each rule on purpose (each one is caught).
 * Nothing is a stand-in.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = createRequire(import.meta.url)(path.join(root, '.dependency-cruiser.cjs')) as {
  forbidden: Array<{ name: string }>;
  options: { exclude: unknown };
};

async function violations(baseDir: string): Promise<Array<{ rule: string; from: string; to: string }>> {
  const result = await cruise(['src'], {
    baseDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden } as never,
    tsPreCompilationDeps: true,
    exclude: config.options.exclude as never,
    doNotFollow: { path: 'node_modules' },
  });
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-deps-'));
afterAll(() => fs.rm(temp, { recursive: true, force: true }));

async function write(files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(temp, file)), { recursive: true });
    await fs.writeFile(path.join(temp, file), text);
  }
}

describe('the dependency rule', () => {
  it('holds for the code as it is', async () => {
    expect(await violations(root)).toEqual([]);
  });

  it('catches a cycle between modules, a reach past an index, the platform importing a module, and a module importing the root', async () => {
    await write({
      // accounts → generation is upward (and, with generation → accounts, a cycle).
      'src/modules/accounts/index.ts': "import { run } from '../generation/index.ts';\nexport const who = () => run();\n",
      'src/modules/generation/index.ts': "import { who } from '../accounts/index.ts';\nexport const run = () => who;\n",
      // media reaches past accounts' index.
      'src/modules/media/index.ts': "import { secret } from '../accounts/passwords.ts';\nexport const m = secret;\n",
      'src/modules/accounts/passwords.ts': 'export const secret = 1;\n',
      // a table may import a table (the foreign-key exception), but not a module's index.
      'src/modules/media/media.tables.ts': "import { users } from '../accounts/accounts.tables.ts';\nimport { who } from '../accounts/index.ts';\nexport const assets = [users, who];\n",
      'src/modules/accounts/accounts.tables.ts': 'export const users = 1;\n',
      // the platform importing a module; a module importing the composition root.
      'src/platform/audit.ts': "import { who } from '../modules/accounts/index.ts';\nexport const a = who;\n",
      'src/modules/billing/index.ts': "import { compose } from '../../compose.ts';\nexport const b = compose;\n",
      'src/compose.ts': 'export const compose = 1;\n',
    });
    const found = await violations(temp);
    const rules = new Set(found.map((v) => v.rule));
    expect(rules).toEqual(
      new Set(['accounts-imports-only-lower-modules', 'no-circular', 'module-imports-through-index', 'tables-import-tables', 'platform-imports-no-module', 'nothing-imports-the-wiring']),
    );
    // The table's foreign-key import itself is allowed; only its import of the index is not.
    expect(found.filter((v) => v.from === 'src/modules/media/media.tables.ts').map((v) => v.to)).toEqual(['src/modules/accounts/index.ts']);
  });
});
