/**
 * One attempt at a generation, as the `generation.run` job handler. In order:
 * 1. a final or overdue row ends the job (delivery is at least once);
 * 2. claim: pending|processing → processing with a new run token (a retry or a take-over after a
 *    crash re-claims a processing row; the old run, if alive, is fenced out by the token);
 * 3. run the provider under one AbortSignal: the deadline, a cancel (heard on the status bus) and
 *    the worker's own shutdown;
 * 4. watermark and write the output files, then one transaction completes the row, captures credits
 *    for the outputs delivered and releases the rest (settle.ts); files of a run that lost its claim
 *    are removed again.
 * A retryable provider error with retries and time left is thrown back to pg-boss (retry with
 * backoff); any other failure fails the generation and releases its hold. A shutdown abort hands
 * the job back untouched: pg-boss has already failed the attempt into retry.
 * Each step around the provider that reads or writes the database (the inputs; once the provider
 * has delivered, the watermark rule, the files, the cost, the settling transaction) is tried again
 * while the database is unreachable (a restart): failing the run instead would charge nothing but
 * lose the user's result, and after delivery would leave files without rows and the credits held
 * until the reconciler's deadline.
 */
import { randomUUID } from 'node:crypto';
import { isDependencyDown } from '../../platform/dependency-down.ts';
import type { JobContext } from '../../platform/queue/queue.ts';
import { deleteResultFiles, readOwnedAsset, readStyleReference, writeResultFiles, type NewAsset } from '../media/index.ts';
import type { GenerationContext } from './context.ts';
import { findGeneration, insertProviderCalls, lockGeneration, transition, type GenerationRow } from './generation.queries.ts';
import { finalStatuses } from './generation.tables.ts';
import { effectiveCost } from './prices.queries.ts';
import { buildProviderContext } from './provider-context.ts';
import { typeSpecs } from './registry.ts';
import { ProviderError, type GenerationType, type ProviderCallRecord, type ProviderImage, type ProviderInput, type ProviderResult } from './providers/provider.ts';
import { createSettlement } from './settle.ts';
import { applyWatermark } from './watermark.ts';
import { enqueueWebhook } from './webhooks.ts';

/** Why a run's signal fired. */
type StopReason = 'deadline' | 'cancelled';

/** Stops waiting when `signal` fires even if the provider ignores it. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The abandoned work may still settle; its outcome no longer matters.
    work.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** How long a run waits for an unreachable database before it gives up the step that needs it. */
