/**
 * A worker process for tests that kill or stop one mid-job: the real runtime (config from the
 * environment, PostgreSQL, pg-boss, storage) and the engine's real job handlers, with the stand-in
 * provider (test/helpers/stand-in-provider.ts) hanging until its run is aborted. It stops on SIGTERM
 * the way `atelier worker` does (runtime.close(): grace period, then hand-back).
 */
import { composeModules } from '../../src/compose.ts';
import { loadConfig } from '../../src/config.ts';
import { openRuntime } from '../../src/runtime.ts';
import { createStandInProvider } from './stand-in-provider.ts';

const rt = await openRuntime(loadConfig());
const standIn = createStandInProvider();
standIn.otherwise({ kind: 'hang' });
await rt.queue.work(composeModules(rt, { providers: [standIn.provider] }).jobHandlers);
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  rt.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
