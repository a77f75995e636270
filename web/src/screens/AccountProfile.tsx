/**
 * The account's profile (name, company, bio, avatar) and preferences (language, default studio,
 * which emails to receive), each a form saved with one button.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { describeError, type User } from '../api.ts';
import { fieldMessage, showServerError } from '../forms.ts';
import { LANGUAGES, offeredLanguages } from '../i18n/index.ts';
import { useConfig } from '../queries.ts';
import { userApi, type Preferences } from '../userApi.ts';
import { Alert, Field, Spinner } from '../ui.tsx';

const profileSchema = z.object({
  full_name: z.string().trim().max(200),
  company: z.string().trim().max(200),
  bio: z.string().trim().max(2000),
});
const orNull = (value: string) => (value === '' ? null : value);

export function ProfileCard({ user, reload }: { user: User; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const me = user;
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [uploading, setUploading] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const form = useForm({
    resolver: zodResolver(profileSchema),
    defaultValues: { full_name: me.full_name ?? '', company: me.company ?? '', bio: me.bio ?? '' },
  });
  const generic = t('common.genericError');
  const submit = form.handleSubmit(async (values) => {
    setMessage(null);
    try {
      await userApi.updateProfile({ full_name: orNull(values.full_name), company: orNull(values.company), bio: orNull(values.bio) });
      await reload();
      setMessage({ kind: 'success', text: t('accountMore.saved') });
    } catch (err) {
      const top = showServerError(err, ['full_name', 'company', 'bio'], form.setError, generic);
      if (top) setMessage({ kind: 'error', text: top });
    }
  });

  async function setAvatar(file: File | undefined) {
    if (!file) return;
    setUploading(true);
    setMessage(null);
    try {
      const asset = await userApi.uploadAvatar(file);
      await userApi.updateProfile({ avatar_asset_id: asset.id });
      await reload();
      setMessage({ kind: 'success', text: t('accountMore.avatarSaved') });
    } catch (err) {
      setMessage({ kind: 'error', text: describeError(err, [], generic).message });
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  }

  const errors = form.formState.errors;
  return (
    <section className="card" data-testid="profile-card">
      <h2>{t('accountMore.profile')}</h2>
      {message && (
        <Alert kind={message.kind} testId="profile-message">
          {message.text}
        </Alert>
      )}
      <div className="avatar-row">
        {me.avatar_url ? <img className="avatar" src={me.avatar_url} alt={t('accountMore.avatarAlt')} width={64} height={64} /> : <span className="avatar avatar-empty" aria-hidden="true" />}
        <label className="button button-secondary">
          {uploading ? t('accountMore.uploading') : t('accountMore.avatarChange')}
          <input ref={fileInput} type="file" accept="image/*" className="visually-hidden" data-testid="avatar-input" disabled={uploading} onChange={(e) => void setAvatar(e.target.files?.[0])} />
        </label>
      </div>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={t('accountMore.profile')}>
        <Field id="profile-name" label={t('signup.fullName')} autoComplete="name" error={fieldMessage(errors.full_name, t('accountMore.tooLong'))} {...form.register('full_name')} />
        <Field id="profile-company" label={t('accountMore.company')} autoComplete="organization" error={fieldMessage(errors.company, t('accountMore.tooLong'))} {...form.register('company')} />
        <div className={`field${errors.bio ? ' has-error' : ''}`}>
          <label htmlFor="profile-bio">{t('accountMore.bio')}</label>
          <textarea id="profile-bio" rows={3} {...form.register('bio')} />
          {errors.bio && <p className="field-error">{fieldMessage(errors.bio, t('accountMore.tooLong'))}</p>}
        </div>
        <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting} data-testid="profile-save">
          {form.formState.isSubmitting ? t('accountMore.saving') : t('accountMore.save')}
        </button>
      </form>
    </section>
  );
}

const prefsKey = ['me', 'preferences'] as const;

export function PreferencesCard() {
  const { t } = useTranslation();
  const prefs = useQuery({ queryKey: prefsKey, queryFn: userApi.preferences });
  return (
    <section className="card" data-testid="preferences-card">
      <h2>{t('accountMore.preferences')}</h2>
      {prefs.error ? <Alert>{describeError(prefs.error, [], t('common.genericError')).message}</Alert> : !prefs.data ? <Spinner label={t('common.loading')} /> : <PreferencesForm prefs={prefs.data} />}
    </section>
  );
}

const prefsSchema = z.object({
  locale: z.string(),
  default_studio: z.string(),
  marketing_emails: z.boolean(),
  generation_completed: z.boolean(),
  low_balance: z.boolean(),
});

function PreferencesForm({ prefs }: { prefs: Preferences }) {
  const { t } = useTranslation();
  const { locales, studios } = useConfig();
  const client = useQueryClient();
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const form = useForm({
    resolver: zodResolver(prefsSchema),
    defaultValues: {
      locale: prefs.locale ?? '',
      default_studio: prefs.default_studio ?? '',
      marketing_emails: prefs.marketing_emails,
      generation_completed: prefs.notifications.generation_completed,
      low_balance: prefs.notifications.low_balance,
    },
  });
  const submit = form.handleSubmit(async (v) => {
    setMessage(null);
    try {
      const saved = await userApi.updatePreferences({
        locale: orNull(v.locale),
        default_studio: orNull(v.default_studio),
        marketing_emails: v.marketing_emails,
        notifications: { generation_completed: v.generation_completed, low_balance: v.low_balance },
      });
      client.setQueryData(prefsKey, saved);
      setMessage({ kind: 'success', text: t('accountMore.saved') });
    } catch (err) {
      setMessage({ kind: 'error', text: describeError(err, [], t('common.genericError')).message });
    }
  });
  const box = (name: 'marketing_emails' | 'generation_completed' | 'low_balance', label: string) => (
    <div className="checkbox">
      <input id={`pref-${name}`} type="checkbox" {...form.register(name)} />
      <label htmlFor={`pref-${name}`}>{label}</label>
    </div>
  );
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={t('accountMore.preferences')}>
      {message && (
        <Alert kind={message.kind} testId="preferences-message">
          {message.text}
        </Alert>
      )}
      <div className="field">
        <label htmlFor="pref-locale">{t('common.language')}</label>
        <select id="pref-locale" {...form.register('locale')}>
          <option value="">{t('accountMore.automatic')}</option>
          {offeredLanguages(locales).map((l) => (
            <option key={l} value={l}>
              {LANGUAGES[l].name}
            </option>
          ))}
        </select>
      </div>
      {studios.length > 1 && (
        <div className="field">
          <label htmlFor="pref-studio">{t('accountMore.defaultStudio')}</label>
          <select id="pref-studio" {...form.register('default_studio')}>
            <option value="">{t('accountMore.none')}</option>
            {studios.map((s) => (
              <option key={s} value={s}>
                {t(`studios.${s}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      <fieldset className="fieldset">
        <legend>{t('accountMore.emails')}</legend>
        {box('generation_completed', t('accountMore.notifyDone'))}
        {box('low_balance', t('accountMore.notifyLow'))}
        {box('marketing_emails', t('accountMore.marketing'))}
      </fieldset>
      <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting} data-testid="preferences-save">
        {form.formState.isSubmitting ? t('accountMore.saving') : t('accountMore.save')}
      </button>
    </form>
  );
}
