/**
 * The transactions that end a generation. Each moves the row with a conditional update (from the
 * states it may leave, and for a run only while the row carries the run's token), and only if that
 * update happened does it touch credits: so whichever of worker, cancel and reconciler gets there
 * first ends the generation, and the others change nothing. Every one settles the hold in the same
 * transaction, adds to usage_stats and enqueues the webhook event. Callers publish the new status
 * on the bus after the commit.
 */
import type { Tx } from '../../platform/db/types.ts';
import { systemEmailJob } from '../../platform/mail/email-jobs.ts';
import { insertResultAssets, type NewAsset } from '../media/index.ts';
import type { SettledGeneration } from '../catalog/index.ts';
import type { GenerationContext } from './context.ts';
import { addUsage, transition, type GenerationRow } from './generation.queries.ts';
import type { GenerationStatus } from './generation.tables.ts';
import { enqueueWebhook } from './webhooks.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);
const settledOf = (row: GenerationRow, status: SettledGeneration['status']): SettledGeneration => ({
  id: row.id,
  userId: row.userId,
  type: row.type,
  subjectId: row.subjectId,
  status,
  outputAssetIds: [],
});

export interface DeliveredRun {
  assets: NewAsset[];
  model: string;
  costMicros: number;
  artifacts?: Record<string, unknown>;
}

export function createSettlement(ctx: GenerationContext) {
  const durationOf = (row: GenerationRow, now: Date) => (row.startedAt ? now.getTime() - row.startedAt.getTime() : null);

  async function release(tx: Tx, row: GenerationRow): Promise<void> {
    if (row.holdId) await ctx.ledger.release(tx, row.holdId);
  }

  /**
   * After a spend: fewer credits available than ATELIER_LOW_BALANCE_CREDITS queues the low_balance
   * notice with this transaction; its worker honours the preference and sends at most one a day.
   */
  async function noticeLowBalance(tx: Tx, userId: string): Promise<void> {
    const threshold = ctx.config.lowBalanceCredits;
    if (threshold <= 0) return;
    const balance = await ctx.ledger.balance(tx, userId);
    if (balance && balance.available < threshold) await ctx.queue.send(systemEmailJob, { user_id: userId, template: 'low_balance', available: balance.available }, { tx });
  }

  /** processing → completed: captures the outputs delivered, releases the rest. Undefined when the run lost its claim. */
  async function complete(tx: Tx, current: GenerationRow, runToken: string, c: DeliveredRun): Promise<GenerationRow | undefined> {
    const now = ctx.clock.now();
    const delivered = c.assets.slice(0, current.numOutputs);
    // A training delivers artifacts (a trained model), not images: what was asked for was delivered.
    const charged = delivered.length === 0 && c.artifacts ? current.numOutputs : delivered.length;
    const creditsUsed = charged * current.creditsPerOutput;
    const row = await transition(
      tx,
      current.id,
      ['processing'],
      {
        status: 'completed',
        creditsUsed,
        model: c.model,
        apiCostMicros: c.costMicros,
        completedAt: now,
        generationDurationMs: durationOf(current, now),
        errorCode: null,
        errorMessage: null,
        metadata: c.artifacts ? { ...current.metadata, artifacts: c.artifacts } : current.metadata,
        updatedAt: now,
      },
      runToken,
    );
    if (!row) return undefined;
    const assets = await insertResultAssets(tx, delivered);
    if (row.holdId) {
      const captured = creditsUsed > 0 ? await ctx.ledger.capture(tx, row.holdId, creditsUsed) : await ctx.ledger.release(tx, row.holdId);
      // The hold outlives the deadline by an hour, so only a clock far off could have ended it.
      if (!captured.applied) ctx.log.error({ generationId: row.id, holdId: row.holdId }, 'generation completed but its credit hold had already ended');
      if (captured.applied && creditsUsed > 0) await noticeLowBalance(tx, row.userId);
    }
    await addUsage(
      tx,
      row.userId,
      day(now),
      { total: 1, successful: 1, outputs: delivered.length, creditsUsed, costMicros: c.costMicros, durationMs: row.generationDurationMs ?? 0 },
      now,
    );
    await enqueueWebhook(tx, ctx.queue, row, 'generation.completed', await ctx.views.one(tx, row, assets), now);
    await ctx.catalog.settled?.(tx, { ...settledOf(row, 'completed'), artifacts: c.artifacts, outputAssetIds: assets.map((a) => a.id) });
    return row;
  }

  /** pending|processing → failed, releasing the hold. With `runToken`, only the run holding the row may fail it. */
  async function fail(tx: Tx, current: GenerationRow, error: { code: string; message: string }, runToken?: string): Promise<GenerationRow | undefined> {
    const now = ctx.clock.now();
    const from: GenerationStatus[] = runToken ? ['processing'] : ['pending', 'processing'];
    const row = await transition(
      tx,
      current.id,
      from,
      { status: 'failed', errorCode: error.code, errorMessage: error.message.slice(0, 1000), completedAt: now, generationDurationMs: durationOf(current, now), updatedAt: now },
      runToken,
    );
    if (!row) return undefined;
    await release(tx, row);
    await addUsage(tx, row.userId, day(now), { total: 1, failed: 1, durationMs: row.generationDurationMs ?? 0 }, now);
    await enqueueWebhook(tx, ctx.queue, row, 'generation.failed', await ctx.views.one(tx, row, []), now);
    await ctx.catalog.settled?.(tx, { ...settledOf(row, 'failed'), error });
    return row;
  }

  /** pending|processing → cancelled, releasing the hold; a running job sees the change and stops. */
  async function cancel(tx: Tx, current: GenerationRow): Promise<GenerationRow | undefined> {
    const now = ctx.clock.now();
    const row = await transition(tx, current.id, ['pending', 'processing'], {
      status: 'cancelled',
      completedAt: now,
      generationDurationMs: durationOf(current, now),
      updatedAt: now,
    });
    if (!row) return undefined;
    await release(tx, row);
    await addUsage(tx, row.userId, day(now), { total: 1, cancelled: 1 }, now);
    await enqueueWebhook(tx, ctx.queue, row, 'generation.cancelled', await ctx.views.one(tx, row, []), now);
    await ctx.catalog.settled?.(tx, settledOf(row, 'cancelled'));
    return row;
  }

  return { complete, fail, cancel };
}
export type GenerationSettlement = ReturnType<typeof createSettlement>;
