/** Fan-out and resume helpers for adapters that need several remote requests for one generation. */
import type { ProviderCallRecord, ProviderInput, RunContext } from '../provider.ts';

/**
 * Runs `count` tasks at once. The first failure aborts the others (their remote jobs are cancelled
 * by the adapter) and is the error the run fails with, so one refused output does not keep paying
 * for its siblings.
 */
export async function fanOut<T>(count: number, ctx: RunContext, task: (index: number, ctx: RunContext) => Promise<T>): Promise<T[]> {
  const local = new AbortController();
  const shared: RunContext = { ...ctx, signal: AbortSignal.any([ctx.signal, local.signal]) };
  let first: unknown;
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      task(i, shared).catch((err: unknown) => {
        if (first === undefined) {
          first = err;
          local.abort();
        }
        throw err;
      }),
    ),
  );
  if (first !== undefined) throw first;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * Remote job ids the engine hands back after a restart (`context.resumeRequestIds`), so a run picks
 * up the predictions or queue requests it had already started instead of paying for new ones.
 * Slot i of the list is the job of output slot i (or the training, for `subject_training`).
 */
export function resumeIdsOf(input: ProviderInput): string[] {
  const ids = input.context?.resumeRequestIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && /^[\w-]{1,128}$/.test(id)) : [];
}

/**
 * The job ids a previous attempt recorded, in the order it created them: what the engine passes
 * as `context.resumeRequestIds` when it runs the same generation again with the same provider.
 */
export function resumeIdsFromCalls(calls: Pick<ProviderCallRecord, 'operation' | 'status' | 'response'>[]): string[] {
  return calls
    .filter((c) => c.status === 'ok' && typeof c.response?.request_id === 'string' && /^(create|submit)/.test(c.operation))
    .map((c) => c.response!.request_id as string);
}
