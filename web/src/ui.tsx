/** Small shared pieces: links that use the router, form fields, alerts, the sign-in page layout. */
import { useEffect, useState, type AnchorHTMLAttributes, type InputHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import { navigate, type Route } from './router.ts';

export function Link({ to, children, ...rest }: { to: Route; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(e);
    // Let the browser handle new-tab and similar clicks.
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a {...rest} href={to} onClick={onClick}>
      {children}
    </a>
  );
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
  return (
    <span className="brand">
      <Logo />
      <span className="brand-name">Atelier</span>
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
          {visible ? 'Hide' : 'Show'}
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
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">Use email or phone</legend>
      {(['email', 'phone'] as const).map((v) => (
        <label key={v} className={value === v ? 'active' : undefined}>
          <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} />
          {v === 'email' ? 'Email' : 'Phone'}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The email-or-phone input of the sign-in and sign-up forms: the toggle, then the one field it
 * selects. Ids are `<idPrefix>-email` and `<idPrefix>-phone`.
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
}) {
  const signup = props.purpose === 'signup';
  return (
    <>
      <ChannelToggle name={`${props.idPrefix}-channel`} value={props.channel} onChange={props.onChannel} />
      {props.channel === 'email' ? (
        <Field
          id={`${props.idPrefix}-email`}
          label="Email"
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
          label="Phone number"
          type="tel"
          autoComplete={signup ? 'tel' : 'username'}
          inputMode="tel"
          placeholder="+989121234567"
          required
          value={props.phone}
          onChange={(e) => props.onPhone(e.target.value)}
          error={props.errors.phone}
          hint={signup ? 'International format, starting with + and the country code.' : undefined}
        />
      )}
    </>
  );
}

export function AuthLayout({ title, subtitle, children, footer }: { title: string; subtitle: string; children: ReactNode; footer: ReactNode }) {
  return (
    <div className="auth-page">
      <aside className="auth-aside" aria-hidden="true">
        <div className="auth-aside-inner">
          <Brand />
          <p className="auth-tagline">Create, refine and sell AI imagery — every generation metered in simple credits.</p>
          <ul className="auth-points">
            <li>Pay only for what you generate</li>
            <li>Self-hosted and private by design</li>
            <li>Built for creators and vendors</li>
          </ul>
        </div>
      </aside>
      <main className="auth-main">
        <div className="auth-card">
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

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Atelier` : 'Atelier';
  }, [title]);
}
