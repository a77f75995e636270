/**
 * The account's security: changing the password, the sessions signed in (each can be signed out),
 * and for integrators the API keys (a new key is shown once) and the secret that signs the webhooks
 * this service sends.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { describeError } from '../api.ts';
import { fieldMessage, showServerError } from '../forms.ts';
import { userApi, type NewApiKey, type SessionRow } from '../userApi.ts';
import { Alert, Field, PasswordField, Spinner, useFormat } from '../ui.tsx';

const passwordSchema = z
  .object({ current_password: z.string().min(1), new_password: z.string().min(8).max(200), confirm: z.string() })
  .refine((v) => v.new_password === v.confirm, { path: ['confirm'] });

export function PasswordCard() {
  const { t } = useTranslation();
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const form = useForm({ resolver: zodResolver(passwordSchema), defaultValues: { current_password: '', new_password: '', confirm: '' } });
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async ({ current_password, new_password }) => {
    setMessage(null);
    try {
      await userApi.changePassword({ current_password, new_password });
      form.reset();
      setMessage({ kind: 'success', text: t('accountMore.passwordChanged') });
    } catch (err) {
      const wrong = err instanceof Error && 'code' in err && err.code === 'invalid_credentials';
      if (wrong) form.setError('current_password', { type: 'server', message: t('account.wrongPassword') });
      else {
        const top = showServerError(err, ['current_password', 'new_password'], form.setError, t('common.genericError'));
        if (top) setMessage({ kind: 'error', text: top });
      }
    }
  });
  return (
    <section className="card" data-testid="password-card">
      <h2>{t('accountMore.passwordTitle')}</h2>
      {message && (
        <Alert kind={message.kind} testId="password-message">
          {message.text}
        </Alert>
      )}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={t('accountMore.passwordTitle')}>
        <PasswordField id="pw-current" label={t('accountMore.currentPassword')} autoComplete="current-password" error={fieldMessage(errors.current_password, t('accountMore.required'))} {...form.register('current_password')} />
        <PasswordField id="pw-new" label={t('accountMore.newPassword')} autoComplete="new-password" hint={t('signup.passwordHint')} error={fieldMessage(errors.new_password, t('accountMore.passwordRule'))} {...form.register('new_password')} />
        <PasswordField id="pw-confirm" label={t('accountMore.confirmNew')} autoComplete="new-password" error={fieldMessage(errors.confirm, t('accountMore.mismatch'))} {...form.register('confirm')} />
        <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting} data-testid="password-save">
          {form.formState.isSubmitting ? t('accountMore.saving') : t('accountMore.changePassword')}
        </button>
      </form>
    </section>
  );
}

const sessionsKey = ['me', 'sessions'] as const;

export function SessionsCard({ onSignedOutHere }: { onSignedOutHere: () => Promise<void> }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const sessions = useQuery({ queryKey: sessionsKey, queryFn: userApi.sessions, select: (page) => page.data, staleTime: 0 });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  async function revoke(s: SessionRow) {
    if (s.current && !window.confirm(t('accountMore.revokeCurrent'))) return;
    setBusy(s.id);
    setError(null);
    try {
      await userApi.revokeSession(s.id);
      if (s.current) return void (await onSignedOutHere());
      await client.invalidateQueries({ queryKey: sessionsKey });
    } catch (err) {
      setError(describeError(err, [], t('common.genericError')).message);
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className="card" data-testid="sessions-card">
      <h2>{t('accountMore.sessions')}</h2>
      <p className="muted">{t('accountMore.sessionsText')}</p>
      {error && <Alert>{error}</Alert>}
      {sessions.error ? (
        <Alert>{describeError(sessions.error, [], t('common.genericError')).message}</Alert>
      ) : !sessions.data ? (
        <Spinner label={t('common.loading')} />
      ) : (
        <ul className="plain-list" data-testid="sessions">
          {sessions.data.map((s) => (
            <li key={s.id} className="list-row" data-testid="session-row">
              <div>
                <strong>
                  <bdi>{s.user_agent ? describeAgent(s.user_agent) : t('accountMore.unknownDevice')}</bdi>
                </strong>
                {s.current && <span className="badge">{t('accountMore.thisDevice')}</span>}
                <p className="muted small">
                  {t('accountMore.lastUsed', { date: format.date(s.last_used_at, { dateStyle: 'medium', timeStyle: 'short' }) })}
                  {s.ip && (
                    <>
                      {' · '}
                      <bdi dir="ltr">{s.ip}</bdi>
                    </>
                  )}
                </p>
              </div>
              <button type="button" className="button button-link" disabled={busy !== null} onClick={() => void revoke(s)}>
                {s.current ? t('accountMore.signOutHere') : t('accountMore.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A short name for a browser from its user agent ("Chrome on Linux"); the raw string otherwise. */
