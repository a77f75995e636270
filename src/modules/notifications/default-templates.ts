/**
 * The templates every installation starts with: one per system message, in English (the fallback)
 * and Persian. Written into `email_templates` at first use where the key and locale are absent, so
 * an admin's edits are never overwritten. `app_name` and `app_url` are there for every message.
 */
import type { SystemEmailKey } from '../../platform/mail/email-sender.ts';
import type { TemplateSource } from './render.ts';

const wrap = (dir: 'ltr' | 'rtl', body: string) => `<div dir="${dir}" style="font-family: sans-serif; line-height: 1.5">${body}</div>`;

const en: Record<SystemEmailKey, TemplateSource> = {
  email_verify: {
    subject: 'Your {{ app_name }} code: {{ code }}',
    text: 'Your {{ app_name }} code is {{ code }}. It expires in {{ minutes }} minutes. If you did not ask for it, ignore this message.',
    html: wrap('ltr', '<p>Your {{ app_name }} code is <strong>{{ code }}</strong>.</p><p>It expires in {{ minutes }} minutes. If you did not ask for it, ignore this message.</p>'),
  },
  one_time_code: {
    subject: 'Your {{ app_name }} code: {{ code }}',
    text: 'Your {{ app_name }} code is {{ code }}. It expires in {{ minutes }} minutes. If you did not ask for it, ignore this message.',
    html: wrap('ltr', '<p>Your {{ app_name }} code is <strong>{{ code }}</strong>.</p><p>It expires in {{ minutes }} minutes. If you did not ask for it, ignore this message.</p>'),
  },
  password_reset: {
    subject: 'Your {{ app_name }} code: {{ code }}',
    text: 'Your {{ app_name }} code is {{ code }}. It expires in {{ minutes }} minutes. Use it to choose a new password. If you did not ask for it, ignore this message.',
    html: wrap('ltr', '<p>Your {{ app_name }} code is <strong>{{ code }}</strong>.</p><p>It expires in {{ minutes }} minutes. Use it to choose a new password. If you did not ask for it, ignore this message.</p>'),
  },
  payment_receipt: {
    subject: 'Your {{ app_name }} receipt',
    text: 'Thank you. We received {{ amount }} for {{ description }}.\n\nPayment: {{ payment_id }}\n{{ app_url }}/billing',
    html: wrap('ltr', '<p>Thank you. We received <strong>{{ amount }}</strong> for {{ description }}.</p><p>Payment: {{ payment_id }}</p><p><a href="{{ app_url }}/billing">Billing</a></p>'),
  },
  gift_card: {
    subject: 'You have been given an {{ app_name }} gift card',
    text: 'Someone has given you {{ credits }} {{ app_name }} credits.\n\nYour gift card code: {{ code }}\n\nRedeem it under Billing → Gift cards after signing in.',
    html: wrap('ltr', '<p>Someone has given you {{ credits }} {{ app_name }} credits.</p><p>Your gift card code: <strong>{{ code }}</strong></p><p>Redeem it under Billing → Gift cards after signing in.</p>'),
  },
  training_ready: {
    subject: '{{ subject_name }} is ready',
    text: '{{ subject_name }} has finished training; you can make headshots of it now.\n\n{{ url }}',
    html: wrap('ltr', '<p>{{ subject_name }} has finished training; you can make headshots of it now.</p><p><a href="{{ url }}">Open {{ app_name }}</a></p>'),
  },
  export_ready: {
    subject: 'Your {{ app_name }} data export is ready',
    text: 'Your export is ready to download until {{ expires_at }}:\n\n{{ download_url }}',
    html: wrap('ltr', '<p>Your export is ready to download until {{ expires_at }}.</p><p><a href="{{ download_url }}">Download</a></p>'),
  },
  low_balance: {
    subject: 'Your {{ app_name }} credits are running low',
    text: 'You have {{ available }} credits left.\n\n{{ url }}',
    html: wrap('ltr', '<p>You have <strong>{{ available }}</strong> credits left.</p><p><a href="{{ url }}">Buy credits</a></p>'),
  },
  refund_notice: {
    subject: 'Your {{ app_name }} payment was refunded',
    text: 'We have refunded {{ amount }} of your payment {{ payment_id }}.{% if credits_taken_back > 0 %} {{ credits_taken_back }} unspent credits it bought were taken back.{% endif %}\n\n{{ app_url }}/billing',
    html: wrap('ltr', '<p>We have refunded <strong>{{ amount }}</strong> of your payment {{ payment_id }}.</p>{% if credits_taken_back > 0 %}<p>{{ credits_taken_back }} unspent credits it bought were taken back.</p>{% endif %}<p><a href="{{ app_url }}/billing">Billing</a></p>'),
  },
};

