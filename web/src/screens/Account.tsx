/**
 * The account page: the profile and avatar, preferences, the password, the sessions signed in, API
 * keys and the webhook secret for integrators, a copy of everything the service keeps about you (made
 * in the background, downloadable for a week), and erasing the account.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, ApiError, describeError, type AccountExport } from '../api.ts';
import { useSignedIn, useSessionMoves } from '../session.ts';
import { Alert, PasswordField, useDocumentTitle } from '../ui.tsx';
import { PreferencesCard, ProfileCard } from './AccountProfile.tsx';
import { ApiKeysCard, PasswordCard, SessionsCard } from './AccountSecurity.tsx';

const POLL_MS = 1500;

export function Account() {
  const { t } = useTranslation();
  const { user, reload } = useSignedIn();
  const moves = useSessionMoves();
  useDocumentTitle(t('account.title'));
  // After DELETE /me the sessions are gone already; only the local state is left to clear.
  const onErased = () => moves.signedOut('erased');
  return (
    <>
      <section className="hero">
        <div>
          <p className="eyebrow">{t('account.title')}</p>
          <h1>{t('account.heading')}</h1>
          <p className="muted">{t('account.signedInAs', { who: user.email ?? user.phone })}</p>
        </div>
      </section>
      <div className="grid">
        <ProfileCard user={user} reload={reload} />
        <PreferencesCard />
        <PasswordCard />
        <SessionsCard onSignedOutHere={() => moves.signedOut('signedOut')} />
        <ApiKeysCard />
        <ExportCard />
        <EraseCard onErased={onErased} />
      </div>
    </>
  );
}

function ExportCard() {
  const { t } = useTranslation();
  const generic = t('common.genericError');
  const [exp, setExp] = useState<AccountExport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const working = exp?.status === 'pending' || exp?.status === 'processing';

  // While the export is being made, ask again every little while.
  useEffect(() => {
    if (!exp || !working) return;
    const timer = setTimeout(() => {
      api.getExport(exp.id).then(setExp, (err: unknown) => setError(describeError(err, [], generic).message));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [exp, working]);

  async function start() {
    setError(null);
    try {
      setExp(await api.requestExport());
    } catch (err) {
      setError(describeError(err, [], generic).message);
    }
  }

  return (
    <section className="card" data-testid="export-card">
      <h2>{t('account.exportTitle')}</h2>
      <p className="muted">{t('account.exportText')}</p>
      {error && <Alert>{error}</Alert>}
      {exp?.status === 'failed' && <Alert>{exp.error ?? t('account.exportFailed')}</Alert>}
      {working && <Alert kind="info">{t('account.preparing')}</Alert>}
      {exp?.status === 'completed' && exp.download_url && (
        <Alert kind="success">
          {t('account.ready')}{' '}
          <a href={exp.download_url} data-testid="export-download">
            {t('account.downloadZip')}
          </a>
          {exp.size_bytes !== null && <> {t('account.size', { n: Math.max(1, Math.round(exp.size_bytes / 1024)) })}</>}
        </Alert>
      )}
      <button type="button" className="button button-secondary" onClick={() => void start()} disabled={working} data-testid="export-start">
        {working ? t('account.preparingShort') : t('account.exportStart')}
      </button>
    </section>
  );
}

const eraseSchema = z.object({ password: z.string().min(1) });

function EraseCard({ onErased }: { onErased: () => Promise<void> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ resolver: zodResolver(eraseSchema), defaultValues: { password: '' } });
  const busy = form.formState.isSubmitting;
  const password = form.watch('password');

  const erase = form.handleSubmit(async ({ password: confirmed }) => {
    setError(null);
    try {
      await api.deleteAccount(confirmed);
      await onErased();
    } catch (err) {
      const d = describeError(err, ['password'], t('common.genericError'));
      setError(d.fields.password ?? (err instanceof ApiError && err.code === 'invalid_credentials' ? t('account.wrongPassword') : d.message));
    }
  });

  return (
    <section className="card danger-zone" data-testid="erase-card">
      <h2>{t('account.deleteTitle')}</h2>
      <p className="muted">{t('account.deleteText')}</p>
      {!open ? (
        <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
          {t('account.deleteOpen')}
        </button>
      ) : (
        <form onSubmit={(e) => void erase(e)} noValidate aria-label={t('account.deleteForm')}>
          {error && <Alert testId="erase-error">{error}</Alert>}
          <PasswordField id="erase-password" label={t('account.confirmPassword')} autoComplete="current-password" required {...form.register('password')} />
          <div className="verify-actions">
            <button type="submit" className="button button-danger" disabled={busy || password === ''} data-testid="erase-confirm">
              {busy ? t('account.deleting') : t('account.deleteConfirm')}
            </button>
            <button type="button" className="button button-link" onClick={() => setOpen(false)} disabled={busy}>
              {t('account.keep')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
