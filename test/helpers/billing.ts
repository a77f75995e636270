/** Shortcuts for tests that buy plans with the `manual` provider (ATELIER_PAYMENTS_MANUAL=on). */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { call } from './app.ts';

export async function planIds(app: FastifyInstance): Promise<Record<string, string>> {
  const res = await call(app, 'GET', '/api/v1/billing/plans');
  return Object.fromEntries(res.data.data.map((p: { name: string; id: string }) => [p.name, p.id]));
}

/** Checks out a plan with the manual provider and completes it; returns the payment. */
export async function buyPlan(app: FastifyInstance, token: string, planId: string, body: Record<string, unknown> = {}) {
  const res = await call(app, 'POST', '/api/v1/billing/checkout', { token, body: { plan_id: planId, provider: 'manual', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  const done = await call(app, 'POST', `/api/v1/billing/manual/${res.data.payment.id}/complete`, { token });
  expect(done.statusCode, done.body).toBe(200);
  return done.data as { id: string; status: string };
}
