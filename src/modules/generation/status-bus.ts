/**
 * Status changes of generations, pushed to whoever waits on one: the SSE stream of a client, and a
 * worker running the generation (to abort it when it is cancelled). On PostgreSQL the change goes
 * through NOTIFY on one channel, so an API node hears what a worker on another machine did; each
 * process keeps one LISTEN connection and fans out in process. On PGlite (one process) an in-process
 * emitter is the whole bus.
 *
 * Published after the transaction that made the change commits; a process that dies in between
 * loses only the push, never the change — listeners re-read the row and poll as a backstop.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Database } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import type { GenerationStatus } from './generation.tables.ts';

export const STATUS_CHANNEL = 'atelier_generation_status';

export interface StatusEvent {
  id: string;
  status: GenerationStatus;
}

export interface StatusBus {
  publish(event: StatusEvent): Promise<void>;
  /** Calls `listener` for each event about generation `id`; returns the unsubscribe function. */
  subscribe(id: string, listener: (event: StatusEvent) => void): Promise<() => void>;
  close(): Promise<void>;
}

const buses = new WeakMap<Database, StatusBus>();

/** One bus per database handle, shared by the API and in-process workers. */
export function statusBusFor(database: Database, log?: Logger): StatusBus {
  let bus = buses.get(database);
  if (!bus) {
    bus = database.kind === 'postgres' ? postgresBus(database, log) : localBus();
    buses.set(database, bus);
  }
  return bus;
}

function localBus(): StatusBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(event) {
      emitter.emit(event.id, event);
    },
    async subscribe(id, listener) {
      emitter.on(id, listener);
      return () => emitter.off(id, listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

function postgresBus(database: Database, log?: Logger): StatusBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: database.connectionString });
    c.on('notification', (msg) => {
      if (msg.channel !== STATUS_CHANNEL || !msg.payload) return;
      try {
        const event = JSON.parse(msg.payload) as StatusEvent;
        emitter.emit(event.id, event);
      } catch {
        // Not ours to understand; ignore.
      }
    });
    // A dropped connection is replaced on the next subscribe; listeners poll meanwhile.
    const drop = () => {
      if (client === c) client = null;
    };
    c.on('error', (err) => {
      log?.warn({ err }, 'generation status listener lost its connection');
      drop();
    });
    c.on('end', drop);
    await c.connect();
    await c.query(`LISTEN ${STATUS_CHANNEL}`);
    if (closed) {
      await c.end();
      return;
    }
    client = c;
  }

  async function ensureListening(): Promise<void> {
    if (client || closed) return;
    connecting ??= connect().finally(() => {
      connecting = null;
    });
    await connecting;
  }

  return {
    async publish(event) {
      await database.pool!.query('select pg_notify($1, $2)', [STATUS_CHANNEL, JSON.stringify(event)]);
    },
    async subscribe(id, listener) {
      emitter.on(id, listener);
      try {
        await ensureListening();
      } catch (err) {
        log?.warn({ err }, 'generation status listener could not connect; polling only');
      }
      return () => emitter.off(id, listener);
    },
    async close() {
      closed = true;
      emitter.removeAllListeners();
      await connecting?.catch(() => {});
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
