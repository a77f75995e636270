import { useState, type FormEvent } from 'react';
import { api, describeIdentifierError, type User } from '../api.ts';
import { Alert, AuthLayout, FormErrorAlert, IdentifierField, Link, PasswordField, useDocumentTitle, type FormError } from '../ui.tsx';

const FIELDS = ['email', 'phone', 'password'] as const;

export function SignIn({ onSignedIn, notice }: { onSignedIn: (user: User) => void; notice: string | null }) {
  useDocumentTitle('Sign in');
  const [channel, setChannel] = useState<'email' | 'phone'>('email');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    // An empty identifier is left out, so the server answers "required" rather than "invalid".
    const value = (channel === 'email' ? email : phone).trim();
    try {
      const res = await api.login(value ? { [channel]: value, password } : { password });
      onSignedIn(res.user);
    } catch (err) {
      setError(describeIdentifierError(err, FIELDS, channel));
      setBusy(false);
    }
  }

  const fe = error?.fields ?? {};
  return (
    <AuthLayout
      title="Welcome back"
      subtitle="Sign in to your Atelier account."
      footer={
        <>
          New to Atelier? <Link to="/signup">Create an account</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate aria-label="Sign in" data-testid="signin-form">
        {notice && !error && (
          <Alert kind="info" testId="notice">
            {notice}
          </Alert>
        )}
        <FormErrorAlert error={error} />
        <IdentifierField
          idPrefix="signin"
          purpose="signin"
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
          label="Password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fe.password}
        />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
