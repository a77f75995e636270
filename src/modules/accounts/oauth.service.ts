/**
 * OAuth sign-in (decision 092). `start` keeps the state, PKCE verifier and nonce in the database
 * and hands the browser the state in an httpOnly cookie; `callback` takes that row out (once),
 * checks the cookie against the returned state (no login CSRF), lets the provider adapter run the
 * code exchange, then signs in the linked account, links the verified account with the same email,
 * or signs up. Every refusal is a code for the web app's sign-in page, never an exception.
 *
 * An account is found by the provider's own id, and by email only when the provider says the email
 * is verified AND the account here has verified it too: linking by an unverified email would hand
 * the account to whoever typed that address first, here or at the provider.
 */
import { sha256Hex } from '../../platform/crypto.ts';
import type { Tx } from '../../platform/db/types.ts';
import { AppError, errors } from '../../platform/http/errors.ts';
import { actorTypeFor, recordAudit } from '../../platform/audit/audit.ts';
import * as uq from './accounts.queries.ts';
import type { OAuthProvider } from './accounts.tables.ts';
import type { AccountsContext, RequestMeta } from './context.ts';
import { OAuthFailure, type OAuthProviderAdapter, type ProviderAccount } from './oauth-providers.ts';
import * as oq from './oauth.queries.ts';
import type { SignUpService, SignedIn } from './sign-up.service.ts';
import { grantWelcomeCredits } from './welcome-credits.ts';

export const OAUTH_STATE_TTL_MS = 10 * 60_000;

export const oauthErrorCodes = [
  'oauth_state',
  'oauth_denied',
  'oauth_failed',
  'oauth_no_email',
  'oauth_email_unverified',
  'oauth_account_unverified',
  'oauth_signup_closed',
  'account_disabled',
] as const;
export type OAuthErrorCode = (typeof oauthErrorCodes)[number];

export type CallbackOutcome = { ok: true; signedIn: SignedIn; returnPath: string } | { ok: false; code: OAuthErrorCode };

class Refused extends Error {
  readonly code: OAuthErrorCode;
  constructor(code: OAuthErrorCode) {
    super(code);
    this.code = code;
  }
}

