/**
 * The app with the generation engine for tests: the real buildApp() and database, the real pg-boss
 * queue, and the engine's real workers started in this process when the test asks (so it can look
 * at a generation before anything picks it up). Stand-in: the image provider (stand-in-provider.ts).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { accountsJobs } from '../../src/modules/accounts/index.ts';
import { checkCreditInvariants } from '../../src/modules/billing/index.ts';
import type { GenerationContext, GenerationOptions } from '../../src/modules/generation/index.ts';
import { call, createTestApp, sqlRows, type TestApp } from './app.ts';
import { signUp } from './accounts.ts';
import { makeImage, upload } from './media.ts';

export interface GenerationTestApp extends TestApp {
  ctx: GenerationContext;
  startWorkers(): Promise<void>;
  /** Stops this process's workers (pg-boss offWork), e.g. so another process gets the next job. */
  stopWorkers(): Promise<void>;
  user(credits: number): Promise<{ id: string; token: string }>;
  balance(userId: string): Promise<{ available: number; held: number }>;
  get(token: string, id: string): Promise<any>;
  /** Polls the generation until `done` holds (or fails the test after `timeoutMs`). */
  until(token: string, id: string, done: (g: any) => boolean, timeoutMs?: number): Promise<any>;
  sourceAsset(token: string): Promise<string>;
  invariants(): Promise<void>;
}

export async function createGenerationTestApp(opts: { env?: Record<string, string>; generation: GenerationOptions; databaseUrl?: string }): Promise<GenerationTestApp> {
  const t = await createTestApp({ env: { ATELIER_SIGNUP_CREDITS: '0', ...opts.env }, generation: opts.generation, ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}) });
  const ctx = t.modules.generation.context;
  const ledger = t.modules.billing.ledger;
  // The engine's handlers and every other queue's, as a worker process runs them — except the
  // one-time code jobs, whose worker createTestApp runs from the start (sign-ups need it even while
  // a test has stopped this process's other workers).
  const codeJobs = new Set(accountsJobs.map((d) => d.name));
  const handlers = t.modules.jobHandlers.filter((h) => !codeJobs.has(h.definition.name));
  let working = false;

  const g: GenerationTestApp = Object.assign(t, {
    ctx,
    async startWorkers() {
      if (working) return;
      working = true;
      await t.queue.work(handlers);
    },
    async stopWorkers() {
      if (!working) return;
      for (const h of handlers) await t.queue.boss.offWork(h.definition.name);
      working = false;
    },
    async user(credits: number) {
      const u = await signUp(t.app);
      if (credits > 0) {
        await t.database.db.transaction((tx) => ledger.grant(tx, { userId: u.user.id, type: 'bonus', amount: credits, idempotencyKey: `test:${randomUUID()}` }));
      }
      return { id: u.user.id, token: u.access_token };
    },
    async balance(userId: string) {
      const b = (await ledger.balance(t.database.db, userId))!;
      return { available: b.available, held: b.held };
    },
    async get(token: string, id: string) {
      const res = await call(t.app, 'GET', `/api/v1/generations/${id}`, { token });
      expect(res.statusCode, res.body).toBe(200);
      return res.data;
    },
    async until(token: string, id: string, done: (x: any) => boolean, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const x = await g.get(token, id);
        if (done(x)) return x;
        if (Date.now() > end) throw new Error(`generation ${id} still ${x.status} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async sourceAsset(token: string) {
      const res = await upload(t.app, token, { filename: 'photo.png', contentType: 'image/png', data: await makeImage(80, 60, 'png') });
      expect(res.statusCode, res.body).toBe(201);
      return res.data.id as string;
    },
    async invariants() {
      expect(await checkCreditInvariants(t.database.db)).toEqual([]);
    },
  });
  return g;
}

/** Whether a generation has ended (what `until` waits for in most tests). */
export const final = (g: any) => ['completed', 'failed', 'cancelled'].includes(g.status);

export const usageRows = (t: TestApp, userId: string) =>
  sqlRows<{ type: string; amount: number }>(t, `select type, amount from credit_transactions where user_id = '${userId}' and type = 'usage'`);