function describeAgent(agent: string): string {
  const browser = /Edg\//.test(agent) ? 'Edge' : /Firefox\//.test(agent) ? 'Firefox' : /Chrom(e|ium)\//.test(agent) ? 'Chrome' : /Safari\//.test(agent) ? 'Safari' : null;
  const os = /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS' : /Windows/.test(agent) ? 'Windows' : /Mac OS X/.test(agent) ? 'macOS' : /Linux/.test(agent) ? 'Linux' : null;
  return browser && os ? `${browser} · ${os}` : agent.slice(0, 60);
}

const keysKey = ['me', 'api-keys'] as const;
const keySchema = z.object({ name: z.string().trim().min(1).max(100) });

export function ApiKeysCard() {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const list = useQuery({ queryKey: keysKey, queryFn: userApi.apiKeys, select: (page) => page.data });
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ resolver: zodResolver(keySchema), defaultValues: { name: '' } });
  const create = form.handleSubmit(async ({ name }) => {
    setError(null);
    try {
      setCreated(await userApi.createApiKey(name));
      form.reset();
      await client.invalidateQueries({ queryKey: keysKey });
    } catch (err) {
      setError(showServerError(err, ['name'], form.setError, t('common.genericError')));
    }
  });
  async function revoke(id: string, name: string) {
    if (!window.confirm(t('accountMore.revokeKeyConfirm', { name }))) return;
    setError(null);
    try {
      await userApi.revokeApiKey(id);
      if (created?.id === id) setCreated(null);
      await client.invalidateQueries({ queryKey: keysKey });
    } catch (err) {
      setError(describeError(err, [], t('common.genericError')).message);
    }
  }
  return (
    <section className="card" data-testid="api-keys-card">
      <h2>{t('accountMore.apiKeys')}</h2>
      <p className="muted">{t('accountMore.apiKeysText')}</p>
      {error && <Alert>{error}</Alert>}
      {created && (
        <Alert kind="success" testId="new-api-key">
          <p>{t('accountMore.keyOnce')}</p>
          <Secret value={created.key} label={t('accountMore.newKey', { name: created.name })} />
        </Alert>
      )}
      <form className="verify-form" onSubmit={(e) => void create(e)} noValidate aria-label={t('accountMore.createKey')}>
        <Field id="api-key-name" label={t('accountMore.keyName')} autoComplete="off" error={fieldMessage(form.formState.errors.name, t('accountMore.required'))} {...form.register('name')} />
        <button type="submit" className="button button-secondary" disabled={form.formState.isSubmitting} data-testid="api-key-create">
          {t('accountMore.createKey')}
        </button>
      </form>
      {list.error ? (
        <Alert>{describeError(list.error, [], t('common.genericError')).message}</Alert>
      ) : !list.data ? (
        <Spinner label={t('common.loading')} />
      ) : list.data.length === 0 ? (
        <p className="muted" data-testid="api-keys-empty">
          {t('accountMore.noKeys')}
        </p>
      ) : (
        <ul className="plain-list" data-testid="api-keys">
          {list.data.map((k) => (
            <li key={k.id} className="list-row" data-testid="api-key-row">
              <div>
                <strong>
                  <bdi>{k.name}</bdi>
                </strong>{' '}
                <code dir="ltr">{k.prefix}…</code>
                <p className="muted small">
                  {k.last_used_at ? t('accountMore.lastUsed', { date: format.date(k.last_used_at) }) : t('accountMore.neverUsed')}
                </p>
              </div>
              <button type="button" className="button button-link" onClick={() => void revoke(k.id, k.name)} aria-label={t('accountMore.revokeKey', { name: k.name })}>
                {t('accountMore.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <WebhookSecret />
    </section>
  );
}

/** The secret that signs outgoing webhooks, fetched only when asked for. */
function WebhookSecret() {
  const { t } = useTranslation();
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function reveal() {
    setError(null);
    try {
      setSecret((await userApi.webhookSecret()).secret);
    } catch (err) {
      setError(describeError(err, [], t('common.genericError')).message);
    }
  }
  return (
    <div className="subsection" data-testid="webhook-secret">
      <h3>{t('accountMore.webhookTitle')}</h3>
      <p className="muted small">{t('accountMore.webhookText')}</p>
      {error && <Alert>{error}</Alert>}
      {secret ? (
        <Secret value={secret} label={t('accountMore.webhookTitle')} />
      ) : (
        <button type="button" className="button button-secondary" onClick={() => void reveal()} data-testid="webhook-reveal">
          {t('accountMore.reveal')}
        </button>
      )}
    </div>
  );
}

/** A secret in a read-only box, selectable, with a copy button. */
function Secret({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div className="secret">
      <label className="visually-hidden" htmlFor={`secret-${value.slice(0, 8)}`}>
        {label}
      </label>
      <input id={`secret-${value.slice(0, 8)}`} readOnly value={value} dir="ltr" onFocus={(e) => e.target.select()} data-testid="secret-value" />
      <button
        type="button"
        className="button button-secondary"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false));
        }}
      >
        {copied ? t('accountMore.copied') : t('accountMore.copy')}
      </button>
    </div>
  );
}
