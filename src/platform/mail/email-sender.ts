/**
 * The port every module sends email through: a template key and its typed variables, never a
 * hand-written body. The notifications module implements it (templates from the database, per
 * locale, an email log row per message) and the composition root hands it to the modules below.
 */

/** Messages the system itself sends; each has a default template in English and Persian. */
export const systemEmailKeys = ['email_verify', 'one_time_code', 'password_reset', 'payment_receipt', 'gift_card', 'training_ready', 'export_ready', 'low_balance', 'refund_notice'] as const;
export type SystemEmailKey = (typeof systemEmailKeys)[number];

export interface SystemEmailVariables {
  email_verify: { code: string; minutes: number };
  one_time_code: { code: string; minutes: number };
  password_reset: { code: string; minutes: number };
  payment_receipt: { amount: string; description: string; payment_id: string };
  gift_card: { code: string; credits: number };
  training_ready: { subject_name: string; url: string };
  export_ready: { download_url: string; expires_at: string };
  low_balance: { available: number; url: string };
  refund_notice: { amount: string; payment_id: string; credits_taken_back: number };
}

/** The variable names of each system message, for checking templates at save. */
export const systemEmailVariableNames: { [K in SystemEmailKey]: readonly (keyof SystemEmailVariables[K])[] } = {
  email_verify: ['code', 'minutes'],
  one_time_code: ['code', 'minutes'],
  password_reset: ['code', 'minutes'],
  payment_receipt: ['amount', 'description', 'payment_id'],
  gift_card: ['code', 'credits'],
  training_ready: ['subject_name', 'url'],
  export_ready: ['download_url', 'expires_at'],
  low_balance: ['available', 'url'],
  refund_notice: ['amount', 'payment_id', 'credits_taken_back'],
};

export type SystemEmail = { [K in SystemEmailKey]: { template: K; variables: SystemEmailVariables[K] } }[SystemEmailKey];

export type EmailRequest = SystemEmail & {
  to: string;
  /** The recipient's locale when known; templates fall back to English. */
  locale?: string | null;
  /** A one-time code or gift-card code the message carries; only the dev outbox shows it. */
  code?: string;
};

export interface EmailSender {
  /** Renders, logs and sends; throws the transport's DeliveryError when it fails (the log says `failed`). */
  send(m: EmailRequest): Promise<void>;
}
