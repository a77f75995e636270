/** Token formats and the access-token signer. Everything here is real; nothing touches a database. */
import { describe, expect, it } from 'vitest';
import { createTokenService, newApiKey, newRefreshToken, parseApiKey, parseRefreshToken } from './tokens.ts';

const secret = 'unit-test-secret-'.padEnd(48, 'x');
const now = new Date('2026-06-01T12:00:00Z');
const claims = { userId: '11111111-1111-4111-8111-111111111111', sessionId: '22222222-2222-4222-8222-222222222222', role: 'user' };

describe('access tokens', () => {
  const tokens = createTokenService({ secret, accessTtlSec: 900 });

  it('round-trips its claims until it expires', async () => {
    const token = await tokens.signAccess(claims, now);
    const verified = { ...claims, expiresAtMs: now.getTime() + 900_000 };
    expect(await tokens.verifyAccess(token, now)).toEqual(verified);
    expect(await tokens.verifyAccess(token, new Date(now.getTime() + 899_000))).toEqual(verified);
    expect(await tokens.verifyAccess(token, new Date(now.getTime() + 901_000))).toBeNull();
  });

  it('rejects a token signed with another secret, a tampered one, and an unsigned one', async () => {
    const other = createTokenService({ secret: 'another-secret-'.padEnd(48, 'y'), accessTtlSec: 900 });
    const token = await tokens.signAccess(claims, now);
    expect(await other.verifyAccess(token, now)).toBeNull();
    const [h, p, s] = token.split('.');
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect(await tokens.verifyAccess(`${h}.${tampered}.${s}`, now)).toBeNull();
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(await tokens.verifyAccess(`${none}.${p}.`, now)).toBeNull();
    expect(await tokens.verifyAccess('garbage', now)).toBeNull();
  });
});

describe('refresh tokens', () => {
  it('carry their session and counter, and hash to what the session stores', () => {
    const { token, hash } = newRefreshToken(claims.sessionId, 3);
    expect(parseRefreshToken(token)).toEqual({ sessionId: claims.sessionId, counter: 3, hash });
  });

  it.each(['', 'a.b.c', `${claims.sessionId}.x.abc`, `${claims.sessionId}.1`, `${claims.sessionId}.1.abc.extra`, 'not-a-uuid.1.abc'])(
    'reject the malformed %j',
    (token) => expect(parseRefreshToken(token)).toBeNull(),
  );
});

describe('API keys', () => {
  it('are atl_<10 letters or digits>_<secret> and parse back to their prefix and hash', () => {
    for (let i = 0; i < 50; i++) {
      const { key, prefix, hash } = newApiKey();
      expect(key).toMatch(/^atl_[A-Za-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
      expect(parseApiKey(key)).toEqual({ prefix, hash });
    }
  });

  it('reject anything else', () => {
    expect(parseApiKey('atl_short_abc')).toBeNull();
    expect(parseApiKey('sk_live_whatever')).toBeNull();
  });
});

describe('refresh token chain (decision 052)', () => {
  const tokens = createTokenService({ secret, accessTtlSec: 900 });
  const first = newRefreshToken(claims.sessionId, 0).token;

  it('gives the same next token for the same previous one, parseable, at the next counter', () => {
    const a = tokens.chainRefresh(first, claims.sessionId, 1);
    expect(tokens.chainRefresh(first, claims.sessionId, 1)).toEqual(a);
    expect(parseRefreshToken(a.token)).toEqual({ sessionId: claims.sessionId, counter: 1, hash: a.hash });
    expect(a.token).not.toContain(first.split('.')[2]!);
  });

  it('depends on the previous token and on the server secret', () => {
    const a = tokens.chainRefresh(first, claims.sessionId, 1);
    expect(tokens.chainRefresh(newRefreshToken(claims.sessionId, 0).token, claims.sessionId, 1).hash).not.toBe(a.hash);
    const other = createTokenService({ secret: 'another-secret-'.padEnd(48, 'y'), accessTtlSec: 900 });
    expect(other.chainRefresh(first, claims.sessionId, 1).hash).not.toBe(a.hash);
  });
});
