/**
 * The account page: a copy of everything the service keeps about you (made in the background,
 * downloadable for a week), and erasing the account.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, describeError, type AccountExport, type User } from '../api.ts';
import { Alert, PasswordField, useDocumentTitle } from '../ui.tsx';

const POLL_MS = 1500;

export function Account({ user, onErased }: { user: User; onErased: () => Promise<void> }) {
  useDocumentTitle('Account');
  return (
    <>
      <section className="hero">
        <div>
          <p className="eyebrow">Account</p>
          <h1>Your data</h1>
          <p className="muted">Signed in as {user.email ?? user.phone}.</p>
        </div>
      </section>
      <div className="grid">
        <ExportCard />
        <EraseCard onErased={onErased} />
      </div>
    </>
  );
}

function ExportCard() {
  const [exp, setExp] = useState<AccountExport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const working = exp?.status === 'pending' || exp?.status === 'processing';

  // While the export is being made, ask again every little while.
  useEffect(() => {
    if (!exp || !working) return;
    const timer = setTimeout(() => {
      api.getExport(exp.id).then(setExp, (err: unknown) => setError(describeError(err, []).message));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [exp, working]);

  async function start() {
    setError(null);
    try {
      setExp(await api.requestExport());
    } catch (err) {
      setError(describeError(err, []).message);
    }
  }

  return (
    <section className="card" data-testid="export-card">
      <h2>Download your data</h2>
      <p className="muted">A zip of your profile, credits, payments, images and albums. It is kept for a week.</p>
      {error && <Alert>{error}</Alert>}
      {exp?.status === 'failed' && <Alert>{exp.error ?? 'The export failed.'}</Alert>}
      {working && <Alert kind="info">Preparing your export…</Alert>}
      {exp?.status === 'completed' && exp.download_url && (
        <Alert kind="success">
          Your export is ready.{' '}
          <a href={exp.download_url} data-testid="export-download">
            Download the zip
          </a>
          {exp.size_bytes !== null && <> ({Math.max(1, Math.round(exp.size_bytes / 1024))} KB)</>}
        </Alert>
      )}
      <button type="button" className="button button-secondary" onClick={() => void start()} disabled={working} data-testid="export-start">
        {working ? 'Preparing…' : 'Export my data'}
      </button>
    </section>
  );
}

function EraseCard({ onErased }: { onErased: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function erase(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.deleteAccount(password);
      await onErased();
    } catch (err) {
      const d = describeError(err, ['password']);
      setError(d.fields.password ?? (d.message === 'The credentials are not valid.' ? 'That password is not right.' : d.message));
      setBusy(false);
    }
  }

  return (
    <section className="card danger-zone" data-testid="erase-card">
      <h2>Delete your account</h2>
      <p className="muted">
        Your profile, images and albums are erased and you are signed out everywhere. Records of payments and credits are kept
        without your name, as the books require.
      </p>
      {!open ? (
        <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
          Delete my account…
        </button>
      ) : (
        <form onSubmit={erase} noValidate aria-label="Delete account">
          {error && <Alert testId="erase-error">{error}</Alert>}
          <PasswordField id="erase-password" label="Your password, to confirm" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          <div className="verify-actions">
            <button type="submit" className="button button-danger" disabled={busy || password === ''} data-testid="erase-confirm">
              {busy ? 'Deleting…' : 'Delete my account for good'}
            </button>
            <button type="button" className="button button-link" onClick={() => setOpen(false)} disabled={busy}>
              Keep my account
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
