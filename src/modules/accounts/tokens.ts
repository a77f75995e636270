/**
 * The shapes of the secrets accounts hand out, and how they are checked.
 *
 * - Access token: a short-lived HS256 JWT (`sub` user, `sid` session, `role`), signed with a key
 *   derived from the server secret.
 * - Refresh token: `<session id>.<rotation counter>.<random>`; the session row keeps only a sha256
 *   of the current one. A token whose counter is behind the session's was already rotated away:
 *   presenting it again is reuse, and the whole session is revoked — except the one just replaced,
 *   for a short grace (decision 052). A rotated token is derived from the one it replaces with a
 *   key from the server secret, so the server can tell the real previous token from a guess and
 *   hand its holder the current token again, without storing any token.
 * - API key: `atl_<prefix>_<random>`; the row keeps the prefix (to find it) and a sha256.
 */
import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { API_KEY_PREFIX } from '../../platform/http/auth.ts';
import { randomToken, sha256Hex } from '../../platform/crypto.ts';

const ISSUER = 'atelier';
const AUDIENCE = 'atelier-api';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  role: string;
}

/** A verified token's claims, and when it stops being accepted. */
export interface VerifiedAccess extends AccessClaims {
  expiresAtMs: number;
}

export function createTokenService(opts: { secret: string; accessTtlSec: number }) {
  // Domain separation: the access-token key is not the raw secret that also keys OTP hashes.
  const accessKey = createHmac('sha256', opts.secret).update('atelier:access-token:v1').digest();
  const refreshChainKey = createHmac('sha256', opts.secret).update('atelier:refresh-chain:v1').digest();

  return {
    accessTtlSec: opts.accessTtlSec,

    /** The refresh token that replaces `previous` at `counter`: the same answer every time it is asked. */
    chainRefresh(previous: string, sessionId: string, counter: number): { token: string; hash: string } {
      const token = `${sessionId}.${counter}.${createHmac('sha256', refreshChainKey).update(previous).digest('base64url')}`;
      return { token, hash: sha256Hex(token) };
    },

    async signAccess(claims: AccessClaims, now: Date): Promise<string> {
      const iat = Math.floor(now.getTime() / 1000);
      return new SignJWT({ sid: claims.sessionId, role: claims.role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + opts.accessTtlSec)
        .sign(accessKey);
    },

    /** The claims of a valid token, or null for anything expired, forged or malformed. */
    async verifyAccess(token: string, now: Date): Promise<VerifiedAccess | null> {
      try {
        const { payload } = await jwtVerify(token, accessKey, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: now,
        });
        if (typeof payload.sub !== 'string' || typeof payload['sid'] !== 'string' || typeof payload.exp !== 'number') return null;
        return { userId: payload.sub, sessionId: payload['sid'], role: String(payload['role']), expiresAtMs: payload.exp * 1000 };
      } catch (err) {
        if (err instanceof joseErrors.JOSEError) return null;
        throw err;
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function newRefreshToken(sessionId: string, counter: number): { token: string; hash: string } {
  const token = `${sessionId}.${counter}.${randomToken(32)}`;
  return { token, hash: sha256Hex(token) };
}

export function parseRefreshToken(token: string): { sessionId: string; counter: number; hash: string } | null {
  const [sessionId, counter, random, ...rest] = token.split('.');
  if (rest.length > 0 || !sessionId || !UUID.test(sessionId) || !counter || !/^\d{1,9}$/.test(counter) || !random) return null;
  return { sessionId, counter: Number(counter), hash: sha256Hex(token) };
}

export function newApiKey(): { key: string; prefix: string; hash: string } {
  // base64url may contain '_', our separator; the prefix is kept to letters and digits.
  const prefix = randomToken(12).replace(/[^A-Za-z0-9]/g, '').slice(0, 10).padEnd(10, '0');
  const key = `${API_KEY_PREFIX}${prefix}_${randomToken(32)}`;
  return { key, prefix, hash: sha256Hex(key) };
}

export function parseApiKey(key: string): { prefix: string; hash: string } | null {
  const match = /^atl_([A-Za-z0-9]{10})_[A-Za-z0-9_-]{20,}$/.exec(key);
  return match ? { prefix: match[1]!, hash: sha256Hex(key) } : null;
}
