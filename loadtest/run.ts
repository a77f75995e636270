/**
 * `npm run loadtest`: two API processes and two workers on PostgreSQL with Redis, on this machine,
 * under simulated users (loadtest/scenario.ts) for LOADTEST_SECONDS (300), then the end-state
 * checks (loadtest/checks.ts). Prints per-route latency, throughput and errors as a markdown table,
 * ready for docs/performance.md. Only loopback addresses are used.
 *
 *   LOADTEST_SECONDS=300 LOADTEST_USERS=24 npm run loadtest
 *   LOADTEST_FAULTS=worker-kill npm run loadtest    # a worker SIGKILLed at a third of the run, replaced 5 s later
 *   LOADTEST_FAULTS=pg-restart npm run loadtest     # on a PostgreSQL server of the run's own, stopped at a
 *                                                   # third of the run (fast shutdown) and started 10 s later
 *   LOADTEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379
 */
import os from 'node:os';
import sharp from 'sharp';
import { readEndState } from './checks.ts';
import { startPrivatePostgres } from './private-postgres.ts';
import { startInstallation } from './processes.ts';
import { createRecorder } from './recorder.ts';
import { runUser } from './scenario.ts';

const seconds = Number(process.env.LOADTEST_SECONDS ?? 300);
const users = Number(process.env.LOADTEST_USERS ?? 24);
const faults = new Set((process.env.LOADTEST_FAULTS ?? '').split(',').filter(Boolean));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Restarting a server the machine shares would break whatever else uses it: that fault gets a server of its own.
const privatePg = faults.has('pg-restart') ? await startPrivatePostgres(Number(process.env.LOADTEST_PG_PORT ?? 5499)) : undefined;
const serverUrl = privatePg?.url ?? process.env.LOADTEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const install = await startInstallation({ serverUrl, redisUrl, apis: 2, workers: 2, basePort: Number(process.env.LOADTEST_PORT ?? 3310) });
async function loadAndCheck(): Promise<boolean> {
  const packages = (await (await fetch(`${install.apiUrls[0]}/api/v1/billing/packages`)).json()) as { data: Array<{ id: string; credits: number }> };
  const pack = packages.data.sort((a, b) => a.credits - b.credits)[0];
  if (!pack) throw new Error('no credit package to buy');
  // A small photo with detail, so upscaling does real work without dominating the two cores.
  const photo = await sharp({ create: { width: 160, height: 120, channels: 3, background: { r: 128, g: 128, b: 128 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();

  const recorder = createRecorder();
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const injected: string[] = [];
  const at = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  const faultTimer = setTimeout(() => {
    if (faults.has('worker-kill')) {
      injected.push(`worker 0 killed with SIGKILL at ${at()} and replaced 5 s later`);
      void install.killWorker(0, 5000);
    }
    if (privatePg) {
      injected.push(`PostgreSQL stopped (fast shutdown) at ${at()}`);
      void privatePg.restart(10_000).then(() => injected.push(`PostgreSQL accepting connections again at ${at()}`));
    }
  }, (seconds * 1000) / 3);
  await Promise.all(Array.from({ length: users }, (_, i) => runUser({ apiUrls: install.apiUrls, deadline, photo, recorder, ip: `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}`, packageId: pack.id }, i)));
  const elapsed = (Date.now() - started) / 1000;
  clearTimeout(faultTimer);

  // Let the workers finish what was submitted last, then look at what is left.
  let state = await readEndState(install.databaseUrl, install.dataDir);
  for (let i = 0; i < 60 && (state.unfinishedGenerations > 0 || state.openJobs > 0); i++) {
    await new Promise((r) => setTimeout(r, 1000));
    state = await readEndState(install.databaseUrl, install.dataDir);
  }
  const report = recorder.report(elapsed);
  const cpus = os.cpus();
  process.stdout.write(
    [
      `Load test: ${users} users for ${elapsed.toFixed(0)} s against 2 API processes and 2 workers (PostgreSQL, Redis), on ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
      '',
      report.table,
      '',
      ...(injected.length ? [`Faults: ${injected.join('; ')}.`, ''] : []),
      `Requests: ${report.requests} (${(report.requests / elapsed).toFixed(1)}/s); unexpected answers: ${report.errors}; 503 unavailable answers tried again after Retry-After: ${report.unavailable}.`,
      ...(report.samples.length ? ['', 'First unexpected answers:', ...report.samples.map((s) => `- ${s}`)] : []),
      '',
      `End state: generations ${JSON.stringify(state.generations)}, failures by code ${JSON.stringify(state.failures)}; unfinished ${state.unfinishedGenerations}; credits still held ${state.heldCredits}; users whose books do not balance ${state.unbalancedUsers}; generation jobs open ${state.openJobs}; files without a row ${state.filesWithoutRow}.`,
      '',
    ].join('\n'),
  );
  // A killed worker's runs end as `timeout` after their deadline (and their holds are released);
  // the users following them give up first. Nothing else may fail.
  const timeouts = faults.has('worker-kill') ? (state.failures.timeout ?? 0) : 0;
  const followErrors = report.errorsByRoute['SSE generation to final status'] ?? 0;
  const unexplained = Object.keys(state.failures).filter((code) => !(code === 'timeout' && timeouts > 0)).length;
  // 503 `unavailable` is the right answer only while a dependency is down on purpose.
  const refusalsExplained = report.unavailable === 0 || privatePg !== undefined;
  return refusalsExplained && report.errors - followErrors === 0 && followErrors <= timeouts && unexplained === 0 && state.unfinishedGenerations === 0 && state.heldCredits === 0 && state.unbalancedUsers === 0 && state.openJobs === 0 && state.filesWithoutRow === 0;
}

const clean = await loadAndCheck().finally(async () => {
  await install.stop();
  await privatePg?.stop();
});
process.exit(clean ? 0 : 1);
