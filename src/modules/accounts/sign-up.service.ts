/**
 * Registration and password sign-in.
 *
 * Sign-up answers 409 when the email or phone is taken: an account that hands out tokens at sign-up
 * cannot hide that (docs/decisions/003). Everything else here — login, codes, resets — answers the
 * same whether or not an account exists, and spends the same time. The sign-up credits are not
 * granted here but at the first verified email or phone (otp.service.ts, decision 051).
 */
import { randomToken } from '../../platform/crypto.ts';
import type { Tx } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import { actorTypeFor, recordAudit } from '../../platform/audit/audit.ts';
import type { TLoginBody, TRegisterBody } from './accounts.dto.ts';
import type { OAuthProvider } from './accounts.tables.ts';
import * as uq from './accounts.queries.ts';
import type { AccountsContext, RequestMeta } from './context.ts';
import { PASSWORD_BUDGET, budgetKey, clearAttempts, spendOrRefuse } from './failure-budget.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { SessionsService, TokenPair } from './sessions.service.ts';
import { slugify } from './slug.ts';

export interface SignedIn {
  user: uq.UserRow;
  pair: TokenPair;
}

export function createSignUpService(ctx: AccountsContext, sessions: SessionsService) {
  async function register(body: TRegisterBody, meta: RequestMeta): Promise<SignedIn> {
    // The product decides how people sign up (style-studio: by phone, seed 003); an account made
    // another way would have no way to verify itself there.
    const { signUp } = ctx.config.preset;
    if (body.email && !signUp.email) throw errors.validation([{ path: 'email', message: 'sign-up here is by phone number' }]);
    if (body.phone && !signUp.phone) throw errors.validation([{ path: 'phone', message: 'sign-up here is by email' }]);
    // Hash outside the transaction: argon2 takes ~50 ms and needs no lock.
    const passwordHash = await hashPassword(body.password);
    const now = ctx.clock.now();
    return ctx.db.transaction(async (tx) => {
      const user = await uq.insertUserIfFree(tx, {
        email: body.email ?? null,
        phone: body.phone ?? null,
        passwordHash,
        fullName: body.full_name ?? null,
        role: body.account_type === 'vendor' ? 'vendor' : 'user',
        createdAt: now,
        updatedAt: now,
      });
      if (!user) throw errors.conflict('An account with this email or phone already exists.');

      if (body.account_type === 'vendor') {
        const base = slugify(body.business_name!);
        let profile: uq.VendorProfileRow | undefined;
        for (let attempt = 0; !profile && attempt < 5; attempt++) {
          const slug = attempt === 0 ? base : `${base}-${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
          profile = await uq.insertVendorProfileIfSlugFree(tx, { userId: user.id, businessName: body.business_name!, slug, createdAt: now, updatedAt: now });
        }
        if (!profile) throw errors.conflict('Could not find a free page address for this business name.');
      }

      await recordAudit(tx, {
        actorType: actorTypeFor(user.role),
        actorId: user.id,
        action: 'auth.register',
        targetType: 'user',
        targetId: user.id,
        details: { via: body.email ? 'email' : 'phone', account_type: body.account_type },
        ip: meta.ip,
        userAgent: meta.userAgent,
        at: now,
      });
      const pair = await sessions.issue(tx, user, meta);
      const signedIn = await uq.updateUser(tx, user.id, { lastLoginAt: now });
      return { user: signedIn ?? user, pair };
    });
  }

  async function login(body: TLoginBody, meta: RequestMeta): Promise<SignedIn> {
    const now = ctx.clock.now();
    // Spent before the password is checked, for unknown identifiers too (decision 091).
    const budget = budgetKey(ctx.secret, 'password', body.email ?? body.phone ?? '');
    await spendOrRefuse(ctx.db, budget, now, PASSWORD_BUDGET);
    const user = await uq.findUserByIdentifier(ctx.db, body);
    const ok = await verifyPassword(user?.passwordHash, body.password);
    if (!user || !ok) {
      await recordAudit(ctx.db, {
        actorType: 'system',
        actorId: null,
        action: 'auth.login_failed',
        targetType: 'user',
        // The target is recorded only when the account exists; the response never says which.
        targetId: user?.id,
        details: { via: body.email ? 'email' : 'phone' },
        ip: meta.ip,
        userAgent: meta.userAgent,
        at: now,
      });
      throw errors.invalidCredentials();
    }
    if (!user.isActive) throw errors.accountDisabled();
    await clearAttempts(ctx.db, budget);
    return signIn(user, meta, 'password');
  }

  /**
   * Opens a session for an already-authenticated user (password or one-time code). Pass `tx` when
   * the caller holds a transaction: on the embedded database a second one would wait forever.
   */
  async function signIn(user: uq.UserRow, meta: RequestMeta, via: 'password' | 'otp' | OAuthProvider, tx?: Tx): Promise<SignedIn> {
    const now = ctx.clock.now();
    const work = async (db: Tx): Promise<SignedIn> => {
      const pair = await sessions.issue(db, user, meta);
      const updated = await uq.updateUser(db, user.id, { lastLoginAt: now });
      await recordAudit(db, {
        actorType: actorTypeFor(user.role),
        actorId: user.id,
        action: 'auth.login',
        targetType: 'user',
        targetId: user.id,
        details: { via },
        ip: meta.ip,
        userAgent: meta.userAgent,
        at: now,
      });
      return { user: updated ?? user, pair };
    };
    return tx ? work(tx) : ctx.db.transaction(work);
  }

  return { register, login, signIn };
}

export type SignUpService = ReturnType<typeof createSignUpService>;
