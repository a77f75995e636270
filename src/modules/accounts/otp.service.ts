/**
 * One-time codes by email or SMS: verification of an email or phone, sign-in by code, and password
 * reset. Codes are 6 digits, stored as an HMAC under the server secret, valid 10 minutes, and burnt
 * after 5 wrong tries. Requests answer the same whether or not an account exists.
 */
import { randomUUID } from 'node:crypto';
import { hmacHex, randomDigits, safeEqual, seal, unseal } from '../../platform/crypto.ts';
import { otpDeliverJob, otpRequestJob } from './otp.jobs.ts';
import type { Tx } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import { actorTypeFor, recordAudit } from '../../platform/audit/audit.ts';
import type { TOtpRequestBody, TOtpVerifyBody, TPasswordResetBody } from './accounts.dto.ts';
import type { OtpPurpose } from './accounts.tables.ts';
import * as uq from './accounts.queries.ts';
import type { AccountsContext, RequestMeta } from './context.ts';
import * as oq from './otps.queries.ts';
import { CODE_BUDGET, budgetKey, clearAttempts, spendOrRefuse } from './failure-budget.ts';
import { hashPassword } from './passwords.ts';
import { revokeAllApiKeys } from './api-keys.queries.ts';
import { revokeAllSessions } from './sessions.queries.ts';
import type { SignUpService, SignedIn } from './sign-up.service.ts';
import { grantWelcomeCredits } from './welcome-credits.ts';

export const OTP_TTL_MS = 10 * 60_000;
export const OTP_MAX_ATTEMPTS = 5;
/** At most this many codes to one destination per TTL window; more are dropped quietly. */
const OTP_SENDS_PER_WINDOW = 5;
/**
 * And this many a day, to one destination and to one account: each SMS is paid for, and phone
 * sign-up lets anyone name the number (decision 091).
 */
export const OTP_SENDS_PER_DAY = 10;
const DAY_MS = 86_400_000;

type Identifier = { email?: string; phone?: string };
const destinationOf = (id: Identifier) => (id.email ? { destination: id.email, channel: 'email' as const } : { destination: id.phone!, channel: 'sms' as const });

function checkChannel(purpose: OtpPurpose, id: Identifier): void {
  if (purpose === 'email_verify' && !id.email) throw errors.validation([{ path: 'body.email', message: 'email_verify needs an email' }]);
  if (purpose === 'phone_verify' && !id.phone) throw errors.validation([{ path: 'body.phone', message: 'phone_verify needs a phone' }]);
}

