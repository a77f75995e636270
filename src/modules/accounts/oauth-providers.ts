/**
 * The OAuth providers, spoken through oauth4webapi: Authorization Code with PKCE (S256) and `state`
 * for both, plus OpenID Connect for Google (discovery, `nonce`, ID token claims checked by the
 * library, and its RS256 signature checked against the issuer's JWKS). GitHub is plain OAuth 2.0:
 * the account comes from /user and the email from /user/emails (only a verified primary one counts).
 */
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../../config.ts';
import type { OAuthProvider } from './accounts.tables.ts';

export interface ProviderAccount {
  /** The provider's stable id of the account (OIDC `sub`, GitHub user id). */
  subject: string;
  email: string | null;
  /** True only when the provider says the email is verified. */
  emailVerified: boolean;
  name: string | null;
}

export interface AuthorizationStart {
  state: string;
  codeVerifier: string;
  nonce: string | null;
  url: URL;
}

export interface OAuthProviderAdapter {
  id: OAuthProvider;
  start(redirectUri: string): Promise<AuthorizationStart>;
  /** Exchanges the callback's code; throws OAuthFailure on anything the protocol refuses. */
  finish(callback: URLSearchParams, expected: { state: string; codeVerifier: string; nonce: string | null; redirectUri: string }): Promise<ProviderAccount>;
}

/** A refused callback, with the code the web app shows. */
export class OAuthFailure extends Error {
  readonly code: 'oauth_denied' | 'oauth_failed';
  constructor(code: 'oauth_denied' | 'oauth_failed', message: string) {
    super(message);
    this.code = code;
  }
}

// http issuers are only for a local stand-in; the library refuses them unless told.
const insecure = (base: string) => (base.startsWith('http:') ? { [oauth.allowInsecureRequests]: true } : {});

async function startWith(as: oauth.AuthorizationServer, client: oauth.Client, redirectUri: string, scope: string, oidc: boolean): Promise<AuthorizationStart> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oidc ? oauth.generateRandomNonce() : null;
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', scope);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (nonce) url.searchParams.set('nonce', nonce);
  return { state, codeVerifier, nonce, url };
}

/** Runs the code exchange; the library's errors (bad state, error response, bad token) become OAuthFailure. */
async function exchange<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof oauth.AuthorizationResponseError) throw new OAuthFailure(err.error === 'access_denied' ? 'oauth_denied' : 'oauth_failed', err.message);
    if (err instanceof OAuthFailure) throw err;
    throw new OAuthFailure('oauth_failed', err instanceof Error ? err.message : String(err));
  }
}

export function createGoogleProvider(c: NonNullable<Config['oauth']['google']>): OAuthProviderAdapter {
  const issuer = new URL(c.issuer);
  const client: oauth.Client = { client_id: c.clientId };
  const auth = oauth.ClientSecretPost(c.clientSecret);
  const options = insecure(c.issuer);
  let server: Promise<{ as: oauth.AuthorizationServer; jwks: JWTVerifyGetKey }> | undefined;
  // Discovered once per process; a failed discovery is tried again next time.
  const discover = () =>
    (server ??= (async () => {
      const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options }));
      if (!as.jwks_uri || !as.authorization_endpoint) throw new Error('the discovery document has no jwks_uri or authorization_endpoint');
      return { as, jwks: createRemoteJWKSet(new URL(as.jwks_uri)) };
    })().catch((err: unknown) => {
      server = undefined;
      throw err;
    }));

  return {
    id: 'google',
    async start(redirectUri) {
      const { as } = await discover();
      return startWith(as, client, redirectUri, 'openid email profile', true);
    },
    finish: (callback, expected) =>
      exchange(async () => {
        const { as, jwks } = await discover();
        const params = oauth.validateAuthResponse(as, client, callback, expected.state);
        const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, expected.redirectUri, expected.codeVerifier, options);
        const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: expected.nonce ?? oauth.expectNoNonce, requireIdToken: true });
        // The library checks iss, aud, exp, iat and nonce; the signature is checked here too.
        await jwtVerify(tokens.id_token!, jwks, { issuer: as.issuer, audience: c.clientId, algorithms: ['RS256'] });
        const claims = oauth.getValidatedIdTokenClaims(tokens)!;
        const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null;
        return {
          subject: claims.sub,
          email,
          emailVerified: email !== null && claims.email_verified === true,
          name: typeof claims.name === 'string' ? claims.name : null,
        };
      }),
  };
}

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export function createGitHubProvider(c: NonNullable<Config['oauth']['github']>): OAuthProviderAdapter {
  const web = c.webBase.replace(/\/+$/, '');
  const api = c.apiBase.replace(/\/+$/, '');
  const as: oauth.AuthorizationServer = {
    issuer: web,
    authorization_endpoint: `${web}/login/oauth/authorize`,
    token_endpoint: `${web}/login/oauth/access_token`,
  };
  const client: oauth.Client = { client_id: c.clientId };
  const auth = oauth.ClientSecretPost(c.clientSecret);
  const webOptions = insecure(web);
  const apiOptions = insecure(api);

  async function get<T>(accessToken: string, path: string): Promise<T> {
    const headers = new Headers({ accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' });
    const response = await oauth.protectedResourceRequest(accessToken, 'GET', new URL(`${api}${path}`), headers, null, apiOptions);
    if (!response.ok) throw new OAuthFailure('oauth_failed', `GitHub ${path} answered ${response.status}`);
    return (await response.json()) as T;
  }

  return {
    id: 'github',
    start: (redirectUri) => startWith(as, client, redirectUri, 'read:user user:email', false),
    finish: (callback, expected) =>
      exchange(async () => {
        const params = oauth.validateAuthResponse(as, client, callback, expected.state);
        const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, expected.redirectUri, expected.codeVerifier, webOptions);
        const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
        const user = await get<{ id: number; name: string | null; email: string | null }>(tokens.access_token, '/user');
        if (typeof user.id !== 'number') throw new OAuthFailure('oauth_failed', 'GitHub /user has no id');
        const emails = await get<GitHubEmail[]>(tokens.access_token, '/user/emails');
        const primary = Array.isArray(emails) ? emails.find((e) => e.primary) : undefined;
        return {
          subject: String(user.id),
          email: primary?.email.toLowerCase() ?? user.email?.toLowerCase() ?? null,
          emailVerified: primary?.verified === true,
          name: user.name,
        };
      }),
  };
}

export function createOAuthProviders(config: Pick<Config, 'oauth'>): Partial<Record<OAuthProvider, OAuthProviderAdapter>> {
  return {
    ...(config.oauth.google ? { google: createGoogleProvider(config.oauth.google) } : {}),
    ...(config.oauth.github ? { github: createGitHubProvider(config.oauth.github) } : {}),
  };
}

/** The providers this installation offers, in a fixed order (GET /config). */
export const configuredOAuthProviders = (config: Pick<Config, 'oauth'>): OAuthProvider[] =>
  (['google', 'github'] as const).filter((p) => config.oauth[p] !== undefined);
