/**
 * A throwaway PostgreSQL server of the load test's own (`LOADTEST_FAULTS=pg-restart`), so that
 * restarting it mid-run disturbs nothing else on the machine. Made with the installed server's
 * initdb and pg_ctl; when run as root, they run as the `postgres` system user, which PostgreSQL
 * requires. Fast and unsafe settings (no fsync): the data is thrown away at the end.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function binDir(): Promise<string> {
  const { stdout } = await run('pg_config', ['--bindir']).catch(() => ({ stdout: '' }));
  const fromConfig = stdout.trim();
  const candidates = [fromConfig, ...(await fs.readdir('/usr/lib/postgresql').catch(() => [] as string[])).sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin`)];
  for (const dir of candidates) {
    if (dir && (await fs.access(path.join(dir, 'initdb')).then(() => true, () => false))) return dir;
  }
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found');
}

export interface PrivatePostgres {
  url: string;
  /** Stops the server (fast shutdown: every connection is dropped), waits `downMs`, starts it again. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivatePostgres(port: number): Promise<PrivatePostgres> {
  const bin = await binDir();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-load-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await run('chown', ['postgres:postgres', dir]);
  const pg = (tool: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args));
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = () => pg('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', 'start']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart(downMs) {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
