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

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: projects
      .filter((p) => p.database || !onPostgres)
      .map(({ database: _database, ...test }) => ({ extends: true, test })),
  },
});
