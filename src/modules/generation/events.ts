/**
 * GET /generations/{id}/events: the generation's state as a server-sent event stream. The first
 * event is the state now; then one event per status change, and the stream ends after a final
 * status. Changes arrive on the status bus; the row is re-read on each (the bus says that something
 * changed, the row says what), and every few seconds anyway, so a lost push only delays an event.
 */
import { PassThrough } from 'node:stream';
import type { GenerationContext } from './context.ts';
import type { TGeneration } from './generation.dto.ts';
import { findOwnedGeneration } from './generation.queries.ts';
import { finalStatuses } from './generation.tables.ts';

const POLL_MS = 3000;
const HEARTBEAT_MS = 15_000;

const frame = (g: TGeneration, seq: number) => `id: ${seq}\nevent: status\ndata: ${JSON.stringify(g)}\n\n`;

export function createEventStreams(ctx: GenerationContext) {
  const streams = new Set<PassThrough>();

  /** Opens the stream of a generation the caller owns (check that first: this answers nothing itself). */
  async function open(userId: string, id: string): Promise<PassThrough> {
    const out = new PassThrough();
    streams.add(out);
    let wake: (() => void) | undefined;
    let closed = false;
    // Set by a push that arrives while the row is being read, so the loop reads again at once.
    let nudged = false;
    const nudge = () => {
      nudged = true;
      wake?.();
    };
    const unsubscribe = await ctx.bus.subscribe(id, nudge);
    const stop = () => {
      streams.delete(out);
      closed = true;
      nudge();
    };
    out.on('close', stop);
    out.on('finish', stop);
    const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), HEARTBEAT_MS);

    const loop = async () => {
      let last: string | undefined;
      let seq = 0;
      try {
        while (!closed) {
          nudged = false;
          const row = await findOwnedGeneration(ctx.db, userId, id);
          if (!row) break;
          if (row.status !== last) {
            last = row.status;
            out.write(frame(await ctx.views.one(ctx.db, row), ++seq));
            if (finalStatuses.has(row.status)) break;
          }
          if (nudged || closed) continue;
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, POLL_MS);
            wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
          wake = undefined;
        }
      } catch (err) {
        ctx.log.warn({ err, generationId: id }, 'generation: event stream stopped');
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
        out.end();
      }
    };
    void loop();
    return out;
  }

  return {
    open,
    /** Ends every open stream (at shutdown). */
    closeAll() {
      for (const s of streams) s.end();
    },
  };
}