export function createOtpService(ctx: AccountsContext, signUp: SignUpService) {
  const codeHash = (otpId: string, code: string) => hmacHex(ctx.secret, `otp:${otpId}:${code}`);

  /**
   * Only enqueues the request: the same one insert whether or not the account exists, so neither
   * the answer nor its time tells which destinations have accounts (decision 100).
   */
  async function request(body: TOtpRequestBody, meta: RequestMeta): Promise<void> {
    checkChannel(body.purpose, body);
    await ctx.queue.send(otpRequestJob, { purpose: body.purpose, email: body.email, phone: body.phone, ip: meta.ip ?? null });
  }

  /** The worker's half of a request: for a real account, the code row and its delivery job, in one transaction. */
  async function issue(job: { purpose: OtpPurpose; email?: string; phone?: string; ip: string | null }): Promise<void> {
    const { destination, channel } = destinationOf(job);
    const now = ctx.clock.now();
    const user = await uq.findUserByIdentifier(ctx.db, job);
    if (!user || !user.isActive) return;
    if (job.purpose === 'email_verify' && user.emailVerifiedAt) return;
    if (job.purpose === 'phone_verify' && user.phoneVerifiedAt) return;
    const sent = await oq.countRecentOtps(ctx.db, destination, user.id, new Date(now.getTime() - OTP_TTL_MS), new Date(now.getTime() - DAY_MS));
    if (sent.destinationWindow >= OTP_SENDS_PER_WINDOW || sent.destinationDay >= OTP_SENDS_PER_DAY || sent.accountDay >= OTP_SENDS_PER_DAY) {
      ctx.log.warn({ purpose: job.purpose, channel, ip: job.ip }, 'one-time code send limit reached; request dropped');
      return;
    }

    const code = randomDigits(6);
    const id = randomUUID();
    await ctx.db.transaction(async (tx) => {
      await oq.consumeOpenOtps(tx, destination, job.purpose, now);
      await oq.insertOtp(tx, {
        id,
        channel,
        destination,
        userId: user.id,
        codeHash: codeHash(id, code),
        purpose: job.purpose,
        expiresAt: new Date(now.getTime() + OTP_TTL_MS),
        createdAt: now,
      });
      await ctx.queue.send(otpDeliverJob, { otp_id: id, sealed_code: seal(ctx.secret, `otp:${id}`, code) }, { tx });
    });
  }

  /** Sends a code; throws on a transport failure so the queue retries the same code. */
  async function deliver(job: { otp_id: string; sealed_code: string }): Promise<void> {
    const otp = await oq.findOtpById(ctx.db, job.otp_id);
    if (!otp || otp.consumedAt || otp.expiresAt <= ctx.clock.now()) return;
    const code = unseal(ctx.secret, `otp:${otp.id}`, job.sealed_code);
    if (otp.channel === 'email') {
      const user = otp.userId ? await uq.findUserById(ctx.db, otp.userId) : undefined;
      const variables = { code, minutes: OTP_TTL_MS / 60_000 };
      const template = otp.purpose === 'email_verify' ? 'email_verify' : otp.purpose === 'password_reset' ? 'password_reset' : 'one_time_code';
      await ctx.mailer.send({ to: otp.destination, template, variables, locale: user?.locale, code });
    } else {
      await ctx.sms.send({ to: otp.destination, text: `Your Atelier code is ${code}. It expires in 10 minutes. If you did not ask for it, ignore this message.`, code });
    }
  }

  /**
   * Checks a code and, if right, runs `onSuccess` in the same transaction. Wrong tries are counted
   * and committed even though the request fails, so the outcome is returned and thrown outside.
   */
  async function attempt<T>(id: Identifier, purpose: OtpPurpose, code: string, onSuccess: (tx: Tx, otp: oq.OtpRow) => Promise<T>): Promise<T> {
    const { destination } = destinationOf(id);
    const now = ctx.clock.now();
    const budget = budgetKey(ctx.secret, 'code', destination);
    const outcome = await ctx.db.transaction(async (tx) => {
      const otp = await oq.findLatestOpenOtp(tx, destination, purpose);
      if (!otp || otp.expiresAt <= now) return { error: 'invalid' as const };
      if (otp.attemptCount >= OTP_MAX_ATTEMPTS) return { error: 'burned' as const };
      // The destination's budget spans its codes: a new code does not buy five new guesses. A
      // refusal throws here: nothing has been written yet.
      await spendOrRefuse(tx, budget, now, CODE_BUDGET);
      if (!safeEqual(codeHash(otp.id, code), otp.codeHash)) {
        const attempts = await oq.incrementOtpAttempts(tx, otp.id);
        return { error: attempts >= OTP_MAX_ATTEMPTS ? ('burned' as const) : ('invalid' as const) };
      }
      await clearAttempts(tx, budget);
      return { value: await onSuccess(tx, otp) };
    });
    if ('error' in outcome) throw outcome.error === 'burned' ? errors.tooManyAttempts() : errors.invalidCode();
    return outcome.value;
  }

  /** Marks the code's channel verified; the first verification of an account brings the welcome credits. */
  async function markVerified(tx: Tx, otp: oq.OtpRow, now: Date) {
    const before = await uq.findUserById(tx, otp.userId!);
    const patch = otp.channel === 'email' ? { emailVerifiedAt: now, updatedAt: now } : { phoneVerifiedAt: now, updatedAt: now };
    const user = await uq.updateUser(tx, otp.userId!, patch);
    if (user && before && !before.emailVerifiedAt && !before.phoneVerifiedAt) await grantWelcomeCredits(ctx, tx, user.id);
    return user;
  }

  async function verify(body: TOtpVerifyBody, meta: RequestMeta): Promise<{ verified: true; purpose: OtpPurpose } | SignedIn> {
    checkChannel(body.purpose, body);
    return attempt(body, body.purpose, body.code, async (tx, otp) => {
      const now = ctx.clock.now();
      // password_reset codes are only checked here; POST /auth/password/reset spends them.
      if (body.purpose === 'password_reset') return { verified: true as const, purpose: body.purpose };
      await oq.consumeOtp(tx, otp.id, now);
      const user = await markVerified(tx, otp, now);
      if (!user || !user.isActive) throw errors.invalidCode();
      if (body.purpose === 'login') return signUp.signIn(user, meta, 'otp', tx);
      return { verified: true as const, purpose: body.purpose };
    });
  }

  async function resetPassword(body: TPasswordResetBody, meta: RequestMeta): Promise<void> {
    const passwordHash = await hashPassword(body.new_password);
    const userId = await attempt(body, 'password_reset', body.code, async (tx, otp) => {
      const now = ctx.clock.now();
      await oq.consumeOtp(tx, otp.id, now);
      const user = await markVerified(tx, otp, now);
      await uq.updateUser(tx, otp.userId!, { passwordHash, updatedAt: now });
      const revoked = await revokeAllSessions(tx, otp.userId!, 'password_reset', now);
      // Keys too: a key minted by whoever held the account before the reset must not outlive it.
      const keysRevoked = await revokeAllApiKeys(tx, otp.userId!, now);
      await recordAudit(tx, {
        actorType: user ? actorTypeFor(user.role) : 'user',
        actorId: otp.userId,
        action: 'auth.password_reset',
        targetType: 'user',
        targetId: otp.userId!,
        details: { via: otp.channel, sessions_revoked: revoked, api_keys_revoked: keysRevoked },
        ip: meta.ip,
        userAgent: meta.userAgent,
        at: now,
      });
      return otp.userId!;
    });
    ctx.principals.forgetUser(userId);
  }

  return { request, issue, deliver, verify, resetPassword };
}
