/**
 * A worker process for tests that kill or stop one mid-job: the real runtime (config from the
 * environment, PostgreSQL, pg-boss, storage) and the engine's real job handlers, with the stand-in
 * provider (test/helpers/stand-in-provider.ts) hanging until its run is aborted. It stops on SIGTERM
 * the way `atelier worker` does (runtime.close(): grace period, then hand-back).
 */
import { jobHandlers } from '../../src/jobs.ts';
import { loadConfig } from '../../src/config.ts';
import { createGenerationContext } from '../../src/modules/generation/index.ts';
import { openRuntime } from '../../src/runtime.ts';
import { createStandInProvider } from './stand-in-provider.ts';

const rt = await openRuntime(loadConfig());
const standIn = createStandInProvider();
standIn.otherwise({ kind: 'hang' });
const ctx = createGenerationContext({ ...rt, providers: [standIn.provider] });
await rt.queue.work(jobHandlers({ db: rt.database.db, clock: rt.clock, storage: rt.storage, queue: rt.queue, secret: rt.secret, config: rt.config, log: rt.log }, ctx));
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  rt.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
