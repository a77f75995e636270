import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Four projects. With TEST_DATABASE_URL set (the PostgreSQL pass of CI), only those that touch a
 * database run: the unit tests beside the code and the browser tests never do (a browser test's
 * server runs on its own embedded database), so running them twice would only cost time.
 */
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

const projects = [
  { name: 'unit', include: ['src/**/*.test.ts'], database: false },
  { name: 'integration', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], database: true },
  { name: 'sdk', include: ['clients/typescript/test/**/*.test.ts'], database: true },
  { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 180_000, database: false },
];

/**
 * Test files at a time: at least two. vitest's default (one fewer than the cores) is one on a
 * 2-core machine, which runs the files in series although most of their time is spent waiting on
 * something else — a child server, Chromium, PostgreSQL, a queue poll — or importing the app.
 * Decision 115 has the measurements. `VITEST_MAX_WORKERS=1` runs them in series (the projects
 * inherit this value, so the `--maxWorkers` flag does not reach them).
 */
const maxWorkers = Math.max(2, availableParallelism() - 1);

export default defineConfig({
  test: {
    maxWorkers,
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: projects
      .filter((p) => p.database || !onPostgres)
      .map(({ database: _database, ...test }) => ({ extends: true, test })),
  },
});
