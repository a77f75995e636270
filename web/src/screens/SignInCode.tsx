/**
 * The sign-in screen's other ways in: a one-time code sent to the email or phone (purpose `login`),
 * and a forgotten password reset with a code (request, then the code and the new password). Each is
 * two steps: the identifier, then the code the outbox or the phone received.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, type FieldError, type UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, ApiError, describeIdentifierError, type User } from '../api.ts';
import { fieldMessage } from '../forms.ts';
import { userApi } from '../userApi.ts';
import { Alert, Field, FormErrorAlert, IdentifierField, PasswordField, useSignUpChannels, type FormError } from '../ui.tsx';

type Channel = 'email' | 'phone';
type Who = { email: string } | { phone: string };

/** Step one of both flows: where to send the code. */
function IdentifierStep({ idPrefix, submitLabel, onSent, purpose }: { idPrefix: string; submitLabel: string; purpose: 'login' | 'password_reset'; onSent: (who: Who, channel: Channel) => void }) {
  const { t } = useTranslation();
  const channels = useSignUpChannels();
  const [channel, setChannel] = useState<Channel>(channels[0]!);
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const value = (channel === 'email' ? email : phone).trim();
    const who = (channel === 'email' ? { email: value } : { phone: value }) as Who;
    try {
      await api.requestOtp({ ...(value ? who : {}), purpose });
      onSent(who, channel);
    } catch (err) {
      setError(describeIdentifierError(err, ['email', 'phone'], channel, t('common.genericError')));
      setBusy(false);
    }
  }
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={submitLabel} data-testid={`${idPrefix}-request`}>
      <FormErrorAlert error={error} />
      <IdentifierField idPrefix={idPrefix} purpose="signin" channels={channels} channel={channel} onChannel={setChannel} email={email} phone={phone} onEmail={setEmail} onPhone={setPhone} errors={error?.fields ?? {}} />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? t('auth.sending') : submitLabel}
      </button>
    </form>
  );
}

const codeSchema = z.object({ code: z.string().trim().regex(/^\d{4,8}$/) });

/** Sign-in with a one-time code instead of the password. */
export function CodeSignIn({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const { t } = useTranslation();
  const [sent, setSent] = useState<{ who: Who; channel: Channel } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ resolver: zodResolver(codeSchema), defaultValues: { code: '' } });
  const verify = form.handleSubmit(async ({ code }) => {
    if (!sent) return;
    setError(null);
    try {
      const res = await api.verifyOtp({ ...sent.who, purpose: 'login', code });
      if ('user' in res) onSignedIn(res.user);
      else setError(t('common.genericError'));
    } catch (err) {
      setError(codeError(err, t));
    }
  });
  if (!sent) return <IdentifierStep idPrefix="otp" purpose="login" submitLabel={t('auth.sendCode')} onSent={(who, channel) => setSent({ who, channel })} />;
  return (
    <form className="form" onSubmit={(e) => void verify(e)} noValidate aria-label={t('auth.codeTitle')} data-testid="otp-verify">
      <CodeField idPrefix="otp" sent={sent} error={error} fieldError={form.formState.errors.code} registration={form.register('code')} />
      <button type="submit" className="button button-primary button-block" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? t('signin.busy') : t('signin.submit')}
      </button>
      <button type="button" className="button button-link" onClick={() => setSent(null)}>
        {t('auth.resend')}
      </button>
    </form>
  );
}

const resetSchema = z
  .object({ code: z.string().trim().regex(/^\d{4,8}$/), new_password: z.string().min(8).max(200), confirm: z.string() })
  .refine((v) => v.new_password === v.confirm, { path: ['confirm'] });

/** A forgotten password: a code to the email or phone, then the code and a new password. */
export function PasswordReset({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [sent, setSent] = useState<{ who: Who; channel: Channel } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ resolver: zodResolver(resetSchema), defaultValues: { code: '', new_password: '', confirm: '' } });
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async ({ code, new_password }) => {
    if (!sent) return;
    setError(null);
    try {
      await userApi.resetPassword({ ...sent.who, code, new_password });
      onDone();
    } catch (err) {
      const d = describeIdentifierError(err, ['new_password'], sent.channel, t('common.genericError'));
      if (d.fields.new_password) form.setError('new_password', { type: 'server', message: d.fields.new_password });
      else setError(codeError(err, t));
    }
  });
  if (!sent) return <IdentifierStep idPrefix="reset" purpose="password_reset" submitLabel={t('auth.sendResetCode')} onSent={(who, channel) => setSent({ who, channel })} />;
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={t('auth.resetTitle')} data-testid="reset-form">
      <CodeField idPrefix="reset" sent={sent} error={error} fieldError={errors.code} registration={form.register('code')} />
      <PasswordField id="reset-password" label={t('accountMore.newPassword')} autoComplete="new-password" hint={t('signup.passwordHint')} error={fieldMessage(errors.new_password, t('accountMore.passwordRule'))} {...form.register('new_password')} />
      <PasswordField id="reset-confirm" label={t('accountMore.confirmNew')} autoComplete="new-password" error={fieldMessage(errors.confirm, t('accountMore.mismatch'))} {...form.register('confirm')} />
      <button type="submit" className="button button-primary button-block" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? t('accountMore.saving') : t('auth.setPassword')}
      </button>
      <button type="button" className="button button-link" onClick={() => setSent(null)}>
        {t('auth.resend')}
      </button>
    </form>
  );
}

/** Where the code went, the refusal of the last try (if any), and the code's field. */
function CodeField({ idPrefix, sent, error, fieldError, registration }: { idPrefix: string; sent: { who: Who; channel: Channel }; error: string | null; fieldError: FieldError | undefined; registration: UseFormRegisterReturn }) {
  const { t } = useTranslation();
  return (
    <>
      <Alert kind="info">{t(sent.channel === 'email' ? 'auth.codeSentEmail' : 'auth.codeSentPhone', { to: 'email' in sent.who ? sent.who.email : sent.who.phone })}</Alert>
      {error && <Alert testId={`${idPrefix}-error`}>{error}</Alert>}
      <Field id={`${idPrefix}-code`} label={t('auth.code')} inputMode="numeric" autoComplete="one-time-code" dir="ltr" error={fieldMessage(fieldError, t('auth.codeRule'))} {...registration} />
    </>
  );
}

/**
 * A refused code in words: wrong, or tried too often (then a new code is needed). `t` is taken as a
 * plain function of the three keys: its full typed signature over every string of the app is too
 * deep for the compiler to check here.
 */
type CodeErrorKey = 'auth.wrongCode' | 'auth.tooMany' | 'common.genericError';
function codeError(err: unknown, t: (key: CodeErrorKey) => string): string {
  if (err instanceof ApiError && err.code === 'invalid_code') return t('auth.wrongCode');
  if (err instanceof ApiError && err.code === 'too_many_attempts') return t('auth.tooMany');
  return err instanceof ApiError ? err.message : t('common.genericError');
}
