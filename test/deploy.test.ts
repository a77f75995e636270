/**
 * The deployment files against the code they deploy: the compose file's environment is a valid
 * production configuration, every variable the files name is one Atelier reads, and the image
 * holds every folder the server reads at run time.
 * Real: compose.yaml, deploy/env.example, Dockerfile, deploy/systemd/*, config.ts's loader, the
 * source tree. Stand-in: docker itself (no image is built here: the machine has no registry of base
 * images), so the compose variables are interpolated by the small resolver below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configVariables, loadConfig } from '../src/config.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Variables of the bundled services, not of Atelier. */
const COMPOSE_ONLY = new Set(['POSTGRES_PASSWORD', 'MINIO_ROOT_PASSWORD', 'ATELIER_PORT']);

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
const atelierServices = ['setup', 'api', 'worker'] as const;

/** `${NAME:-default}` and `${NAME:?message}` as compose resolves them, from `values`. */
function interpolate(value: string, values: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, rest?: string) => {
    const set = values[name];
    if (set) return set;
    if (op === '?') throw new Error(`${name} must be set: ${rest}`);
    return rest ?? '';
  });
}

describe('compose.yaml', () => {
  const dotEnv = { POSTGRES_PASSWORD: 'pg-password', MINIO_ROOT_PASSWORD: 'minio-password', ATELIER_SECRET: 'x'.repeat(48) };

  it('gives the api, the worker and the setup step a valid production configuration', () => {
    for (const name of atelierServices) {
      const env = Object.fromEntries(Object.entries(compose.services[name]!.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), dotEnv)]));
      const config = loadConfig(env);
      expect(config.isProduction).toBe(true);
      expect(config.database.url).toBe('postgres://atelier:pg-password@postgres:5432/atelier');
      expect(config.storage.driver).toBe('s3');
    }
  });

  it('refuses to start without the secrets the operator must choose', () => {
    expect(() => interpolate(String(compose.services.api!.environment!.ATELIER_SECRET), {})).toThrow(/ATELIER_SECRET must be set/);
  });

  it('passes Atelier only variables it reads', () => {
    for (const name of atelierServices) {
      const unknown = Object.keys(compose.services[name]!.environment ?? {}).filter((k) => !configVariables.includes(k));
      expect(unknown, name).toEqual([]);
    }
  });

  it('orders the start: setup after the database, api and worker after setup; the worker has no HTTP health check', () => {
    expect(compose.services.setup!.command).toEqual(['init', '--preset', '${ATELIER_PRESET:-all}']);
    expect(compose.services.api!.depends_on?.setup?.condition).toBe('service_completed_successfully');
    expect(compose.services.worker!.depends_on?.setup?.condition).toBe('service_completed_successfully');
    expect(compose.services.api!.healthcheck?.disable).not.toBe(true);
    expect(compose.services.worker!.healthcheck?.disable).toBe(true);
  });
});

describe('deploy/env.example', () => {
  it('names only variables Atelier reads, or those of the bundled services', () => {
    const named = [...read('deploy/env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((n) => !configVariables.includes(n) && !COMPOSE_ONLY.has(n))).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const copied = [...finalStage.matchAll(/^COPY (?:--from=\S+ )?\S+ \.\/(\S+)$/gm)].map((m) => path.join(ROOT, m[1]!));

  it('holds every folder the server reads files from at run time', () => {
    const read: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          for (const m of fs.readFileSync(full, 'utf8').matchAll(/new URL\('(\.{1,2}\/[^']+)', import\.meta\.url\)/g)) read.push(path.resolve(path.dirname(full), m[1]!));
          for (const m of fs.readFileSync(full, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) read.push(path.resolve(path.dirname(full), m[1]!));
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(read.length).toBeGreaterThan(100);
    const missing = [...new Set(read.filter((file) => !copied.some((dir) => file === dir || file.startsWith(dir + path.sep))))];
    expect(missing.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  it('runs as an unprivileged user on Node 24 and checks /readyz', () => {
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=24\./m);
    expect(finalStage).toMatch(/^USER node$/m);
    expect(finalStage).toMatch(/^HEALTHCHECK .*\n?.*\/readyz/m);
    expect(finalStage).toMatch(/npm ci --omit=dev|COPY --from=deps/);
  });
});

describe('deploy/systemd', () => {
  it('runs the commands the command line offers', () => {
    const commands = fs
      .readdirSync(path.join(ROOT, 'deploy/systemd'))
      .map((f) => read(`deploy/systemd/${f}`).match(/src\/main\.ts (\w+)/)?.[1]);
    expect(commands.sort()).toEqual(['api', 'init', 'worker']);
    const usage = read('src/main.ts');
    for (const c of commands) expect(usage).toContain(`case '${c}':`);
  });
});
