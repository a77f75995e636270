/**
 * Small shared pieces: links that use the router, form fields, alerts, the sign-in page layout, the
 * language switcher. Every string comes from the i18n strings; the product's name from GET /config.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, type LinkProps } from 'react-router';
import { formatDate, formatMoney, formatNumber } from './format.ts';
import { isLanguage, LANGUAGES, offeredLanguages, switchLanguage, type Language } from './i18n/index.ts';
import type { AppPath } from './paths.ts';
import { configQuery, useConfig } from './queries.ts';

/** A router link to one of the app's own screens. */
export function Link({ to, ...rest }: { to: AppPath } & Omit<LinkProps, 'to'>) {
  return <RouterLink to={to} {...rest} />;
}

export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg className="logo-mark" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="currentColor" />
      <path d="M10 23 16 8l6 15M12.4 17.5h7.2" fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function Brand() {
  const { product_name } = useConfig();
  return (
    <span className="brand">
      <Logo />
      <span className="brand-name" data-testid="product-name">
        {product_name}
      </span>
    </span>
  );
}

/**
 * The installation's languages, when it offers more than one; the choice is kept for next time, and
 * `onChosen` lets a signed-in screen keep the account's preference in step.
 */
export function LanguageSwitcher({ onChosen }: { onChosen?: (lang: Language) => void } = {}) {
  const { t, i18n } = useTranslation();
  const { locales } = useConfig();
  const id = useId();
  const offered = offeredLanguages(locales);
  if (offered.length < 2) return null;
  return (
    <span className="language-switcher">
      <label htmlFor={id} className="visually-hidden">
        {t('common.language')}
      </label>
      <select
        id={id}
        value={i18n.language}
        data-testid="language-switcher"
        onChange={(e) => {
          const lang = e.target.value;
          if (!isLanguage(lang)) return;
          void switchLanguage(lang, true);
          onChosen?.(lang);
        }}
      >
        {offered.map((lang) => (
          <option key={lang} value={lang} lang={lang}>
            {LANGUAGES[lang].name}
          </option>
        ))}
      </select>
    </span>
  );
}

