/** /auth/*: sign-up, sign-in, refresh, logout, one-time codes, password reset. Thin by design. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../platform/http/errors.ts';
import { ZNoContent } from '../../platform/http/schemas.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import * as dto from './accounts.dto.ts';
import type { AccountsService } from './accounts.service.ts';
import { clearAuthCookies, refreshTokenOf, setAuthCookies, wantsCookies } from './cookies.ts';
import type { TokenPair } from './sessions.service.ts';
import type { SignedIn } from './sign-up.service.ts';
import { toUserView } from './user-view.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';



export async function authRoutes(app: FastifyInstance, accounts: AccountsService, opts: { secureCookies: boolean }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const refreshTtlSec = accounts.ctx.config.auth.refreshTokenTtlSec;

  /** The token pair goes into the body, or into cookies when the web app asks for cookie mode. */
  function respond(request: FastifyRequest, reply: FastifyReply, user: dto.TUser, pair: TokenPair, status: number): dto.TAuthResponse {
    reply.code(status);
    if (wantsCookies(request)) {
      setAuthCookies(reply, pair, { secure: opts.secureCookies, refreshTtlSec });
      return { user, token_type: 'Bearer', expires_in: pair.expiresIn };
    }
    return { user, access_token: pair.accessToken, refresh_token: pair.refreshToken, token_type: 'Bearer', expires_in: pair.expiresIn };
  }
  const signedIn = async (request: FastifyRequest, reply: FastifyReply, s: SignedIn, status: number) =>
    respond(request, reply, await toUserView(accounts.ctx.db, s.user, accounts.ctx), s.pair, status);

  r.post(
    '/auth/register',
    {
      config: rateLimit({ max: 20, timeWindow: '1 hour' }),
      schema: {
        tags: ['auth'],
        summary: 'Create an account (email or phone) and sign in',
        body: dto.ZRegisterBody,
        response: { 201: dto.ZAuthResponse },
      },
    },
    async (request, reply) => signedIn(request, reply, await accounts.signUp.register(request.body, requestMeta(request)), 201),
  );

  r.post(
    '/auth/login',
    {
      config: rateLimit({ max: 20, timeWindow: '1 minute' }),
      schema: { tags: ['auth'], summary: 'Sign in with a password', body: dto.ZLoginBody, response: { 200: dto.ZAuthResponse } },
    },
    async (request, reply) => signedIn(request, reply, await accounts.signUp.login(request.body, requestMeta(request)), 200),
  );

  r.post(
    '/auth/refresh',
    {
      config: rateLimit({ max: 60, timeWindow: '1 minute' }),
      schema: {
        tags: ['auth'],
        summary: 'Trade a refresh token for a new pair; a rotated token presented again revokes its session',
        body: dto.ZRefreshBody.default({}),
        response: { 200: dto.ZAuthResponse },
      },
    },
    async (request, reply) => {
      const token = refreshTokenOf(request, request.body.refresh_token);
      if (!token) throw errors.unauthorized('A refresh token is required.');
      const { pair, userId } = await accounts.sessions.refresh(token, requestMeta(request));
      return respond(request, reply, await accounts.profile.me(userId), pair, 200);
    },
  );

  r.post(
    '/auth/logout',
    {
      config: { auth: 'optional' },
      schema: { tags: ['auth'], summary: 'End a session', body: dto.ZLogoutBody, response: { 204: ZNoContent } },
    },
    async (request, reply) => {
      const token = refreshTokenOf(request, request.body?.refresh_token);
      await accounts.sessions.logout({ refreshToken: token, sessionId: request.principal?.sessionId, userId: request.principal?.userId });
      clearAuthCookies(reply, { secure: opts.secureCookies });
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/auth/otp/request',
    {
      config: rateLimit({ max: 5, timeWindow: '1 minute' }),
      schema: {
        tags: ['auth'],
        summary: 'Send a one-time code; answers 202 whether or not the account exists',
        body: dto.ZOtpRequestBody,
        response: { 202: z.object({ status: z.literal('accepted') }) },
      },
    },
    async (request, reply) => {
      await accounts.otp.request(request.body, requestMeta(request));
      return reply.code(202).send({ status: 'accepted' as const });
    },
  );

  r.post(
    '/auth/otp/verify',
    {
      config: rateLimit({ max: 30, timeWindow: '1 minute' }),
      schema: {
        tags: ['auth'],
        summary: 'Check a one-time code; `login` codes sign in',
        body: dto.ZOtpVerifyBody,
        response: { 200: dto.ZOtpVerifyResponse },
      },
    },
    async (request, reply) => {
      const result = await accounts.otp.verify(request.body, requestMeta(request));
      if ('pair' in result) return signedIn(request, reply, result, 200);
      return result;
    },
  );

  r.post(
    '/auth/password/reset',
    {
      config: rateLimit({ max: 10, timeWindow: '1 minute' }),
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with a password_reset code; signs out every session',
        body: dto.ZPasswordResetBody,
        response: { 204: ZNoContent },
      },
    },
    async (request, reply) => {
      await accounts.otp.resetPassword(request.body, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
