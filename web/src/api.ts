/**
 * The calls the screens make, each one typed end to end by the generated `paths` (decision 080):
 * a path, body or answer that does not match the server's OpenAPI document does not compile. The
 * transport (cookies, CSRF, refresh-and-retry) is `api/client.ts`; the wire types are `api/types.ts`.
 */
import { API_BASE, ApiError, client, cookieAuth, idempotencyKey, unwrap } from './api/client.ts';
import type { AssetPatch, CheckoutInput, GenerationInput, GenerationStatus, LoginInput, OtpRequest, OtpVerify, RegisterInput } from './api/types.ts';

export { ApiError, hasSessionHint, refreshSession, setSessionExpiredHandler } from './api/client.ts';
export type * from './api/types.ts';

/** `body.password` → `password`; `body` → `` (an error about the whole request). */
export const fieldName = (path: string): string => path.replace(/^body\.?/, '');

/**
 * Splits an error into messages for the fields a form shows and the rest (shown at the top).
 * Unknown errors become the generic message the caller gives (already in the reader's language).
 */
export function describeError(err: unknown, fields: readonly string[], generic = 'Something went wrong. Please try again.'): { message: string; fields: Record<string, string>; other: string[] } {
  if (!(err instanceof ApiError)) return { message: generic, fields: {}, other: [] };
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const fe of err.fieldErrors) {
    const name = fieldName(fe.path);
    if (fields.includes(name)) {
      // One message per field is enough; the first is the most basic one.
      byField[name] ??= fe.message;
    } else {
      other.push(name ? `${name.replaceAll('_', ' ')}: ${fe.message}` : fe.message);
    }
  }
  return { message: err.message, fields: byField, other };
}

/**
 * describeError for the sign-in and sign-up forms: the server reports "email or phone is required"
 * on `email`; with the phone field in use, that message belongs under the phone field.
 */
export function describeIdentifierError(err: unknown, fields: readonly string[], channel: 'email' | 'phone', generic?: string) {
  const described = describeError(err, fields, generic);
  if (channel === 'phone' && described.fields.email && !described.fields.phone) {
    described.fields.phone = described.fields.email;
    delete described.fields.email;
  }
  return described;
}

export const FINAL_STATUSES: ReadonlySet<GenerationStatus> = new Set(['completed', 'failed', 'cancelled']);

/** The SSE stream of one generation (same origin: the session cookie goes along). */
export const generationEventsUrl = (id: string) => `${API_BASE}/generations/${encodeURIComponent(id)}/events`;

const id = (value: string) => ({ path: { id: value } });

export const api = {
  config: () => unwrap(client.GET('/api/v1/config')),

  register: (body: RegisterInput) => unwrap(client.POST('/api/v1/auth/register', { body, headers: cookieAuth })),
  login: (body: LoginInput) => unwrap(client.POST('/api/v1/auth/login', { body, headers: cookieAuth })),
  logout: () => unwrap(client.POST('/api/v1/auth/logout', { body: {}, headers: cookieAuth })),
  me: () => unwrap(client.GET('/api/v1/me')),
  /** The account's language: the server writes its words (and sends its emails) in it (decision 104). */
  setLocale: (locale: string) => unwrap(client.PATCH('/api/v1/me/preferences', { body: { locale } })),
  requestOtp: (body: OtpRequest) => unwrap(client.POST('/api/v1/auth/otp/request', { body })),
  verifyOtp: (body: OtpVerify) => unwrap(client.POST('/api/v1/auth/otp/verify', { body, headers: cookieAuth })),

  credits: () => unwrap(client.GET('/api/v1/credits')),
  transactions: () => unwrap(client.GET('/api/v1/credits/transactions', { params: { query: { limit: 20 } } })),
  packages: () => unwrap(client.GET('/api/v1/billing/packages')),
  plans: (audience: 'user' | 'vendor') => unwrap(client.GET('/api/v1/billing/plans', { params: { query: { audience } } })),
  providers: () => unwrap(client.GET('/api/v1/billing/providers')),
  checkout: (body: CheckoutInput) => unwrap(client.POST('/api/v1/billing/checkout', { body, params: { header: idempotencyKey() } })),
  payment: (paymentId: string) => unwrap(client.GET('/api/v1/billing/payments/{payment_id}', { params: { path: { payment_id: paymentId } } })),
  completeManual: (paymentId: string) =>
    unwrap(client.POST('/api/v1/billing/manual/{payment_id}/complete', { params: { path: { payment_id: paymentId } } })),
  subscription: () => unwrap(client.GET('/api/v1/billing/subscription')),
  redeemGiftCard: (code: string) => unwrap(client.POST('/api/v1/billing/gift-cards/redeem', { body: { code }, params: { header: idempotencyKey() } })),
  redeemCoupon: (code: string) => unwrap(client.POST('/api/v1/billing/coupons/redeem', { body: { code }, params: { header: idempotencyKey() } })),

  assets: (favorite = false) => unwrap(client.GET('/api/v1/assets', { params: { query: { limit: 60, ...(favorite ? { favorite: 'true' as const } : {}) } } })),
  /** Uploads an image; `purpose` as the API takes it (an avatar, a training photo), a plain upload when absent. */
  upload: (file: File, purpose?: 'avatar' | 'training') =>
    unwrap(
      client.POST('/api/v1/assets', {
        // The generated multipart body names the part; the browser's FormData carries the file.
        body: { file: file.name, ...(purpose ? { purpose } : {}) },
        bodySerializer: () => {
          const form = new FormData();
          if (purpose) form.append('purpose', purpose);
          form.append('file', file, file.name);
          return form;
        },
      }),
    ),
  updateAsset: (assetId: string, body: AssetPatch) => unwrap(client.PATCH('/api/v1/assets/{id}', { params: id(assetId), body })),
  deleteAsset: (assetId: string) => unwrap(client.DELETE('/api/v1/assets/{id}', { params: id(assetId) })),

  generationTypes: () => unwrap(client.GET('/api/v1/generation-types')),
  generations: () => unwrap(client.GET('/api/v1/generations', { params: { query: { limit: 20 } } })),
  generation: (generationId: string) => unwrap(client.GET('/api/v1/generations/{id}', { params: id(generationId) })),
  generate: (body: GenerationInput) => unwrap(client.POST('/api/v1/generations', { body, params: { header: idempotencyKey() } })),
  cancelGeneration: (generationId: string) => unwrap(client.POST('/api/v1/generations/{id}/cancel', { params: id(generationId) })),

  requestExport: () => unwrap(client.POST('/api/v1/me/export')),
  getExport: (exportId: string) => unwrap(client.GET('/api/v1/me/exports/{id}', { params: id(exportId) })),
  deleteAccount: (password: string) => unwrap(client.DELETE('/api/v1/me', { body: { password } })),
};
