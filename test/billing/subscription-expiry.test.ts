/**
 * Subscription expiry and the effective plan in GET /me.
 * Real: app, database, auth, checkout and fulfilment, the expiry sweep the scheduled job runs.
 * Stand-ins: the `manual` provider plays the gateway; a manual clock moved past period ends; Stripe
 * and ZarinPal subscriptions are rows written with SQL (their gateways are not part of this test);
 * the sweep is called directly rather than waiting for its cron tick (its registration is checked).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions } from '../../src/jobs.ts';
import { checkCreditInvariants, sweepEndedSubscriptions } from '../../src/modules/billing/index.ts';
import { countRows, signUp } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { buyPlan, planIds } from '../helpers/billing.ts';

const DAY = 86_400_000;
let t: TestApp;
let plans: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_PAYMENTS_MANUAL: 'on' } });
  plans = await planIds(t.app);
});
afterEach(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
});
afterAll(async () => t?.close());

const sweep = () => sweepEndedSubscriptions({ db: t.database.db, clock: t.clock });
const me = async (token: string) => (await call(t.app, 'GET', '/api/v1/me', { token })).data;
/** A new access token: after the clock has moved a month, the first one has expired. */
const signIn = async (u: { email: string | undefined; password: string }) =>
  (await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } })).data.access_token as string;
const subOf = async (userId: string) => (await sqlRows<{ status: string; cancel_at_period_end: boolean }>(t, `select status, cancel_at_period_end from subscriptions where user_id = '${userId}'`))[0];
const history = async (userId: string) =>
  (await sqlRows<{ event: string }>(t, `select event from subscription_history where user_id = '${userId}' order by created_at, event`)).map((h) => h.event);

/** A subscription row as a gateway would leave it, ending `endsInMs` from now. */
async function insertSubscription(userId: string, plan: string, provider: string, endsInMs: number | null, cancelAtPeriodEnd = false) {
  const now = t.clock.now().getTime();
  const end = endsInMs === null ? 'null' : `'${new Date(now + endsInMs).toISOString()}'`;
  await sqlRows(
    t,
    `insert into subscriptions (user_id, plan_id, status, current_period_start, current_period_end, cancel_at_period_end, provider, provider_subscription_id)
     values ('${userId}', '${plans[plan]}', 'active', '${new Date(now - DAY).toISOString()}', ${end}, ${cancelAtPeriodEnd}, '${provider}', ${provider === 'stripe' ? `'sub_${userId.slice(0, 8)}'` : 'null'})`,
  );
}

