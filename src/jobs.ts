/**
 * Every queue of every module. Each is created (and touched) when the runtime starts, before any
 * transaction could be the first to use it.
 */
import type { JobDefinition, JobHandler } from './platform/queue/queue.ts';

export const jobDefinitions: JobDefinition[] = [];

/** The handlers a worker process runs. */
export function jobHandlers(): JobHandler[] {
  return [];
}
