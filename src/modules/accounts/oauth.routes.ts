/**
 * OAuth sign-in: /auth/oauth/{provider}/start redirects to the provider, /callback comes back,
 * signs in the way the web app's sessions work (cookies, decision 004) and redirects to the app.
 * A failed callback lands on the sign-in page with `?oauth_error=<code>`, never on an error page.
 * /me/identities lists and unlinks the providers linked to the account.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';
import { ZNoContent } from '../../platform/http/schemas.ts';
import { oauthProviders } from './accounts.tables.ts';
import type { AccountsService } from './accounts.service.ts';
import { setAuthCookies } from './cookies.ts';

/** Holds the state between start and callback; sent only to the OAuth paths. */
export const OAUTH_COOKIE = 'atelier_oauth';
const OAUTH_COOKIE_PATH = '/api/v1/auth/oauth';

const ZProviderParams = z.object({ provider: z.enum(oauthProviders) });
const ZRedirect = z.null().describe('302 to the Location header');

export const ZIdentity = z.object({
  provider: z.enum(oauthProviders),
  email: z.string().nullable(),
  email_verified: z.boolean(),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
});

export async function oauthRoutes(app: FastifyInstance, accounts: AccountsService, opts: { secureCookies: boolean; baseUrl: string }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const refreshTtlSec = accounts.ctx.config.auth.refreshTokenTtlSec;
  const redirect = (reply: FastifyReply, location: string) => reply.code(302).header('location', location).header('cache-control', 'no-store').send(null);

  r.get(
    '/auth/oauth/:provider/start',
    {
      config: rateLimit({ max: 30, timeWindow: '1 minute' }),
      schema: {
        tags: ['auth'],
        summary: 'Start signing in with Google or GitHub (when configured): 302 to the provider, with PKCE and state',
        params: ZProviderParams,
        querystring: z.object({ return_url: z.string().max(2048).optional() }),
        response: { 302: ZRedirect },
      },
    },
    async (request, reply) => {
      const begun = await accounts.oauth.start(request.params.provider, request.query.return_url);
      // SameSite=Lax: the provider sends the browser back with a top-level GET, which Lax allows.
      reply.setCookie(OAUTH_COOKIE, begun.state, { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, path: OAUTH_COOKIE_PATH, maxAge: begun.ttlSec });
      return redirect(reply, begun.url);
    },
  );

  r.get(
    '/auth/oauth/:provider/callback',
    {
      // It signs in (last_login_at, a new account): answered once every account view has heard.
      config: { ...rateLimit({ max: 30, timeWindow: '1 minute' }), writes: true },
      schema: {
        tags: ['auth'],
        summary: 'Where the provider sends the browser back: signs in (or up, or links the verified account with that email) and 302 to the app',
        params: ZProviderParams,
        querystring: z.looseObject({
          code: z.string().optional(),
          state: z.string().optional(),
          error: z.string().optional(),
          error_description: z.string().optional(),
          iss: z.string().optional(),
        }),
        response: { 302: ZRedirect },
      },
    },
    async (request, reply) => {
      // Every parameter goes to the library, which refuses what does not belong (an `iss` mix-up, …).
      const params = new URLSearchParams(Object.entries(request.query).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const outcome = await accounts.oauth.callback(request.params.provider, params, request.cookies[OAUTH_COOKIE], requestMeta(request));
      reply.clearCookie(OAUTH_COOKIE, { path: OAUTH_COOKIE_PATH, secure: opts.secureCookies });
      if (!outcome.ok) return redirect(reply, `${opts.baseUrl}/signin?oauth_error=${outcome.code}`);
      setAuthCookies(reply, outcome.signedIn.pair, { secure: opts.secureCookies, refreshTtlSec });
      return redirect(reply, `${opts.baseUrl}${outcome.returnPath}`);
    },
  );

  r.get(
    '/me/identities',
    { config: { auth: 'user' }, schema: { tags: ['me'], summary: 'Google and GitHub accounts linked for sign-in', response: { 200: z.object({ data: z.array(ZIdentity) }) } } },
    async (request) => accounts.oauth.identities(principalOf(request).userId),
  );

  r.delete(
    '/me/identities/:provider',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['me'],
        summary: 'Unlink a provider; 409 when it is the last way in (no password, no other provider, no verified phone)',
        params: ZProviderParams,
        response: { 204: ZNoContent },
      },
    },
    async (request, reply) => {
      await accounts.oauth.unlink(principalOf(request).userId, request.params.provider, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
