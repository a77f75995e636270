/**
 * LISTEN on one channel, for state kept in memory that must follow commits made anywhere.
 *
 * On PostgreSQL a dedicated connection (not one of the pool's: a pooled client is handed to other
 * queries and its LISTEN would be lost with it) listens, and comes back with backoff when it drops.
 * Whoever subscribes is told when it can hear (`up`) and when it cannot (`down`): a message sent
 * while the connection was down is lost for good, so what it would have invalidated must be
 * dropped wholesale. On PGlite there is one process and the database calls back in-process, before
 * the committing statement returns.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Database } from './database.ts';
import type { Logger } from '../logger.ts';

export interface ChannelHandlers {
  message(payload: string): void;
  up(): void;
  down(): void;
}

export interface Listening {
  /**
   * Resolves once everything committed before the call has been heard (or the listener is down,
   * when nothing is cached to be stale): notifications arrive in commit order, so hearing a marker
   * sent now means every earlier one was handled. For tests that change rows by hand.
   */
  heard(): Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]*$/;
/** Payloads of markers sent by heard(); never a value a subscriber announces. */
const MARKER = '~heard:';
const MAX_BACKOFF_MS = 5_000;

export async function listenTo(database: Database, channel: string, handlers: ChannelHandlers, log: Logger): Promise<Listening> {
  if (!CHANNEL.test(channel)) throw new Error(`Not a plain channel name: ${channel}`);
  if (database.pglite) {
    const unlisten = await database.pglite.listen(channel, handlers.message);
    handlers.up();
    return {
      // PGlite calls back before the committing statement returns: all is heard already.
      heard: async () => {},
      async close() {
        handlers.down();
        await unlisten();
      },
    };
  }
  const connectionString = database.connectionString!;
  let client: pg.Client | null = null;
  /** The client once its LISTEN is in place (a marker sent before then would never come back). */
  let listening: pg.Client | null = null;
  let closed = false;
  let backoffMs = 100;
  let retry: NodeJS.Timeout | undefined;
  const waiting = new Map<string, () => void>();

  function lost(which: pg.Client, err?: Error): void {
    if (client !== which) return;
    client = null;
    listening = null;
    handlers.down();
    for (const release of waiting.values()) release();
    which.removeAllListeners();
    which.on('error', () => {});
    void which.end().catch(() => {});
    if (closed) return;
    log.warn({ err, channel, retryInMs: backoffMs }, 'notification listener lost its connection; cache bypassed until it is back');
    retry = setTimeout(() => void connect(), backoffMs);
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  }

  async function connect(): Promise<void> {
    // Named so operators (and a test) can tell it from the pool's connections.
    const next = new pg.Client({ connectionString, application_name: `atelier-listen-${channel}` });
    client = next;
    next.on('notification', (n) => {
      if (n.channel !== channel || n.payload === undefined) return;
      if (n.payload.startsWith(MARKER)) waiting.get(n.payload)?.();
      else handlers.message(n.payload);
    });
    next.on('error', (err) => lost(next, err));
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (err) {
      lost(next, err as Error);
      return;
    }
    if (client !== next || closed) return;
    backoffMs = 100;
    listening = next;
    handlers.up();
  }

  /**
   * Markers go out one at a time on the listener's connection (it runs one query at a time), every
   * caller waiting meanwhile joining the next one (the app asks after every request that may have
   * written). A marker that cannot be sent or heard means the connection is lost: the subscriber
   * was told `down`, nothing is served from what it cached, so there is nothing left to wait for.
   */
  let markersSent: Promise<void> = Promise.resolve();
  let nextMarker: Promise<void> | null = null;
  async function sendMarker(): Promise<void> {
    nextMarker = null;
    const listener = listening;
    if (!listener) return;
    const marker = `${MARKER}${randomUUID()}`;
    const seen = new Promise<void>((resolve) => waiting.set(marker, resolve));
    try {
      await listener.query('SELECT pg_notify($1, $2)', [channel, marker]);
      await seen;
    } catch {
      // lost() has run or is about to: see above.
    } finally {
      waiting.delete(marker);
    }
  }

  await connect();
  return {
    heard() {
      if (!listening) return Promise.resolve();
      // Callers that arrive before the next marker is sent share it: their commits precede it.
      if (!nextMarker) {
        const heardIt = markersSent.then(sendMarker);
        nextMarker = heardIt;
        markersSent = heardIt;
      }
      return nextMarker;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      for (const release of waiting.values()) release();
      const last = client;
      client = null;
      listening = null;
      handlers.down();
      if (last) {
        last.removeAllListeners();
        last.on('error', () => {});
        await last.end().catch(() => {});
      }
    },
  };
}
