import { useState, type FormEvent } from 'react';
import { api, describeError, type User } from '../api.ts';
import { Alert, Field, Link, useDocumentTitle } from '../ui.tsx';

const ROLE_LABELS: Record<User['role'], string> = { user: 'User', vendor: 'Vendor', admin: 'Admin' };

export const displayName = (u: User): string => u.full_name?.trim() || u.email || u.phone || 'there';

interface DashboardProps {
  user: User;
  /** Reads the account again (after a verification, say). */
  reload: () => Promise<void>;
}

export function Dashboard({ user, reload }: DashboardProps) {
  useDocumentTitle('Dashboard');
  const { available, held } = user.credits;
  return (
    <>
        <section className="hero">
          <div>
            <p className="eyebrow">Dashboard</p>
            <h1 data-testid="greeting">Hello, {displayName(user)}</h1>
            <p className="muted">
              <span className={`badge badge-role-${user.role}`} data-testid="role">
                {ROLE_LABELS[user.role] ?? user.role}
              </span>{' '}
              account{user.plan ? ` · ${user.plan.display_name} plan` : ''}
            </p>
          </div>
        </section>

        <div className="grid">
          <section className="card credits-card" aria-labelledby="credits-title">
            <h2 id="credits-title">Credit balance</h2>
            <p className="credits-amount">
              <span className="credits-number" data-testid="credit-balance">
                {String(available)}
              </span>
              <span className="credits-unit">{available === 1 ? 'credit available' : 'credits available'}</span>
            </p>
            {held > 0 && (
              <p className="credits-held" data-testid="credit-held">
                <strong>{held}</strong> {held === 1 ? 'credit' : 'credits'} on hold for jobs in progress
              </p>
            )}
            <p className="muted small">Each image generation spends credits from this balance.</p>
            <Link to="/billing" className="button button-secondary" data-testid="buy-credits">
              Buy credits
            </Link>
          </section>

          <section className="card" aria-labelledby="verify-title" data-testid="verification">
            <h2 id="verify-title">Verification</h2>
            {!user.email && !user.phone && <p className="muted">No email or phone on this account.</p>}
            {(user.email || user.phone) && !user.email_verified && !user.phone_verified && (
              <p className="muted small" data-testid="verify-hint">
                Verify your email or phone to receive your welcome credits and to create API keys.
              </p>
            )}
            {user.email && (
              <VerifyChannel channel="email" destination={user.email} verified={user.email_verified} onVerified={reload} />
            )}
            {user.phone && (
              <VerifyChannel channel="phone" destination={user.phone} verified={user.phone_verified} onVerified={reload} />
            )}
          </section>

          {user.vendor_profile && (
            <section className="card" aria-labelledby="vendor-title" data-testid="vendor-profile">
              <h2 id="vendor-title">Vendor profile</h2>
              <dl className="details">
                <div>
                  <dt>Business</dt>
                  <dd data-testid="vendor-business-name">{user.vendor_profile.business_name}</dd>
                </div>
                <div>
                  <dt>Public handle</dt>
                  <dd>
                    <code>{user.vendor_profile.slug}</code>
                  </dd>
                </div>
                {user.vendor_profile.is_verified !== undefined && (
                  <div>
                    <dt>Status</dt>
                    <dd>{user.vendor_profile.is_verified ? 'Verified vendor' : 'Awaiting review'}</dd>
                  </div>
                )}
              </dl>
            </section>
          )}

          <section className="card" aria-labelledby="account-title">
            <h2 id="account-title">Account</h2>
            <dl className="details">
              {user.full_name && (
                <div>
                  <dt>Name</dt>
                  <dd>{user.full_name}</dd>
                </div>
              )}
              {user.email && (
                <div>
                  <dt>Email</dt>
                  <dd>{user.email}</dd>
                </div>
              )}
              {user.phone && (
                <div>
                  <dt>Phone</dt>
                  <dd>{user.phone}</dd>
                </div>
              )}
              <div>
                <dt>Plan</dt>
                <dd>{user.plan?.display_name ?? 'Pay as you go'}</dd>
              </div>
              <div>
                <dt>Member since</dt>
                <dd>{formatDate(user.created_at)}</dd>
              </div>
            </dl>
          </section>
        </div>
    </>
  );
}

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
}

interface VerifyChannelProps {
  channel: 'email' | 'phone';
  destination: string;
  verified: boolean;
  onVerified: () => Promise<void>;
}

/** The verification state of one channel; when unverified, "Send code" then enter the code. */
function VerifyChannel({ channel, destination, verified, onVerified }: VerifyChannelProps) {
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<'send' | 'verify' | null>(null);
  const [error, setError] = useState<{ message: string } | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const label = channel === 'email' ? 'Email' : 'Phone';
  const purpose = channel === 'email' ? 'email_verify' : 'phone_verify';
  const id = channel === 'email' ? { email: destination } : { phone: destination };

  async function send() {
    setBusy('send');
    setError(null);
    try {
      await api.requestOtp({ ...id, purpose });
      setSent(true);
      setCode('');
      setInfo(`We sent a 6-digit code to ${destination}.`);
    } catch (err) {
      setError({ message: describeError(err, []).message });
    } finally {
      setBusy(null);
    }
  }

  async function verify(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy('verify');
    setError(null);
    try {
      await api.verifyOtp({ ...id, purpose, code: code.trim() });
      setInfo(null);
      setSent(false);
      await onVerified();
    } catch (err) {
      const d = describeError(err, ['code']);
      setError({ message: d.fields.code ?? d.message });
    } finally {
      setBusy(null);
    }
  }

  const inputId = `${channel}-code`;
  return (
    <div className="verify-row" data-testid={`${channel}-verification`}>
      <div className="verify-head">
        <div>
          <div className="verify-label">{label}</div>
          <div className="verify-destination">{destination}</div>
        </div>
        <span className={`badge ${verified ? 'badge-success' : 'badge-warning'}`} data-testid={`${channel}-status`}>
          {verified ? 'Verified' : 'Not verified'}
        </span>
      </div>
      {!verified && (
        <div className="verify-body">
          {info && <Alert kind="info">{info}</Alert>}
          {error && <Alert testId={`${channel}-verify-error`}>{error.message}</Alert>}
          {!sent ? (
            <button type="button" className="button button-secondary" onClick={() => void send()} disabled={busy !== null}>
              {busy === 'send' ? 'Sending…' : 'Send code'}
            </button>
          ) : (
            <form className="verify-form" onSubmit={verify} noValidate aria-label={`Verify ${channel}`}>
              <Field
                id={inputId}
                label="Verification code"
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]*"
                maxLength={6}
                required
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              />
              <div className="verify-actions">
                <button type="submit" className="button button-primary" disabled={busy !== null || code.length === 0}>
                  {busy === 'verify' ? 'Verifying…' : 'Verify'}
                </button>
                <button type="button" className="button button-link" onClick={() => void send()} disabled={busy !== null}>
                  Send a new code
                </button>
              </div>
            </form>
          )}
        </div>
      )}
    </div>
  );
}
