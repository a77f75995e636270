/**
 * `npm run sdk:generate`: rewrites clients/typescript/src/schema.d.ts from the OpenAPI document of
 * the app as this checkout builds it — on a throw-away embedded database, asked through inject(),
 * with no server listening and nothing contacted (decision 032).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.ts';
import { composeModules } from '../src/compose.ts';
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/runtime.ts';
import { publishedDocumentEnv, SCHEMA_FILE, schemaSourceOf } from './openapi-sdk.ts';

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-sdk-'));
try {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', ATELIER_DATA_DIR: dataDir, ...publishedDocumentEnv });
  const rt = await openRuntime(config);
  try {
    const app = await buildApp({ ...rt, modules: composeModules(rt), webRoot: null });
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    await app.close();
    if (res.statusCode !== 200) throw new Error(`GET /api/openapi.json answered ${res.statusCode}`);
    await fs.writeFile(SCHEMA_FILE, await schemaSourceOf(JSON.parse(res.body) as object));
    process.stdout.write(`wrote ${path.relative(process.cwd(), fileURLToPath(SCHEMA_FILE))}\n`);
  } finally {
    await rt.close();
  }
} finally {
  await fs.rm(dataDir, { recursive: true, force: true });
}