const DOWN_PATIENCE_MS = 120_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createRunner(ctx: GenerationContext) {
  const settlement = createSettlement(ctx);

  async function publish(row: GenerationRow | undefined): Promise<void> {
    if (row) await ctx.bus.publish({ id: row.id, status: row.status }).catch((err: unknown) => ctx.log.warn({ err }, 'generation: status push failed'));
  }

  async function claim(id: string, token: string): Promise<GenerationRow | undefined> {
    const claimed = await ctx.db.transaction(async (tx) => {
      const current = await lockGeneration(tx, id);
      if (!current || finalStatuses.has(current.status)) return undefined;
      const now = ctx.clock.now();
      const row = (await transition(tx, id, ['pending', 'processing'], {
        status: 'processing',
        runToken: token,
        attempts: current.attempts + 1,
        startedAt: current.startedAt ?? now,
        updatedAt: now,
      }))!;
      if (current.status === 'pending') await enqueueWebhook(tx, ctx.queue, row, 'generation.started', await ctx.views.one(tx, row, []), now);
      return { row, started: current.status === 'pending' };
    });
    if (claimed?.started) await publish(claimed.row);
    return claimed?.row;
  }

  /** One of the owner's images for the provider; gone since submission is the input's fault. */
  async function imageOf(userId: string, assetId: string, role: 'source' | 'subject'): Promise<ProviderImage> {
    const found = await readOwnedAsset(ctx.db, ctx.storage, userId, assetId);
    if (!found) throw new ProviderError('invalid_input', `${role === 'source' ? 'Source image' : 'Subject photo'} ${assetId} no longer exists.`);
    return { role, assetId, mimeType: found.row.mimeType, width: found.row.width, height: found.row.height, bytes: found.bytes };
  }

  /** A style_conversion's reference (decision 046), role `style`: re-checked, as it may have been made private since. */
  async function styleReferenceOf(userId: string, assetId: string): Promise<ProviderImage> {
    const found = await readStyleReference(ctx.db, ctx.storage, userId, assetId);
    if (!found) throw new ProviderError('invalid_input', `Reference image ${assetId} is no longer available.`);
    return { role: 'style', assetId, mimeType: found.row.mimeType, width: found.row.width, height: found.row.height, bytes: found.bytes };
  }

  async function inputOf(row: GenerationRow): Promise<ProviderInput> {
    const images: ProviderImage[] = [];
    for (const assetId of row.sourceAssetIds) images.push(await imageOf(row.userId, assetId, 'source'));
    const referenceId = row.params.reference_asset_id;
    if (typeof referenceId === 'string' && typeSpecs.get(row.type as GenerationType)?.takesStyleReference) images.push(await styleReferenceOf(row.userId, referenceId));
    const { context, subjectImageAssetIds } = await buildProviderContext(ctx.catalog, row, { needsSubject: Boolean(typeSpecs.get(row.type as GenerationType)?.needs?.subject) });
    for (const assetId of subjectImageAssetIds) images.push(await imageOf(row.userId, assetId, 'subject'));
    return {
      generationId: row.id,
      type: row.type as GenerationType,
      prompt: row.prompt,
      params: row.params,
      numOutputs: row.numOutputs,
      images,
      ...(row.model ? { model: row.model } : {}),
      context,
    };
  }

  async function costOf(row: GenerationRow, result: ProviderResult, delivered: number): Promise<number> {
    if (result.costMicros > 0) return result.costMicros;
    const price = await effectiveCost(ctx.db, row.provider, row.type, ctx.clock.now().toISOString().slice(0, 10));
    return price ? price.costPerOperationMicros * delivered : 0;
  }

  async function store(row: GenerationRow, result: ProviderResult, watermark: boolean): Promise<NewAsset[]> {
    const written: NewAsset[] = [];
    try {
      for (const [i, out] of result.outputs.slice(0, row.numOutputs).entries()) {
        const image = watermark ? await applyWatermark(out, ctx.config.generation.watermarkText) : out;
        written.push(await writeResultFiles({ storage: ctx.storage, clock: ctx.clock, limits: ctx.limits }, row.userId, row.id, i, image));
      }
    } catch (err) {
      await deleteResultFiles(ctx.storage, written);
      throw new ProviderError('provider_error', `An output could not be stored: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return written;
  }

  /**
   * Runs a step of a run that needs the database, again while the database is unreachable (waits
   * of 0.5 s doubling to 5 s, for up to DOWN_PATIENCE_MS, never past a shutdown or cancel). A transaction whose connection
   * dropped was rolled back, or — if the drop came after COMMIT — is seen as done by the next
   * try's conditional update; the caller tells the two apart by the row (see `ownsCompletion`).
   */
  async function retryWhileDown<T>(work: () => Promise<T>, signal: AbortSignal, log: JobContext['log']): Promise<T> {
    const giveUpAt = Date.now() + DOWN_PATIENCE_MS;
    for (let wait = 500; ; wait = Math.min(wait * 2, 5000)) {
      try {
        return await work();
      } catch (err) {
        if (!isDependencyDown(err) || signal.aborted || Date.now() + wait > giveUpAt) throw err;
        log.warn({ err: (err as Error).message }, 'generation: database unreachable; trying the step again');
        await pause(wait);
      }
    }
  }

  /** Whether the row was completed by this run: a completion whose commit was acknowledged too late looks like a lost claim. */
  async function ownsCompletion(id: string, token: string): Promise<boolean> {
    const current = await findGeneration(ctx.db, id);
    return current?.status === 'completed' && current.runToken === token;
  }

  async function recordCalls(row: GenerationRow, attempt: number, calls: ProviderCallRecord[]): Promise<void> {
    const now = ctx.clock.now();
    await insertProviderCalls(
      ctx.db,
      calls.map((c) => ({
        generationId: row.id,
        userId: row.userId,
        provider: c.provider,
        operation: c.operation,
        attempt,
        status: c.status,
        httpStatus: c.httpStatus,
        latencyMs: Math.round(c.latencyMs),
        request: c.request ?? {},
        response: c.response ?? {},
        costMicros: c.costMicros ?? 0,
        createdAt: now,
      })),
    ).catch((err: unknown) => ctx.log.warn({ err }, 'generation: provider calls not recorded'));
  }

  async function run(generationId: string, job: JobContext): Promise<void> {
    const found = await findGeneration(ctx.db, generationId);
    if (!found || finalStatuses.has(found.status)) return;
    if (ctx.clock.now() >= found.deadlineAt) {
      await publish(await ctx.db.transaction((tx) => settlement.fail(tx, found, { code: 'timeout', message: 'The deadline passed before the generation could run.' })));
      return;
    }
    const token = randomUUID();
    const row = await claim(generationId, token);
    if (!row) return;

    const stop = new AbortController();
    const stopWith = (reason: StopReason) => stop.abort(new ProviderError(reason === 'deadline' ? 'timeout' : 'cancelled', reason === 'deadline' ? 'The deadline passed.' : 'The generation was cancelled.'));
    const timer = setTimeout(() => stopWith('deadline'), Math.max(0, row.deadlineAt.getTime() - ctx.clock.now().getTime()));
    const unsubscribe = await ctx.bus.subscribe(row.id, (e) => {
      if (finalStatuses.has(e.status)) stopWith('cancelled');
    });
    const signal = AbortSignal.any([stop.signal, job.signal]);
    const calls: ProviderCallRecord[] = [];
    const log = job.log.child({ generationId: row.id, provider: row.provider });

    try {
      const provider = ctx.providerChoice.byId(row.provider);
      if (!provider) throw new ProviderError('provider_unavailable', `Provider ${row.provider} is not configured on this worker.`);
      const input = await retryWhileDown(() => inputOf(row), signal, log);
      const result = await untilAborted(provider.run(input, { signal, deadline: row.deadlineAt, log, recordCall: (c) => calls.push(c) }), signal);
      if (result.outputs.length === 0 && !result.artifacts) throw new ProviderError('provider_error', 'The provider returned no images.');
      // Not raced against the signal: files being written are finished, then removed below if the
      // completion finds the run no longer holds the row.
      const watermark = await retryWhileDown(() => ctx.watermarkFor(row.userId), job.signal, log);
      // store() removes what it wrote when it fails, so trying it again is safe.
      const assets = await retryWhileDown(() => store(row, result, watermark), job.signal, log);
      let done: GenerationRow | undefined;
      try {
        const costMicros = await retryWhileDown(() => costOf(row, result, assets.length), job.signal, log);
        done = await retryWhileDown(
          () => ctx.db.transaction((tx) => settlement.complete(tx, row, token, { assets, model: result.model, costMicros, ...(result.artifacts ? { artifacts: result.artifacts } : {}) })),
          job.signal,
          log,
        );
      } catch (err) {
        // Not settled: the files would have no row. (Unless the completion did commit after all.)
        if (!(await ownsCompletion(row.id, token).catch(() => true))) await deleteResultFiles(ctx.storage, assets);
        throw err;
      }
      if (!done && !(await ownsCompletion(row.id, token))) await deleteResultFiles(ctx.storage, assets);
      await publish(done);
    } catch (err) {
      if (job.signal.aborted && !stop.signal.aborted) {
        // Shutdown past the grace period (or the claim lapsed): pg-boss has failed this attempt into
        // retry already; the next attempt re-claims the row. Nothing is charged or released here.
        log.warn('generation: run handed back at shutdown');
        throw err;
      }
      if (stop.signal.aborted && stop.signal.reason instanceof ProviderError && stop.signal.reason.code === 'cancelled') return;
      const e =
        stop.signal.aborted && stop.signal.reason instanceof ProviderError
          ? stop.signal.reason
          : err instanceof ProviderError
            ? err
            : new ProviderError('provider_error', 'The generation failed unexpectedly.', { cause: err });
      if (!(err instanceof ProviderError)) log.error({ err }, 'generation: unexpected error');
      const timeLeft = row.deadlineAt.getTime() - ctx.clock.now().getTime();
      if (e.retryable && job.retryCount < job.retryLimit && timeLeft > 1000) {
        log.warn({ err: e.message, attempt: job.retryCount + 1 }, 'generation: transient provider error, retrying');
        throw e;
      }
      const failed = await retryWhileDown(
        () =>
          ctx.db.transaction(async (tx) => {
            const current = await lockGeneration(tx, row.id);
            return current ? settlement.fail(tx, current, { code: e.code, message: e.message }, token) : undefined;
          }),
        job.signal,
        log,
      );
      await publish(failed);
    } finally {
      clearTimeout(timer);
      unsubscribe();
      await recordCalls(row, job.retryCount + 1, calls);
    }
  }

  return { run };
}
