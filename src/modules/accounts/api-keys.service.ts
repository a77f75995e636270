/**
 * API keys for integrators: shown once, stored hashed, revocable. A key outlives sessions, so minting
 * one takes a verified email or phone and a signed-in person, never another key: an attacker who
 * registered someone else's address first cannot leave a key behind that survives the owner's
 * password reset (decision 051; the reset revokes every key).
 */
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage, type TListQuery } from '../../platform/http/pagination.ts';
import type { Principal } from '../../platform/http/auth.ts';
import { findUserById } from './accounts.queries.ts';
import * as kq from './api-keys.queries.ts';
import type { AccountsContext } from './context.ts';
import { newApiKey } from './tokens.ts';

export const MAX_API_KEYS = 25;

const view = (k: kq.ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: `atl_${k.prefix}`,
  last_used_at: k.lastUsedAt?.toISOString() ?? null,
  created_at: k.createdAt.toISOString(),
});

export function createApiKeysService(ctx: AccountsContext) {
  async function list(userId: string, query: TListQuery) {
    const rows = await kq.listLiveApiKeys(ctx.db, userId, decodeCursor(query.cursor), query.limit);
    const page = toPage(rows, query.limit, (r) => r);
    return { data: page.data.map(view), next_cursor: page.next_cursor };
  }

  async function create(principal: Pick<Principal, 'userId' | 'apiKeyId'>, name: string) {
    if (principal.apiKeyId) throw errors.apiKeyNotAllowed('create API keys');
    const userId = principal.userId;
    const user = await findUserById(ctx.db, userId);
    if (!user) throw errors.notFound('User');
    if (!user.emailVerifiedAt && !user.phoneVerifiedAt) throw errors.verificationRequired('create API keys');
    const now = ctx.clock.now();
    return ctx.db.transaction(async (tx) => {
      if ((await kq.countLiveApiKeys(tx, userId)) >= MAX_API_KEYS) {
        throw errors.conflict(`An account may hold at most ${MAX_API_KEYS} API keys; revoke one first.`);
      }
      const fresh = newApiKey();
      const row = await kq.insertApiKey(tx, { userId, name, prefix: fresh.prefix, keyHash: fresh.hash, createdAt: now });
      return { ...view(row), key: fresh.key };
    });
  }

  async function revoke(userId: string, id: string): Promise<void> {
    if (!(await kq.revokeApiKey(ctx.db, userId, id, ctx.clock.now()))) throw errors.notFound('API key');
    ctx.principals.forgetUser(userId);
  }

  return { list, create, revoke };
}
