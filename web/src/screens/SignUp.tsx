/**
 * Sign-up with the identifiers the installation takes (GET /config's `sign_up`): a phone-only
 * product (style-studio) shows only the phone field, an email-only one only the email field.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { api, describeIdentifierError, type RegisterInput, type User } from '../api.ts';
import { keys, queryClient } from '../queries.ts';
import { useSessionMoves } from '../session.ts';
import { PhoneCode } from '../products/style-studio/PhoneCode.tsx';
import { AuthLayout, Field, FormErrorAlert, IdentifierField, Link, PasswordField, useDocumentTitle, useSignUpChannels, type FormError } from '../ui.tsx';

const FIELDS = ['email', 'phone', 'password', 'full_name', 'business_name'] as const;

export function SignUp() {
  const { t } = useTranslation();
  useDocumentTitle(t('signup.title'));
  const moves = useSessionMoves();
  const channels = useSignUpChannels();
  const [channel, setChannel] = useState<'email' | 'phone'>(channels[0]!);
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [fullName, setFullName] = useState('');
  const [isVendor, setIsVendor] = useState(false);
  const [businessName, setBusinessName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  // A phone sign-up confirms the number with the code sent by SMS before going on.
  const [confirming, setConfirming] = useState<{ user: User; phone: string } | null>(null);

  if (confirming) {
    return (
      <AuthLayout title={t('signup.title')} subtitle={t('signup.subtitle')} footer={null}>
        <PhoneCode phone={confirming.phone} onDone={() => moves.signedIn(confirming.user)} />
      </AuthLayout>
    );
  }
  if (queryClient.getQueryData(keys.me)) return <Navigate to="/dashboard" replace />;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const body: RegisterInput = { password, account_type: isVendor ? 'vendor' : 'user' };
    // Empty fields are left out, so the server answers "required" rather than "invalid".
    if (channel === 'email' && email.trim()) body.email = email.trim();
    if (channel === 'phone' && phone.trim()) body.phone = phone.trim();
    if (fullName.trim()) body.full_name = fullName.trim();
    if (isVendor && businessName.trim()) body.business_name = businessName.trim();
    try {
      const res = await api.register(body);
      if (body.phone) setConfirming({ user: res.user, phone: body.phone });
      else moves.signedIn(res.user);
    } catch (err) {
      setError(describeIdentifierError(err, FIELDS, channel, t('common.genericError')));
      setBusy(false);
    }
  }

  const fe = error?.fields ?? {};
  return (
    <AuthLayout
      title={t('signup.title')}
      subtitle={t('signup.subtitle')}
      footer={
        <>
          {t('signup.haveAccount')} <Link to="/signin">{t('signup.signIn')}</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate aria-label={t('signup.formLabel')} data-testid="signup-form">
        <FormErrorAlert error={error} />
        <IdentifierField
          idPrefix="signup"
          purpose="signup"
          channels={channels}
          channel={channel}
          onChannel={setChannel}
          email={email}
          phone={phone}
          onEmail={setEmail}
          onPhone={setPhone}
          errors={fe}
        />
        <PasswordField
          id="signup-password"
          label={t('common.password')}
          autoComplete="new-password"
          required
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fe.password}
          hint={t('signup.passwordHint')}
        />
        <Field
          id="signup-full-name"
          label={t('signup.fullName')}
          type="text"
          autoComplete="name"
          value={fullName}
          onChange={(e) => setFullName(e.target.value)}
          error={fe.full_name}
        />
        <div className="checkbox">
          <input id="signup-vendor" type="checkbox" checked={isVendor} onChange={(e) => setIsVendor(e.target.checked)} />
          <label htmlFor="signup-vendor">{t('signup.vendor')}</label>
        </div>
        {isVendor && (
          <Field
            id="signup-business-name"
            label={t('signup.businessName')}
            type="text"
            autoComplete="organization"
            required
            value={businessName}
            onChange={(e) => setBusinessName(e.target.value)}
            error={fe.business_name}
            hint={t('signup.businessHint')}
          />
        )}
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? t('signup.busy') : t('signup.submit')}
        </button>
      </form>
    </AuthLayout>
  );
}
