/**
 * A local stand-in for Google's OpenID Connect provider and GitHub's OAuth apps, on node:http,
 * speaking their protocols: an OpenID discovery document, a JWKS, /authorize issuing a one-time code
 * (PKCE S256 challenge and nonce recorded), /token checking the client secret, redirect_uri and the
 * code_verifier against the challenge and answering an RS256 ID token carrying the nonce; GitHub's
 * /login/oauth/authorize, /login/oauth/access_token (errors in a 200 body, as GitHub does), /user
 * and /user/emails. A code works once. Tests pick who "signs in" at the provider with `nextUser`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export interface StandInUser {
  sub: string;
  email: string | null;
  emailVerified: boolean;
  name?: string;
}

interface IssuedCode {
  kind: 'google' | 'github';
  redirectUri: string;
  challenge: string;
  nonce: string | null;
  user: StandInUser;
  used: boolean;
}

export interface OAuthStandIn {
  url: string;
  clientId: string;
  clientSecret: string;
  /** The account the next /authorize signs in as. */
  nextUser: StandInUser;
  /** Every token request (form), for assertions. */
  tokenRequests: Record<string, string>[];
  /** Replaces the nonce put in the next ID token (a provider answering for another request). */
  forceNonce: string | undefined;
  env(): Record<string, string>;
  close(): Promise<void>;
}

const b64url = (b: Buffer) => b.toString('base64url');

export async function startOAuthStandIn(): Promise<OAuthStandIn> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'stand-in-1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, StandInUser>();
  const clientId = 'stand-in-client';
  const clientSecret = 'stand-in-secret';

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const readForm = (req: http.IncomingMessage) =>
    new Promise<Record<string, string>>((resolve) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(raw))));
    });

  const standIn: OAuthStandIn = {
    url: '',
    clientId,
    clientSecret,
    nextUser: { sub: 'nobody', email: null, emailVerified: false },
    tokenRequests: [],
    forceNonce: undefined,
    env() {
      return {
        OAUTH_GOOGLE_CLIENT_ID: clientId,
        OAUTH_GOOGLE_CLIENT_SECRET: clientSecret,
        OAUTH_GOOGLE_ISSUER: standIn.url,
        OAUTH_GITHUB_CLIENT_ID: clientId,
        OAUTH_GITHUB_CLIENT_SECRET: clientSecret,
        OAUTH_GITHUB_WEB_BASE: standIn.url,
        OAUTH_GITHUB_API_BASE: `${standIn.url}/api`,
      };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  function authorize(kind: 'google' | 'github', url: URL, res: http.ServerResponse) {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== clientId || !redirectUri) return json(res, 400, { error: 'invalid_request' });
    const back = new URL(redirectUri);
    if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
      back.searchParams.set('error', 'invalid_request');
    } else {
      const code = b64url(randomBytes(16));
      codes.set(code, { kind, redirectUri, challenge: q.get('code_challenge')!, nonce: q.get('nonce'), user: standIn.nextUser, used: false });
      back.searchParams.set('code', code);
    }
    if (q.get('state')) back.searchParams.set('state', q.get('state')!);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  /** The code exchange both providers share; an error string when refused. */
  function redeem(kind: 'google' | 'github', form: Record<string, string>): IssuedCode | string {
    if (form.client_id !== clientId || form.client_secret !== clientSecret) return 'invalid_client';
    if (form.grant_type !== 'authorization_code') return 'unsupported_grant_type';
    const issued = codes.get(form.code ?? '');
    if (!issued || issued.kind !== kind || issued.used || issued.redirectUri !== form.redirect_uri) return 'invalid_grant';
    issued.used = true;
    const challenge = b64url(createHash('sha256').update(form.code_verifier ?? '').digest());
    if (challenge !== issued.challenge) return 'invalid_grant';
    return issued;
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', standIn.url);
      const bearer = req.headers.authorization?.replace(/^Bearer /i, '') ?? '';
      if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
        return json(res, 200, {
          issuer: standIn.url,
          authorization_endpoint: `${standIn.url}/authorize`,
          token_endpoint: `${standIn.url}/token`,
          jwks_uri: `${standIn.url}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        });
      }
      if (req.method === 'GET' && url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
      if (req.method === 'GET' && url.pathname === '/authorize') return authorize('google', url, res);
      if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') return authorize('github', url, res);
      if (req.method === 'POST' && url.pathname === '/token') {
        const form = await readForm(req);
        standIn.tokenRequests.push(form);
        const issued = redeem('google', form);
        if (typeof issued === 'string') return json(res, issued === 'invalid_client' ? 401 : 400, { error: issued });
        const now = Math.floor(Date.now() / 1000);
        const idToken = await new SignJWT({
          nonce: standIn.forceNonce ?? issued.nonce ?? undefined,
          email: issued.user.email ?? undefined,
          email_verified: issued.user.emailVerified,
          name: issued.user.name,
        })
          .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
          .setIssuer(standIn.url)
          .setSubject(issued.user.sub)
          .setAudience(clientId)
          .setIssuedAt(now)
          .setExpirationTime(now + 300)
          .sign(privateKey);
        standIn.forceNonce = undefined;
        const accessToken = b64url(randomBytes(16));
        tokens.set(accessToken, issued.user);
        return json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, scope: 'openid email profile', id_token: idToken });
      }
      if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
        const form = await readForm(req);
        standIn.tokenRequests.push(form);
        const issued = redeem('github', form);
        // GitHub answers a refused code with 200 and an error body.
        if (typeof issued === 'string') return json(res, 200, { error: issued === 'invalid_grant' ? 'bad_verification_code' : issued });
        const accessToken = `gho_${b64url(randomBytes(16))}`;
        tokens.set(accessToken, issued.user);
        return json(res, 200, { access_token: accessToken, token_type: 'bearer', scope: 'read:user,user:email' });
      }
      const user = tokens.get(bearer);
      if (req.method === 'GET' && url.pathname === '/api/user') {
        if (!user) return json(res, 401, { message: 'Bad credentials' });
        return json(res, 200, { id: Number(user.sub), login: `u${user.sub}`, name: user.name ?? null, email: null });
      }
      if (req.method === 'GET' && url.pathname === '/api/user/emails') {
        if (!user) return json(res, 401, { message: 'Bad credentials' });
        return json(res, 200, user.email ? [{ email: user.email, primary: true, verified: user.emailVerified, visibility: 'private' }] : []);
      }
      json(res, 404, { error: 'not_found' });
    })().catch((err: unknown) => json(res, 500, { error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}