export function createOAuthService(
  ctx: AccountsContext,
  signUp: SignUpService,
  deps: { providers: Partial<Record<OAuthProvider, OAuthProviderAdapter>>; baseUrl: string },
) {
  const redirectUri = (provider: OAuthProvider) => `${deps.baseUrl}/api/v1/auth/oauth/${provider}/callback`;

  function adapter(provider: OAuthProvider): OAuthProviderAdapter {
    const found = deps.providers[provider];
    if (!found) throw errors.notFound('OAuth provider');
    return found;
  }

  /** Only a path on this installation's own origin may be where the user lands (decision 035). */
  function returnPathOf(returnUrl: string | undefined): string {
    if (!returnUrl) return '/dashboard';
    const base = new URL(deps.baseUrl);
    let url: URL;
    try {
      url = new URL(returnUrl, base);
    } catch {
      throw errors.validation([{ path: 'return_url', message: 'must be a URL on this site' }]);
    }
    if (url.origin !== base.origin) throw errors.validation([{ path: 'return_url', message: 'must be on this site' }]);
    return `${url.pathname}${url.search}${url.hash}`;
  }

  async function start(provider: OAuthProvider, returnUrl: string | undefined): Promise<{ url: string; state: string; ttlSec: number }> {
    const a = adapter(provider);
    const returnPath = returnPathOf(returnUrl);
    let begun;
    try {
      begun = await a.start(redirectUri(provider));
    } catch (err) {
      ctx.log.warn({ err, provider }, 'oauth: provider discovery failed');
      throw new AppError('unavailable', `${provider} sign-in is not reachable right now.`, { headers: { 'retry-after': '30' } });
    }
    const now = ctx.clock.now();
    await oq.insertLoginState(ctx.db, {
      stateHash: sha256Hex(begun.state),
      provider,
      codeVerifier: begun.codeVerifier,
      nonce: begun.nonce,
      returnPath,
      expiresAt: new Date(now.getTime() + OAUTH_STATE_TTL_MS),
      createdAt: now,
    });
    return { url: begun.url.toString(), state: begun.state, ttlSec: OAUTH_STATE_TTL_MS / 1000 };
  }

  async function callback(provider: OAuthProvider, params: URLSearchParams, cookieState: string | undefined, meta: RequestMeta): Promise<CallbackOutcome> {
    const a = deps.providers[provider];
    const state = params.get('state');
    if (!a || !state) return { ok: false, code: 'oauth_state' };
    const now = ctx.clock.now();
    // Taken out first, whatever follows: a state is good for one callback.
    const saved = await oq.takeLoginState(ctx.db, sha256Hex(state), provider);
    // The cookie ties the callback to the browser that started it: a callback URL carrying someone
    // else's code and state (login CSRF) has no matching cookie here.
    if (!saved || saved.expiresAt <= now || cookieState !== state) return { ok: false, code: 'oauth_state' };
    let account: ProviderAccount;
    try {
      account = await a.finish(params, { state, codeVerifier: saved.codeVerifier, nonce: saved.nonce, redirectUri: redirectUri(provider) });
    } catch (err) {
      ctx.log.warn({ err: err instanceof Error ? err.message : err, provider }, 'oauth: callback refused');
      return { ok: false, code: err instanceof OAuthFailure ? err.code : 'oauth_failed' };
    }
    try {
      const signedIn = await ctx.db.transaction((tx) => resolveAccount(tx, provider, account, meta));
      return { ok: true, signedIn, returnPath: saved.returnPath };
    } catch (err) {
      if (err instanceof Refused) return { ok: false, code: err.code };
      throw err;
    }
  }

  async function resolveAccount(tx: Tx, provider: OAuthProvider, account: ProviderAccount, meta: RequestMeta): Promise<SignedIn> {
    const now = ctx.clock.now();
    const touch = { email: account.email, emailVerified: account.emailVerified, lastLoginAt: now };
    const linked = await oq.findIdentityWithUser(tx, provider, account.subject);
    if (linked) {
      if (!linked.user.isActive) throw new Refused('account_disabled');
      await oq.touchIdentity(tx, linked.identity.id, touch);
      return signUp.signIn(linked.user, meta, provider, tx);
    }
    if (!account.email) throw new Refused('oauth_no_email');
    const existing = await uq.findUserByIdentifier(tx, { email: account.email });
    if (existing) {
      // Both sides must vouch for the address, or the link is a takeover (see the header).
      if (!account.emailVerified) throw new Refused('oauth_email_unverified');
      if (!existing.emailVerifiedAt) throw new Refused('oauth_account_unverified');
      if (!existing.isActive) throw new Refused('account_disabled');
      const identity = await oq.insertIdentityIfFree(tx, { userId: existing.id, provider, providerUserId: account.subject, ...touch, createdAt: now });
      // The account already has another account of this provider linked.
      if (!identity) throw new Refused('oauth_failed');
      await recordAudit(tx, {
        actorType: actorTypeFor(existing.role),
        actorId: existing.id,
        action: 'auth.identity_linked',
        targetType: 'user',
        targetId: existing.id,
        details: { provider, by: 'verified_email' },
        ip: meta.ip,
        userAgent: meta.userAgent,
        at: now,
      });
      return signUp.signIn(existing, meta, provider, tx);
    }
    if (!ctx.config.preset.signUp.email) throw new Refused('oauth_signup_closed');
    const user = await uq.insertUserIfFree(tx, {
      email: account.email,
      passwordHash: null,
      fullName: account.name,
      role: 'user',
      // Verified only on the provider's word that it is.
      emailVerifiedAt: account.emailVerified ? now : null,
      createdAt: now,
      updatedAt: now,
    });
    if (!user) throw new Refused('oauth_failed');
    await oq.insertIdentityIfFree(tx, { userId: user.id, provider, providerUserId: account.subject, ...touch, createdAt: now });
    await recordAudit(tx, {
      actorType: actorTypeFor(user.role),
      actorId: user.id,
      action: 'auth.register',
      targetType: 'user',
      targetId: user.id,
      details: { via: provider, email_verified: account.emailVerified },
      ip: meta.ip,
      userAgent: meta.userAgent,
      at: now,
    });
    // The welcome credits come with the first verified address, here the provider's.
    if (account.emailVerified) await grantWelcomeCredits(ctx, tx, user.id);
    return signUp.signIn(user, meta, provider, tx);
  }

  async function identities(userId: string) {
    const rows = await oq.listIdentities(ctx.db, userId);
    return {
      data: rows.map((r) => ({
        provider: r.provider,
        email: r.email,
        email_verified: r.emailVerified,
        created_at: r.createdAt.toISOString(),
        last_login_at: r.lastLoginAt?.toISOString() ?? null,
      })),
    };
  }

  /** Unlinks, unless it is the last way in: no password, no other provider, no verified phone → 409. */
  async function unlink(userId: string, provider: OAuthProvider, meta: RequestMeta): Promise<void> {
    const now = ctx.clock.now();
    await ctx.db.transaction(async (tx) => {
      const user = await oq.lockUser(tx, userId);
      if (!user) throw errors.notFound('Identity');
      const count = await oq.countIdentities(tx, userId);
      if (!(await oq.deleteIdentity(tx, userId, provider))) throw errors.notFound('Identity');
      if (!user.passwordHash && !user.phoneVerifiedAt && count <= 1) {
        throw errors.conflict('This is the last way to sign in to the account: set a password or link another provider first.');
      }
      await recordAudit(tx, {
        actorType: actorTypeFor(user.role),
        actorId: user.id,
        action: 'auth.identity_unlinked',
        targetType: 'user',
        targetId: user.id,
        details: { provider },
        ip: meta.ip,
        userAgent: meta.userAgent,
        at: now,
      });
    });
  }

  return { start, callback, identities, unlink };
}

export type OAuthService = ReturnType<typeof createOAuthService>;
