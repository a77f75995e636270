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
import { errors } from '../../platform/http/errors.ts';

const POLL_MS = 3000;
const HEARTBEAT_MS = 15_000;

const frame = (g: TGeneration, seq: number) => `id: ${seq}\nevent: status\ndata: ${JSON.stringify(g)}\n\n`;

/** How long a client refused for too many open streams is told to wait. */
const STREAMS_RETRY_AFTER_SEC = 5;

export function createEventStreams(ctx: GenerationContext) {
  const streams = new Set<PassThrough>();
  /** Open streams per user in this process: each holds a socket and polls the database. */
  const openPerUser = new Map<string, number>();

  /**
   * Opens the stream of a generation the caller owns (check that first: this answers nothing itself).
   * Beyond `eventStreamsPerUser` open streams of one user it refuses with 429 `rate_limited`.
   */
  async function open(userId: string, id: string): Promise<PassThrough> {
    const cap = ctx.config.generation.eventStreamsPerUser;
    const held = openPerUser.get(userId) ?? 0;
    if (held >= cap) {
      throw errors.rateLimited(STREAMS_RETRY_AFTER_SEC, {
        message: `At most ${cap} event streams may be open at once; close one or poll GET /generations/{id}.`,
        extensions: { limit: cap },
      });
    }
    openPerUser.set(userId, held + 1);
    const out = new PassThrough();
    streams.add(out);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (openPerUser.get(userId) ?? 1) - 1;
      if (n > 0) openPerUser.set(userId, n);
      else openPerUser.delete(userId);
    };
    let wake: (() => void) | undefined;
    let closed = false;
    // Set by a push that arrives while the row is being read, so the loop reads again at once.
    let nudged = false;
    const nudge = () => {
      nudged = true;
      wake?.();
    };
    let unsubscribe: () => void;
    try {
      unsubscribe = await ctx.bus.subscribe(id, nudge);
    } catch (err) {
      release();
      streams.delete(out);
      throw err;
    }
    const stop = () => {
      release();
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
