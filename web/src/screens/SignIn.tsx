import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useSearchParams } from 'react-router';
import { api, describeIdentifierError } from '../api.ts';
import type { SignInState } from '../paths.ts';
import { keys, queryClient, useConfig } from '../queries.ts';
import { useSessionMoves } from '../session.ts';
import { Alert, AuthLayout, FormErrorAlert, IdentifierField, Link, PasswordField, useDocumentTitle, useSignUpChannels, type FormError } from '../ui.tsx';
import { CodeSignIn, PasswordReset } from './SignInCode.tsx';

/** The ways in this screen offers: the password, a one-time code, or resetting a forgotten password. */
type Mode = 'password' | 'code' | 'reset';

const FIELDS = ['email', 'phone', 'password'] as const;

export function SignIn() {
  const { t } = useTranslation();
  const { product_name: product, sign_up: signUpOptions } = useConfig();
  // A failed OAuth callback lands here with a code (the server never shows an error page for it).
  const oauthError = useSearchParams()[0].get('oauth_error');
  useDocumentTitle(t('signin.title'));
  const notice = (useLocation().state as SignInState | null)?.notice;
  const moves = useSessionMoves();
  const channels = useSignUpChannels();
  const [channel, setChannel] = useState<'email' | 'phone'>(channels[0]!);
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const [mode, setMode] = useState<Mode>('password');
  const [resetDone, setResetDone] = useState(false);

  // Someone signed in already has nothing to do here.
  if (queryClient.getQueryData(keys.me)) return <Navigate to="/dashboard" replace />;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    // An empty identifier is left out, so the server answers "required" rather than "invalid".
    const value = (channel === 'email' ? email : phone).trim();
    try {
      const res = await api.login(value ? { [channel]: value, password } : { password });
      moves.signedIn(res.user);
    } catch (err) {
      setError(describeIdentifierError(err, FIELDS, channel, t('common.genericError')));
      setBusy(false);
    }
  }

  const fe = error?.fields ?? {};
  return (
    <AuthLayout
      title={t('signin.heading')}
      subtitle={t('signin.subtitle', { product })}
      footer={
        <>
          {t('signin.newHere', { product })} <Link to="/signup">{t('signin.createAccount')}</Link>
        </>
      }
    >
      {mode === 'code' && <CodeSignIn onSignedIn={(user) => moves.signedIn(user)} />}
      {mode === 'reset' && (
        <PasswordReset
          onDone={() => {
            setResetDone(true);
            setMode('password');
          }}
        />
      )}
      {mode === 'password' && (
      <form className="form" onSubmit={submit} noValidate aria-label={t('signin.title')} data-testid="signin-form">
        {resetDone && !error && (
          <Alert kind="success" testId="reset-done">
            {t('auth.resetDone')}
          </Alert>
        )}
        {notice && !error && !resetDone && !oauthError && (
          <Alert kind="info" testId="notice">
            {t(`session.${notice}`, { product })}
          </Alert>
        )}
        <FormErrorAlert error={error} />
        <IdentifierField
          idPrefix="signin"
          purpose="signin"
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
          id="signin-password"
          label={t('common.password')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fe.password}
        />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? t('signin.busy') : t('signin.submit')}
        </button>
      </form>
      )}
      {signUpOptions.oauth.length > 0 && <OAuthButtons providers={signUpOptions.oauth} error={oauthError} />}
      <nav className="signin-modes" aria-label={t('auth.otherWays')}>
        {(['password', 'code', 'reset'] as const)
          .filter((m) => m !== mode)
          .map((m) => (
            <button key={m} type="button" className="button button-link" onClick={() => setMode(m)} data-testid={`signin-mode-${m}`}>
              {t(`auth.mode.${m}`)}
            </button>
          ))}
      </nav>
    </AuthLayout>
  );
}

/** The callback's `oauth_error` codes (decision 092) → their message keys; anything else is "failed". */
const OAUTH_ERRORS = {
  oauth_state: 'state',
  oauth_denied: 'denied',
  oauth_failed: 'failed',
  oauth_no_email: 'noEmail',
  oauth_email_unverified: 'emailUnverified',
  oauth_account_unverified: 'accountUnverified',
  oauth_signup_closed: 'signupClosed',
  account_disabled: 'accountDisabled',
} as const;
const oauthErrorOf = (code: string) => (Object.hasOwn(OAUTH_ERRORS, code) ? OAUTH_ERRORS[code as keyof typeof OAUTH_ERRORS] : 'failed');

/**
 * "Continue with Google / GitHub": plain links, since the sign-in is a round of full-page redirects
 * through the provider that ends back in the app with the session cookies set.
 */
function OAuthButtons({ providers, error }: { providers: string[]; error: string | null }) {
  const { t } = useTranslation();
  const back = encodeURIComponent(`${window.location.origin}/dashboard`);
  return (
    <div className="form" data-testid="oauth-buttons">
      {error && (
        <Alert kind="error" testId="oauth-error">
          {t(`oauth.errors.${oauthErrorOf(error)}`)}
        </Alert>
      )}
      <p className="muted">{t('oauth.or')}</p>
      {providers.map((p) => (
        <a key={p} className="button button-secondary button-block" href={`/api/v1/auth/oauth/${p}/start?return_url=${back}`} data-testid={`oauth-${p}`}>
          {t('oauth.continueWith', { provider: p === 'google' ? 'Google' : p === 'github' ? 'GitHub' : p })}
        </a>
      ))}
    </div>
  );
}
