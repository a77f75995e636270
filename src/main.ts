/**
 * The command line:
 *   start    API + workers + web app in one process (embedded database unless DATABASE_URL is set)
 *   api      the HTTP API and web app only
 *   worker   background job workers only
 *   migrate  apply database migrations and exit
 *   init --preset <name>   set the database up for one product (API.md "Presets") and exit
 *   admin create --email <e> --password <p>   create an administrator
 */
import { parseArgs } from 'node:util';
import { buildApp } from './app.ts';
import { composeModules, type Modules } from './compose.ts';
import { ConfigError, loadConfig, unsafeSettings, type Config } from './config.ts';
import { applyPreset } from './presets/apply.ts';
import { isPresetName, presetNames } from './presets/presets.ts';
import { settlePreset } from './presets/startup.ts';
import { openRuntime, type Runtime } from './runtime.ts';

const USAGE = `Usage: atelier <start|api|worker|migrate|init --preset <${presetNames.join('|')}>|admin create --email <email> --password <password>>`;

/** The runtime with the configuration of the product it runs (presets/startup.ts). */
async function productRuntime(config: Config, opts: { apply: boolean }): Promise<Runtime> {
  const rt = await openRuntime(config);
  return { ...rt, config: await settlePreset(rt, process.env, opts) };
}

/** Every queue's workers, the generation engine's included, in this process. */
const startWorkers = (rt: Runtime, modules: Modules) => rt.queue.work(modules.jobHandlers);

async function ensureConfiguredAdmin(rt: Runtime, modules: Modules): Promise<void> {
  if (!rt.config.admin) return;
  const result = await modules.accounts.admins.createAdmin(rt.config.admin);
  if (result.created) rt.log.info({ email: rt.config.admin.email }, 'created the configured administrator');
}

/**
 * Names, at warn level and once each, every setting that is unsafe on a live installation (decision
 * 050): a forgotten NODE_ENV or a leftover development switch shows in the first lines of the log.
 */
function warnUnsafeSettings(rt: Runtime): void {
  for (const setting of unsafeSettings(rt.config)) rt.log.warn({ unsafe_setting: true }, `UNSAFE FOR PRODUCTION: ${setting}`);
}

/** Stops cleanly on SIGINT/SIGTERM: finish in-flight requests and jobs, then close the database. */
function onShutdown(rt: Runtime, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    rt.log.info({ signal }, 'shutting down');
    stop()
      .then(() => rt.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        rt.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

async function serve(config: Config, withWorkers: boolean): Promise<void> {
  // The preset is applied before the configured admin is created: an installation without
  // accounts is still the preset's to shape (decision 040).
  const rt = await productRuntime(config, { apply: true });
  warnUnsafeSettings(rt);
  // One set of modules serves the API and, in `start`, the workers of this process.
  const modules = composeModules(rt);
  await ensureConfiguredAdmin(rt, modules);
  if (withWorkers) await startWorkers(rt, modules);
  const app = await buildApp({ ...rt, modules });
  const address = await app.listen({ port: config.port, host: config.host });
  const shown = rt.config.publicUrl ?? address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  // The one line a person starting Atelier needs, on stdout whatever the log level.
  process.stdout.write(
    `\n${rt.config.preset.productName} is running at ${shown}\n  preset: ${rt.config.preset.name}, database: ${rt.database.kind}${withWorkers ? ', workers: on' : ''}\n\n`,
  );
  onShutdown(rt, () => app.close());
}

async function worker(config: Config): Promise<void> {
  const rt = await productRuntime(config, { apply: false });
  warnUnsafeSettings(rt);
  await startWorkers(rt, composeModules(rt));
  rt.log.info({ database: rt.database.kind }, 'worker started');
  onShutdown(rt, async () => {});
}

async function adminCreate(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, password: { type: 'string' } } });
  if (!values.email || !values.password) throw new UsageError('admin create needs --email and --password');
  if (values.password.length < 8) throw new UsageError('the password must be at least 8 characters');
  const rt = await openRuntime(config);
  try {
    const result = await composeModules(rt).accounts.admins.createAdmin({ email: values.email, password: values.password });
    if (!result.created) throw new UsageError(`an account with ${values.email} already exists`);
    process.stdout.write(`Created administrator ${values.email} (${result.userId})\n`);
  } finally {
    await rt.close();
  }
}

async function init(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { preset: { type: 'string' } } });
  if (!values.preset || !isPresetName(values.preset)) throw new UsageError(`init needs --preset, one of ${presetNames.join(', ')}`);
  const rt = await openRuntime(config);
  try {
    const applied = await applyPreset(rt.database.db, rt.clock, values.preset);
    const written = Object.entries(applied.written).map(([table, n]) => `${table} ${n}`).join(', ');
    const how = applied.mode === 'set-exactly' ? 'set to the preset (no accounts yet)' : 'absent rows added';
    process.stdout.write(`Preset ${applied.preset} applied (${rt.database.kind}): ${how}; ${written}.\n`);
  } finally {
    await rt.close();
  }
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start':
      return serve(config, true);
    case 'api':
      return serve(config, false);
    case 'worker':
      return worker(config);
    case 'migrate': {
      const rt = await openRuntime(config);
      await rt.close();
      process.stdout.write(`Migrations applied (${rt.database.kind}).\n`);
      return;
    }
    case 'init':
      return init(config, rest);
    case 'admin':
      if (rest[0] === 'create') return adminCreate(config, rest.slice(1));
      throw new UsageError(USAGE);
    default:
      throw new UsageError(USAGE);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof UsageError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
