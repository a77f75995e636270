import { useState, type FormEvent } from 'react';
import { api, describeIdentifierError, type RegisterInput, type User } from '../api.ts';
import { AuthLayout, Field, FormErrorAlert, IdentifierField, Link, PasswordField, useDocumentTitle, type FormError } from '../ui.tsx';

const FIELDS = ['email', 'phone', 'password', 'full_name', 'business_name'] as const;

export function SignUp({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  useDocumentTitle('Create your account');
  const [channel, setChannel] = useState<'email' | 'phone'>('email');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [fullName, setFullName] = useState('');
  const [isVendor, setIsVendor] = useState(false);
  const [businessName, setBusinessName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);

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
      onSignedIn(res.user);
    } catch (err) {
      setError(describeIdentifierError(err, FIELDS, channel));
      setBusy(false);
    }
  }

  const fe = error?.fields ?? {};
  return (
    <AuthLayout
      title="Create your account"
      subtitle="Start with free credits. No card required."
      footer={
        <>
          Already have an account? <Link to="/signin">Sign in</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate aria-label="Sign up" data-testid="signup-form">
        <FormErrorAlert error={error} />
        <IdentifierField
          idPrefix="signup"
          purpose="signup"
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
          label="Password"
          autoComplete="new-password"
          required
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fe.password}
          hint="At least 8 characters."
        />
        <Field
          id="signup-full-name"
          label="Full name"
          type="text"
          autoComplete="name"
          value={fullName}
          onChange={(e) => setFullName(e.target.value)}
          error={fe.full_name}
        />
        <div className="checkbox">
          <input id="signup-vendor" type="checkbox" checked={isVendor} onChange={(e) => setIsVendor(e.target.checked)} />
          <label htmlFor="signup-vendor">I am a vendor</label>
        </div>
        {isVendor && (
          <Field
            id="signup-business-name"
            label="Business name"
            type="text"
            autoComplete="organization"
            required
            value={businessName}
            onChange={(e) => setBusinessName(e.target.value)}
            error={fe.business_name}
            hint="Shown on your public vendor page."
          />
        )}
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}
