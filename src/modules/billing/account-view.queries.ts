import { eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../platform/db/types.ts';
import { users } from '../accounts/index.ts';
import { creditBalances } from './credits.tables.ts';
import { plans } from './offers.tables.ts';
import { subscriptions } from './payments.tables.ts';

/**
 * A user with their balance, their subscription and its plan, and the free plan of their audience:
 * everything GET /me shows of an ordinary account, in one round trip (decision 070). Which plan is
 * in force is decided by effectivePlan's rules (plan-limits.ts), not here.
 */
export async function findUserWithCreditsAndPlans(db: DbOrTx, userId: string) {
  const subscriptionPlan = alias(plans, 'subscription_plan');
  const freePlan = alias(plans, 'free_plan');
  const [row] = await db
    .select({ user: users, balance: creditBalances, subscription: subscriptions, subscriptionPlan, freePlan })
    .from(users)
    .leftJoin(creditBalances, eq(creditBalances.userId, users.id))
    .leftJoin(subscriptions, eq(subscriptions.userId, users.id))
    .leftJoin(subscriptionPlan, eq(subscriptionPlan.id, subscriptions.planId))
    .leftJoin(freePlan, eq(freePlan.name, sql`case when ${users.role} = 'vendor' then 'vendor_free' else 'free' end`))
    .where(eq(users.id, userId));
  return row;
}
