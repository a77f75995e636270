import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError, type User } from '../api.ts';
import { useSignedIn } from '../session.ts';
import { Alert, Field, Link, useDocumentTitle, useFormat } from '../ui.tsx';

export function Dashboard() {
  const { t } = useTranslation();
  const { user, reload } = useSignedIn();
  const format = useFormat();
  useDocumentTitle(t('dashboard.title'));
  const { available, held } = user.credits;
  const name = user.full_name?.trim() || user.email || user.phone || t('dashboard.there');
  return (
    <>
      <section className="hero">
        <div>
          <p className="eyebrow">{t('dashboard.title')}</p>
          {/* The name is isolated (FSI…PDI): a Latin name or address keeps its order inside Persian text. */}
          <h1 data-testid="greeting">{t('dashboard.hello', { name: `\u2068${name}\u2069` })}</h1>
          <p className="muted">
            <span className={`badge badge-role-${user.role}`} data-testid="role">
              {t(`dashboard.roles.${user.role}`)}
            </span>{' '}
            {t('dashboard.account')}
            {user.plan ? ` · ${t('dashboard.plan', { plan: user.plan.display_name })}` : ''}
          </p>
        </div>
      </section>

      <div className="grid">
        <section className="card credits-card" aria-labelledby="credits-title">
          <h2 id="credits-title">{t('dashboard.creditBalance')}</h2>
          <p className="credits-amount">
            <span className="credits-number" data-testid="credit-balance">
              {format.number(available)}
            </span>
            <span className="credits-unit">{t('dashboard.available', { count: available })}</span>
          </p>
          {held > 0 && (
            <p className="credits-held" data-testid="credit-held">
              <strong>{format.number(held)}</strong> {t('dashboard.held', { count: held })}
            </p>
          )}
          <p className="muted small">{t('dashboard.spendHint')}</p>
          <Link to="/billing" className="button button-secondary" data-testid="buy-credits">
            {t('dashboard.buyCredits')}
          </Link>
        </section>

        <section className="card" aria-labelledby="verify-title" data-testid="verification">
          <h2 id="verify-title">{t('dashboard.verification')}</h2>
          {!user.email && !user.phone && <p className="muted">{t('dashboard.noContact')}</p>}
          {(user.email || user.phone) && !user.email_verified && !user.phone_verified && (
            <p className="muted small" data-testid="verify-hint">
              {t('dashboard.verifyHint')}
            </p>
          )}
          {user.email && <VerifyChannel channel="email" destination={user.email} verified={user.email_verified} onVerified={reload} />}
          {user.phone && <VerifyChannel channel="phone" destination={user.phone} verified={user.phone_verified} onVerified={reload} />}
        </section>

        {user.vendor_profile && <VendorCard profile={user.vendor_profile} />}

        <section className="card" aria-labelledby="account-title">
          <h2 id="account-title">{t('dashboard.accountTitle')}</h2>
          <dl className="details">
            {user.full_name && (
              <div>
                <dt>{t('dashboard.name')}</dt>
                <dd>{user.full_name}</dd>
              </div>
            )}
            {user.email && (
              <div>
                <dt>{t('common.email')}</dt>
                <dd>
                  <bdi>{user.email}</bdi>
                </dd>
              </div>
            )}
            {user.phone && (
              <div>
                <dt>{t('common.phone')}</dt>
                <dd>
                  <bdi>{user.phone}</bdi>
                </dd>
              </div>
            )}
            <div>
              <dt>{t('dashboard.planLabel')}</dt>
              <dd>{user.plan?.display_name ?? t('dashboard.payAsYouGo')}</dd>
            </div>
            <div>
              <dt>{t('dashboard.memberSince')}</dt>
              <dd>{format.date(user.created_at, { year: 'numeric', month: 'long', day: 'numeric' })}</dd>
            </div>
          </dl>
        </section>
      </div>
    </>
  );
}

function VendorCard({ profile }: { profile: NonNullable<User['vendor_profile']> }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="vendor-title" data-testid="vendor-profile">
      <h2 id="vendor-title">{t('dashboard.vendorProfile')}</h2>
      <dl className="details">
        <div>
          <dt>{t('dashboard.business')}</dt>
          <dd data-testid="vendor-business-name">{profile.business_name}</dd>
        </div>
        <div>
          <dt>{t('dashboard.publicHandle')}</dt>
          <dd>
            <code>{profile.slug}</code>
          </dd>
        </div>
        {profile.is_verified !== undefined && (
          <div>
            <dt>{t('dashboard.status')}</dt>
            <dd>{profile.is_verified ? t('dashboard.verifiedVendor') : t('dashboard.awaitingReview')}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

interface VerifyChannelProps {
  channel: 'email' | 'phone';
  destination: string;
  verified: boolean;
  onVerified: () => Promise<void>;
}

/** The verification state of one channel; when unverified, "Send code" then enter the code. */
function VerifyChannel({ channel, destination, verified, onVerified }: VerifyChannelProps) {
  const { t } = useTranslation();
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<'send' | 'verify' | null>(null);
  const [error, setError] = useState<{ message: string } | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const purpose = channel === 'email' ? 'email_verify' : 'phone_verify';
  const id = channel === 'email' ? { email: destination } : { phone: destination };

  async function send() {
    setBusy('send');
    setError(null);
    try {
      await api.requestOtp({ ...id, purpose });
      setSent(true);
      setCode('');
      setInfo(t('verify.sent', { destination }));
    } catch (err) {
      setError({ message: describeError(err, [], t('common.genericError')).message });
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
      const d = describeError(err, ['code'], t('common.genericError'));
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
          <div className="verify-label">{channel === 'email' ? t('common.email') : t('common.phone')}</div>
          <div className="verify-destination">
            <bdi>{destination}</bdi>
          </div>
        </div>
        <span className={`badge ${verified ? 'badge-success' : 'badge-warning'}`} data-testid={`${channel}-status`}>
          {verified ? t('verify.verified') : t('verify.notVerified')}
        </span>
      </div>
      {!verified && (
        <div className="verify-body">
          {info && <Alert kind="info">{info}</Alert>}
          {error && <Alert testId={`${channel}-verify-error`}>{error.message}</Alert>}
          {!sent ? (
            <button type="button" className="button button-secondary" onClick={() => void send()} disabled={busy !== null}>
              {busy === 'send' ? t('verify.sending') : t('verify.send')}
            </button>
          ) : (
            <form className="verify-form" onSubmit={verify} noValidate aria-label={channel === 'email' ? t('verify.formEmail') : t('verify.formPhone')}>
              <Field
                id={inputId}
                label={t('verify.code')}
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]*"
                maxLength={6}
                required
                dir="ltr"
                value={code}
                onChange={(e) => setCode(toAsciiDigits(e.target.value).replace(/\D/g, ''))}
              />
              <div className="verify-actions">
                <button type="submit" className="button button-primary" disabled={busy !== null || code.length === 0}>
                  {busy === 'verify' ? t('verify.verifying') : t('verify.verify')}
                </button>
                <button type="button" className="button button-link" onClick={() => void send()} disabled={busy !== null}>
                  {t('verify.resend')}
                </button>
              </div>
            </form>
          )}
        </div>
      )}
    </div>
  );
}

/** A Persian keyboard types ۱۲۳ (or Arabic ١٢٣): the code field takes them as 123. */
const toAsciiDigits = (s: string) => s.replace(/[۰-۹٠-٩]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d) >= 0 ? '۰۱۲۳۴۵۶۷۸۹'.indexOf(d) : '٠١٢٣٤٥٦٧٨٩'.indexOf(d)));
