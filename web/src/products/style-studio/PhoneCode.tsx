/**
 * The second step of a phone sign-up: the code sent by SMS (`POST /auth/otp/request` with
 * `phone_verify`, then `/auth/otp/verify`), so a phone-first product (style-studio) confirms the
 * number before its first screen. "Later" goes on unconfirmed (the dashboard offers it again).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../../api.ts';
import { Alert, Field } from '../../ui.tsx';

export function PhoneCode({ phone, onDone }: { phone: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const sent = useRef(false);

  const send = () => api.requestOtp({ phone, purpose: 'phone_verify' }).catch((err: unknown) => setError(describeError(err, [], t('common.genericError')).message));
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    void send();
  });

  async function verify(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.verifyOtp({ phone, purpose: 'phone_verify', code: code.trim() });
      onDone();
    } catch (err) {
      setError(describeError(err, ['code'], t('common.genericError')).message);
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={(e) => void verify(e)} noValidate aria-labelledby="phone-code-title" data-testid="phone-code">
      <h2 id="phone-code-title">{t('styleStudio.codeTitle')}</h2>
      <Alert kind="info">
        {t('styleStudio.codeSent')}
        <bdi dir="ltr">{phone}</bdi>
      </Alert>
      <Field id="phone-code" label={t('styleStudio.code')} inputMode="numeric" autoComplete="one-time-code" dir="ltr" required value={code} onChange={(e) => setCode(e.target.value)} error={error} />
      <button type="submit" className="button button-primary button-block" disabled={busy || !code.trim()}>
        {busy ? t('styleStudio.verifying') : t('styleStudio.verify')}
      </button>
      <p className="verify-actions">
        <button type="button" className="button button-link" onClick={() => void send()}>
          {t('styleStudio.resend')}
        </button>
        <button type="button" className="button button-link" onClick={onDone}>
          {t('styleStudio.later')}
        </button>
      </p>
    </form>
  );
}