const fa: Record<SystemEmailKey, TemplateSource> = {
  email_verify: {
    subject: 'کد {{ app_name }} شما: {{ code }}',
    text: 'کد {{ app_name }} شما {{ code }} است و تا {{ minutes }} دقیقه اعتبار دارد. اگر آن را درخواست نکرده‌اید، این پیام را نادیده بگیرید.',
    html: wrap('rtl', '<p>کد {{ app_name }} شما <strong>{{ code }}</strong> است.</p><p>تا {{ minutes }} دقیقه اعتبار دارد. اگر آن را درخواست نکرده‌اید، این پیام را نادیده بگیرید.</p>'),
  },
  one_time_code: {
    subject: 'کد {{ app_name }} شما: {{ code }}',
    text: 'کد {{ app_name }} شما {{ code }} است و تا {{ minutes }} دقیقه اعتبار دارد. اگر آن را درخواست نکرده‌اید، این پیام را نادیده بگیرید.',
    html: wrap('rtl', '<p>کد {{ app_name }} شما <strong>{{ code }}</strong> است.</p><p>تا {{ minutes }} دقیقه اعتبار دارد. اگر آن را درخواست نکرده‌اید، این پیام را نادیده بگیرید.</p>'),
  },
  password_reset: {
    subject: 'کد {{ app_name }} شما: {{ code }}',
    text: 'کد {{ app_name }} شما برای گذرواژهٔ تازه {{ code }} است و تا {{ minutes }} دقیقه اعتبار دارد. اگر آن را درخواست نکرده‌اید، این پیام را نادیده بگیرید.',
    html: wrap('rtl', '<p>کد {{ app_name }} شما برای گذرواژهٔ تازه <strong>{{ code }}</strong> است.</p><p>تا {{ minutes }} دقیقه اعتبار دارد. اگر آن را درخواست نکرده‌اید، این پیام را نادیده بگیرید.</p>'),
  },
  payment_receipt: {
    subject: 'رسید پرداخت {{ app_name }}',
    text: 'سپاس. مبلغ {{ amount }} بابت {{ description }} دریافت شد.\n\nپرداخت: {{ payment_id }}\n{{ app_url }}/billing',
    html: wrap('rtl', '<p>سپاس. مبلغ <strong>{{ amount }}</strong> بابت {{ description }} دریافت شد.</p><p>پرداخت: {{ payment_id }}</p><p><a href="{{ app_url }}/billing">صورت‌حساب</a></p>'),
  },
  gift_card: {
    subject: 'یک کارت هدیهٔ {{ app_name }} برای شما',
    text: 'کسی {{ credits }} اعتبار {{ app_name }} به شما هدیه داده است.\n\nکد کارت هدیه: {{ code }}\n\nپس از ورود، آن را در صورت‌حساب ← کارت‌های هدیه وارد کنید.',
    html: wrap('rtl', '<p>کسی {{ credits }} اعتبار {{ app_name }} به شما هدیه داده است.</p><p>کد کارت هدیه: <strong>{{ code }}</strong></p><p>پس از ورود، آن را در صورت‌حساب ← کارت‌های هدیه وارد کنید.</p>'),
  },
  training_ready: {
    subject: '{{ subject_name }} آماده است',
    text: 'آموزش {{ subject_name }} تمام شد؛ اکنون می‌توانید از آن عکس پرسنلی بسازید.\n\n{{ url }}',
    html: wrap('rtl', '<p>آموزش {{ subject_name }} تمام شد؛ اکنون می‌توانید از آن عکس پرسنلی بسازید.</p><p><a href="{{ url }}">{{ app_name }}</a></p>'),
  },
  export_ready: {
    subject: 'خروجی داده‌های {{ app_name }} شما آماده است',
    text: 'خروجی شما تا {{ expires_at }} قابل دریافت است:\n\n{{ download_url }}',
    html: wrap('rtl', '<p>خروجی شما تا {{ expires_at }} قابل دریافت است.</p><p><a href="{{ download_url }}">دریافت</a></p>'),
  },
  low_balance: {
    subject: 'اعتبار {{ app_name }} شما رو به پایان است',
    text: '{{ available }} اعتبار برایتان مانده است.\n\n{{ url }}',
    html: wrap('rtl', '<p><strong>{{ available }}</strong> اعتبار برایتان مانده است.</p><p><a href="{{ url }}">خرید اعتبار</a></p>'),
  },
  refund_notice: {
    subject: 'پرداخت {{ app_name }} شما بازپرداخت شد',
    text: 'مبلغ {{ amount }} از پرداخت {{ payment_id }} به شما بازپرداخت شد.{% if credits_taken_back > 0 %} {{ credits_taken_back }} اعتبار مصرف‌نشدهٔ آن پس گرفته شد.{% endif %}\n\n{{ app_url }}/billing',
    html: wrap('rtl', '<p>مبلغ <strong>{{ amount }}</strong> از پرداخت {{ payment_id }} به شما بازپرداخت شد.</p>{% if credits_taken_back > 0 %}<p>{{ credits_taken_back }} اعتبار مصرف‌نشدهٔ آن پس گرفته شد.</p>{% endif %}<p><a href="{{ app_url }}/billing">صورت‌حساب</a></p>'),
  },
};

export const FALLBACK_LOCALE = 'en';
export const defaultTemplates: Record<string, Record<SystemEmailKey, TemplateSource>> = { en, fa };

/** Variables every template may use, whatever its message. */
export const commonVariableNames = ['app_name', 'app_url'] as const;
/** Variables of a campaign's template (any key that is not a system message). */
export const campaignVariableNames = ['full_name', 'email', 'unsubscribe_url'] as const;

/** Sample values for previews, so an admin sees a whole message without typing every variable. */
export const sampleValues: Record<string, string | number> = {
  code: '123456',
  minutes: 10,
  amount: '$9.99',
  description: '100 credits',
  payment_id: '00000000-0000-4000-8000-000000000000',
  credits: 100,
  subject_name: 'Ada',
  url: 'https://atelier.example/app',
  download_url: 'https://atelier.example/download/sample.zip',
  expires_at: '2026-01-01 00:00 UTC',
  available: 3,
  credits_taken_back: 40,
  full_name: 'Ada Lovelace',
  email: 'ada@example.com',
  unsubscribe_url: 'https://atelier.example/api/v1/email/unsubscribe?token=sample',
};