type FieldProps = {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>;

/** The ids of a field's hint and error, for aria-describedby. */
export const describedBy = (id: string, hint: ReactNode, error: string | undefined) =>
  [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;

/** A field's hint and error lines, with the ids `describedBy` names. */
export function FieldMessages({ id, hint, error }: { id: string; hint?: ReactNode; error?: string | undefined }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
}

export function Field({ id, label, error, hint, className, ...input }: FieldProps) {
  const described = describedBy(id, hint, error);
  return (
    <div className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}

/** A password input with a show/hide toggle. */
export function PasswordField(props: FieldProps) {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(false);
  const { id, label, error, hint, ...input } = props;
  const described = describedBy(id, hint, error);
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="input-with-action">
        <input id={id} type={visible ? 'text' : 'password'} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
        <button
          type="button"
          className="input-action"
          aria-controls={id}
          aria-pressed={visible}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? t('common.hide') : t('common.show')}
        </button>
      </div>
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}

export function Alert({ kind = 'error', children, testId }: { kind?: 'error' | 'info' | 'success'; children: ReactNode; testId?: string }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}

export interface FormError {
  message: string;
  fields: Record<string, string>;
  other: string[];
}

export function FormErrorAlert({ error }: { error: FormError | null }) {
  if (!error) return null;
  return (
    <Alert testId="form-error">
      <p>{error.message}</p>
      {error.other.length > 0 && (
        <ul>
          {error.other.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

/** Email-or-phone switch, as a pair of radio buttons styled like a segmented control. */
export function ChannelToggle({ name, value, onChange }: { name: string; value: 'email' | 'phone'; onChange: (v: 'email' | 'phone') => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">{t('common.useEmailOrPhone')}</legend>
      {(['email', 'phone'] as const).map((v) => (
        <label key={v} className={value === v ? 'active' : undefined}>
          <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} />
          {v === 'email' ? t('common.email') : t('common.phone')}
        </label>
      ))}
    </fieldset>
  );
}

/** The identifiers this installation signs people up with (GET /config's `sign_up`), email first. */
export function useSignUpChannels(): Array<'email' | 'phone'> {
  const { sign_up } = useConfig();
  const channels = (['email', 'phone'] as const).filter((c) => sign_up[c]);
  return channels.length > 0 ? channels : ['email'];
}

/**
 * The email-or-phone input of the sign-in and sign-up forms: the toggle (only when the installation
 * takes both), then the one field it selects. Ids are `<idPrefix>-email` and `<idPrefix>-phone`.
 */
export function IdentifierField(props: {
  idPrefix: string;
  channel: 'email' | 'phone';
  onChannel: (v: 'email' | 'phone') => void;
  email: string;
  phone: string;
  onEmail: (v: string) => void;
  onPhone: (v: string) => void;
  errors: { email?: string | undefined; phone?: string | undefined };
  /** `username` on sign-in, `email`/`tel` on sign-up, as password managers expect. */
  purpose: 'signin' | 'signup';
  channels: Array<'email' | 'phone'>;
}) {
  const { t } = useTranslation();
  const signup = props.purpose === 'signup';
  return (
    <>
      {props.channels.length > 1 && <ChannelToggle name={`${props.idPrefix}-channel`} value={props.channel} onChange={props.onChannel} />}
      {props.channel === 'email' ? (
        <Field
          id={`${props.idPrefix}-email`}
          label={t('common.email')}
          type="email"
          autoComplete={signup ? 'email' : 'username'}
          inputMode="email"
          required
          value={props.email}
          onChange={(e) => props.onEmail(e.target.value)}
          error={props.errors.email}
        />
      ) : (
        <Field
          id={`${props.idPrefix}-phone`}
          label={t('common.phoneNumber')}
          type="tel"
          autoComplete={signup ? 'tel' : 'username'}
          inputMode="tel"
          placeholder="+989121234567"
          dir="ltr"
          required
          value={props.phone}
          onChange={(e) => props.onPhone(e.target.value)}
          error={props.errors.phone}
          hint={signup ? t('common.phoneHint') : undefined}
        />
      )}
    </>
  );
}

export function AuthLayout({ title, subtitle, children, footer }: { title: string; subtitle: string; children: ReactNode; footer: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="auth-page">
      <aside className="auth-aside" aria-hidden="true">
        <div className="auth-aside-inner">
          <Brand />
          <p className="auth-tagline">{t('brand.tagline')}</p>
          <ul className="auth-points">
            <li>{t('brand.point1')}</li>
            <li>{t('brand.point2')}</li>
            <li>{t('brand.point3')}</li>
          </ul>
        </div>
      </aside>
      <main className="auth-main">
        <div className="auth-card">
          <div className="auth-tools">
            <LanguageSwitcher />
          </div>
          <div className="auth-card-brand">
            <Brand />
          </div>
          <h1>{title}</h1>
          <p className="muted">{subtitle}</p>
          {children}
          <p className="auth-footer">{footer}</p>
        </div>
      </main>
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <div className="spinner-wrap" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** The full-page wait of the first load (the config, a screen's chunk). */
export function FullPageSpinner() {
  const { t } = useTranslation();
  return (
    <div className="center-page">
      <Spinner label={t('common.loading')} />
    </div>
  );
}

/** `<title>`: the screen's, then the installation's product name. */
export function useDocumentTitle(title: string): void {
  const product = useQuery(configQuery).data?.product_name ?? document.title;
  useEffect(() => {
    document.title = title ? `${title} · ${product}` : product;
  }, [title, product]);
}

/** Numbers, money and dates in the language on screen (format.ts does the work through Intl). */
export function useFormat() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return {
    number: (n: number) => formatNumber(n, lang),
    money: (amountMinor: number, currency: string) => formatMoney(amountMinor, currency, lang),
    date: (iso: string, opts?: Intl.DateTimeFormatOptions) => formatDate(iso, lang, opts),
  };
}
