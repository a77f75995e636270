/**
 * A stand-in image provider for engine tests (not one of the real providers): it does what the
 * test scripts, one step per run — return real small PNGs made with sharp (all or only some of the
 * outputs asked for), wait, fail retryably or finally, or hang until its AbortSignal fires — and
 * records every run it was given, including whether it saw the abort.
 */
import sharp from 'sharp';
import { ProviderError, type GenerationType, type ImageProvider, type ProviderId, type ProviderInput, type ProviderResult, type RunContext } from '../../src/modules/generation/providers/provider.ts';

export type Step =
  | { kind: 'ok'; outputs?: number; delayMs?: number; costMicros?: number }
  | { kind: 'fail'; retryable: boolean; code?: 'provider_error' | 'invalid_input' | 'content_policy'; message?: string }
  | { kind: 'hang' }
  | { kind: 'gate'; until: Promise<void> };

export interface RunRecord {
  input: ProviderInput;
  aborted: boolean;
  reason?: unknown;
}

export async function png(seed: number, width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: (seed * 53) % 256, g: (seed * 97) % 256, b: (seed * 29) % 256 } } })
    .png()
    .toBuffer();
}

export function createStandInProvider(opts: { id?: ProviderId; types?: readonly GenerationType[] } = {}) {
  const steps: Step[] = [];
  const runs: RunRecord[] = [];
  let fallback: Step = { kind: 'ok' };

  const waitForAbort = (signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });

  const provider: ImageProvider = {
    id: opts.id ?? 'local',
    supports: (type) => !opts.types || opts.types.includes(type),
    async run(input: ProviderInput, ctx: RunContext): Promise<ProviderResult> {
      const record: RunRecord = { input, aborted: false };
      runs.push(record);
      ctx.signal.addEventListener('abort', () => {
        record.aborted = true;
        record.reason = ctx.signal.reason;
      });
      const step = steps.shift() ?? fallback;
      const started = performance.now();
      try {
        if (step.kind === 'hang') await waitForAbort(ctx.signal);
        if (step.kind === 'gate') await Promise.race([step.until, waitForAbort(ctx.signal)]);
        if (step.kind === 'fail') throw new ProviderError(step.code ?? 'provider_error', step.message ?? 'stand-in failure', { retryable: step.retryable, httpStatus: step.retryable ? 503 : 400 });
        if (step.kind === 'ok' && step.delayMs) await Promise.race([new Promise((r) => setTimeout(r, step.delayMs)), waitForAbort(ctx.signal)]);
        const n = step.kind === 'ok' && step.outputs !== undefined ? step.outputs : input.numOutputs;
        const outputs = await Promise.all(Array.from({ length: n }, async (_, i) => ({ bytes: await png(i + 1), mimeType: 'image/png' })));
        ctx.recordCall({ provider: provider.id, operation: input.type, status: 'ok', latencyMs: performance.now() - started, request: { n: input.numOutputs } });
        return { outputs, model: 'stand-in-1', costMicros: step.kind === 'ok' ? (step.costMicros ?? 0) : 0 };
      } catch (err) {
        ctx.recordCall({ provider: provider.id, operation: input.type, status: 'error', latencyMs: performance.now() - started });
        throw err;
      }
    },
  };

  return {
    provider,
    runs,
    /** Queues the behaviour of the next runs, in order. */
    script(...next: Step[]) {
      steps.push(...next);
    },
    /** Drops what is left of the script (a step whose run never came, e.g. cancelled before it started). */
    reset() {
      steps.length = 0;
    },
    /** What runs do once the script is used up. */
    otherwise(step: Step) {
      fallback = step;
    },
  };
}