describe('the subscription expiry job', () => {
  it('is scheduled', () => {
    expect(jobDefinitions.find((d) => d.name === 'billing.expire-subscriptions')?.cron).toBeTruthy();
  });

  it('expires a manual subscription once its period is over, with a history row, once', async () => {
    const u = await signUp(t.app);
    await buyPlan(t.app, u.access_token, plans.basic!);
    const end = new Date((await me(u.access_token)).plan.current_period_end).getTime();
    t.clock.set(new Date(end - 1000));
    await sweep();
    expect((await subOf(u.user.id))!.status).toBe('active');

    t.clock.set(new Date(end));
    const token = await signIn(u);
    // Past its end the plan is no longer in force, even before the job has run.
    expect((await me(token)).plan).toMatchObject({ name: 'free', source: 'free' });
    const first = await sweep();
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect((await subOf(u.user.id))!.status).toBe('expired');
    expect(await history(u.user.id)).toEqual(['started', 'expired']);
    // Reruns (and overlapping runs) change nothing.
    await Promise.all([sweep(), sweep()]);
    expect(await history(u.user.id)).toEqual(['started', 'expired']);
    // Buying again starts a new period.
    await buyPlan(t.app, token, plans.basic!);
    expect((await subOf(u.user.id))!.status).toBe('active');
    expect((await me(token)).plan).toMatchObject({ name: 'basic', source: 'subscription' });
  });

  it('cancels a subscription asked to end with its period, keeping the plan until then', async () => {
    const u = await signUp(t.app);
    await buyPlan(t.app, u.access_token, plans.advanced!);
    t.clock.advance(1000);
    await call(t.app, 'POST', '/api/v1/billing/subscription/cancel', { token: u.access_token });
    const plan = (await me(u.access_token)).plan;
    expect(plan).toMatchObject({ name: 'advanced', source: 'subscription', cancel_at_period_end: true });
    t.clock.set(new Date(new Date(plan.current_period_end).getTime() + 1));
    await sweep();
    expect(await subOf(u.user.id)).toEqual({ status: 'cancelled', cancel_at_period_end: true });
    expect(await history(u.user.id)).toEqual(['started', 'cancel_requested', 'cancelled']);
  });

  it('leaves Stripe subscriptions to Stripe unless they are being cancelled; expires ZarinPal ones; never ends a plan without a period', async () => {
    const [stripe, stripeCancelling, zarinpal, open] = await Promise.all([signUp(t.app), signUp(t.app), signUp(t.app), signUp(t.app)]);
    await insertSubscription(stripe.user.id, 'basic', 'stripe', 1000);
    await insertSubscription(stripeCancelling.user.id, 'basic', 'stripe', 1000, true);
    await insertSubscription(zarinpal.user.id, 'advanced', 'zarinpal', 1000);
    await insertSubscription(open.user.id, 'basic', 'manual', null);
    t.clock.advance(2000);
    await sweep();
    expect((await subOf(stripe.user.id))!.status).toBe('active');
    expect((await subOf(stripeCancelling.user.id))!.status).toBe('cancelled');
    expect((await subOf(zarinpal.user.id))!.status).toBe('expired');
    expect((await subOf(open.user.id))!.status).toBe('active');
    // A Stripe subscription past its end still gives its plan until Stripe says otherwise.
    expect((await me(await signIn(stripe))).plan).toMatchObject({ name: 'basic', source: 'subscription' });
    expect((await me(await signIn(stripeCancelling))).plan.name).toBe('free');
    expect((await me(await signIn(open))).plan).toMatchObject({ name: 'basic', current_period_end: null });
    expect(await countRows(t, `select count(*) as n from subscription_history where user_id = '${stripe.user.id}'`)).toBe(0);
  });
});

describe('GET /me plan', () => {
  it('is the free plan of the audience without a subscription, with its limits', async () => {
    const u = await signUp(t.app);
    const v = await signUp(t.app, { account_type: 'vendor', business_name: 'Plan Shop' });
    expect((await me(u.access_token)).plan).toEqual({
      id: plans.free,
      name: 'free',
      display_name: 'Free',
      audience: 'user',
      has_watermark: true,
      conversion_limit: 2,
      gallery_limit: 5,
      retention_days: 30,
      upload_retention_days: 30,
      upload_storage_mb: 1024,
      uploads_per_hour: 120,
      features: expect.any(Array),
      source: 'free',
      current_period_end: null,
      cancel_at_period_end: false,
    });
    expect((await me(v.access_token)).plan).toMatchObject({ id: plans.vendor_free, name: 'vendor_free', audience: 'vendor', gallery_limit: 10 });
    // Sign-in responses carry the same user shape.
    const login = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: v.email, password: v.password } });
    expect(login.data.user.plan.name).toBe('vendor_free');
  });

  it("is the subscription's plan while it is in force", async () => {
    const v = await signUp(t.app, { account_type: 'vendor', business_name: 'Pro Shop' });
    await buyPlan(t.app, v.access_token, plans.vendor_pro!);
    const plan = (await me(v.access_token)).plan;
    expect(plan).toMatchObject({ id: plans.vendor_pro, name: 'vendor_pro', display_name: 'Vendor Pro', has_watermark: false, gallery_limit: 500, source: 'subscription', cancel_at_period_end: false });
    expect(new Date(plan.current_period_end).getTime()).toBeGreaterThan(t.clock.now().getTime());
  });
});
