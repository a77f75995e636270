/**
 * A small client for the Atelier API (/api/v1) in cookie mode:
 * - auth requests send `X-Atelier-Auth: cookie`, so the tokens arrive as httpOnly cookies;
 * - state-changing requests echo the readable `atelier_csrf` cookie in `X-CSRF-Token`;
 * - a 401 triggers one refresh and one retry; if the refresh fails, the app is told the session
 *   has ended (it then shows the sign-in screen).
 * Errors are application/problem+json and surface as `ApiError`.
 */

import type { JsonSchema } from './params-schema.ts';

export type Role = 'user' | 'vendor' | 'admin';

export interface VendorProfile {
  business_name: string;
  slug: string;
  is_verified?: boolean;
}

export interface User {
  id: string;
  email: string | null;
  phone: string | null;
  full_name: string | null;
  role: Role;
  is_active: boolean;
  email_verified: boolean;
  phone_verified: boolean;
  credits: { available: number; held: number };
  plan: { id: string; name: string; display_name: string; source: 'subscription' | 'free' } | null;
  vendor_profile?: VendorProfile;
  created_at: string;
}

export interface AuthResponse {
  user: User;
  expires_in: number;
}

export interface FieldError {
  path: string;
  message: string;
}

interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly fieldErrors: FieldError[];

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `Request failed (${status}).`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? 'unknown';
    this.title = problem.title ?? '';
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

/** `body.password` → `password`; `body` → `` (an error about the whole request). */
export const fieldName = (path: string): string => path.replace(/^body\.?/, '');

/**
 * Splits an error into messages for the fields a form shows and the rest (shown at the top).
 * Unknown errors become a generic message.
 */
export function describeError(err: unknown, fields: readonly string[]): { message: string; fields: Record<string, string>; other: string[] } {
  if (!(err instanceof ApiError)) return { message: 'Something went wrong. Please try again.', fields: {}, other: [] };
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

const API = '/api/v1';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The readable CSRF cookie exists while a cookie session might be alive. */
export const hasSessionHint = (): boolean => Boolean(readCookie('atelier_csrf'));

let onSessionExpired: (() => void) | null = null;
/** The app registers what to do when a session cannot be refreshed (go to sign-in). */
export function setSessionExpiredHandler(fn: (() => void) | null): void {
  onSessionExpired = fn;
}

interface RequestOptions {
  body?: unknown;
  /** A multipart body (uploads); the browser sets its Content-Type with the boundary. */
  form?: FormData;
  headers?: Record<string, string>;
  /** Send `X-Atelier-Auth: cookie` (sign-in style requests). */
  cookieAuth?: boolean;
  /** On a 401, refresh the session once and retry (off for the auth endpoints themselves). */
  retryOn401?: boolean;
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.cookieAuth) headers['X-Atelier-Auth'] = 'cookie';
  if (STATE_CHANGING.has(method)) {
    const csrf = readCookie('atelier_csrf');
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  try {
    return await fetch(API + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.form ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
  } catch {
    throw new ApiError(0, { code: 'network_error', detail: 'Could not reach Atelier. Check your connection and try again.' });
  }
}

async function parse<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const problem = (data && typeof data === 'object' ? data : {}) as Problem;
    throw new ApiError(res.status, problem);
  }
  return data as T;
}

/** One refresh at a time: parallel 401s share it. */
let refreshing: Promise<boolean> | null = null;

export function refreshSession(): Promise<boolean> {
  refreshing ??= send('POST', '/auth/refresh', { body: {}, cookieAuth: true })
    .then((res) => res.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const retry = opts.retryOn401 ?? !opts.cookieAuth;
  let res = await send(method, path, opts);
  if (res.status === 401 && retry) {
    if (await refreshSession()) {
      res = await send(method, path, opts);
    } else {
      onSessionExpired?.();
    }
  }
  return parse<T>(res);
}

export type Identifier = { email: string } | { phone: string };

export interface RegisterInput {
  email?: string;
  phone?: string;
  password: string;
  full_name?: string;
  account_type: 'user' | 'vendor';
  business_name?: string;
}

export type OtpPurpose = 'email_verify' | 'phone_verify' | 'password_reset' | 'login';

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface Credits {
  available: number;
  held: number;
  total_purchased: number;
  total_used: number;
  expiring: Array<{ amount: number; expires_at: string }>;
}

export interface LedgerRow {
  id: string;
  type: string;
  amount: number;
  balance_after: number;
  description: string | null;
  created_at: string;
}

export interface CreditPackage {
  id: string;
  name: string;
  description: string | null;
  credits: number;
  amount_minor: number;
  currency: string;
  is_featured: boolean;
}

export interface Plan {
  id: string;
  name: string;
  display_name: string;
  amount_minor: number;
  currency: string;
  billing_period: 'none' | 'month' | 'year';
  credits_per_period: number;
  has_watermark: boolean;
  features: string[];
}

export type PaymentProvider = 'stripe' | 'zarinpal' | 'manual';

export interface Payment {
  id: string;
  purpose: 'package' | 'plan' | 'gift_card';
  provider: PaymentProvider;
  status: 'pending' | 'completed' | 'failed' | 'cancelled' | 'expired' | 'refunded';
  amount_minor: number;
  discount_minor: number;
  currency: string;
  credits: number;
  created_at: string;
}

export interface Subscription {
  id: string;
  status: string;
  plan: Plan;
  current_period_end: string | null;
  cancel_at_period_end: boolean;
}

export interface Asset {
  id: string;
  kind: string;
  filename: string;
  mime_type: string;
  size_bytes: number;
  width: number | null;
  height: number | null;
  url: string;
  thumbnail_url: string | null;
  is_favorite: boolean;
  rating: number | null;
  tags: string[];
  created_at: string;
  expires_at: string | null;
}

export interface AccountExport {
  id: string;
  status: 'pending' | 'processing' | 'completed' | 'failed';
  size_bytes: number | null;
  download_url: string | null;
  error: string | null;
  expires_at: string | null;
}

export interface GenerationType {
  type: string;
  studio: string;
  description: string;
  credits_per_output: number;
  params_schema: JsonSchema;
  providers: string[];
  /** Per provider, what it really makes of this type (it may be less than the description). */
  provider_details: { id: string; delivers: string }[];
  styles?: string[];
  sources: { min: number; max: number };
  needs: { prompt: boolean; subject: boolean; style: boolean };
}

export type GenerationStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';

export interface Generation {
  id: string;
  type: string;
  studio: string;
  status: GenerationStatus;
  prompt: string | null;
  params: Record<string, unknown>;
  num_outputs: number;
  provider: string;
  credits_reserved: number;
  credits_used: number;
  outputs: Asset[];
  error: { code: string; message: string } | null;
  queue_position: number | null;
  created_at: string;
  completed_at: string | null;
}

export interface GenerationInput {
  type: string;
  source_asset_ids?: string[];
  style?: string;
  prompt?: string;
  params: Record<string, unknown>;
  num_outputs: number;
}

export const FINAL_STATUSES: ReadonlySet<GenerationStatus> = new Set(['completed', 'failed', 'cancelled']);

/** The SSE stream of one generation (same origin: the session cookie goes along). */
export const generationEventsUrl = (id: string) => `${API}/generations/${encodeURIComponent(id)}/events`;

export type CheckoutInput = ({ package_id: string } | { plan_id: string }) & { provider: PaymentProvider; coupon_code?: string };

/** A fresh key per user action: a double click or a retried request cannot pay twice. */
const idempotencyKey = () => ({ 'Idempotency-Key': crypto.randomUUID() });

export const api = {
  register: (input: RegisterInput) => request<AuthResponse>('POST', '/auth/register', { body: input, cookieAuth: true }),
  login: (input: { email?: string; phone?: string; password: string }) => request<AuthResponse>('POST', '/auth/login', { body: input, cookieAuth: true }),
  logout: () => request<void>('POST', '/auth/logout', { body: {}, cookieAuth: true }),
  me: () => request<User>('GET', '/me'),
  requestOtp: (input: Identifier & { purpose: OtpPurpose }) => request<{ status: 'accepted' }>('POST', '/auth/otp/request', { body: input }),
  verifyOtp: (input: Identifier & { purpose: OtpPurpose; code: string }) =>
    request<{ verified: true; purpose: OtpPurpose } | AuthResponse>('POST', '/auth/otp/verify', { body: input, cookieAuth: true }),

  credits: () => request<Credits>('GET', '/credits'),
  transactions: () => request<Page<LedgerRow>>('GET', '/credits/transactions?limit=20'),
  packages: () => request<{ data: CreditPackage[] }>('GET', '/billing/packages'),
  plans: (audience: 'user' | 'vendor') => request<{ data: Plan[] }>('GET', `/billing/plans?audience=${audience}`),
  providers: () => request<{ providers: PaymentProvider[] }>('GET', '/billing/providers'),
  checkout: (input: CheckoutInput) =>
    request<{ payment: Payment; redirect_url: string | null }>('POST', '/billing/checkout', { body: input, headers: idempotencyKey() }),
  payment: (id: string) => request<Payment>('GET', `/billing/payments/${encodeURIComponent(id)}`),
  completeManual: (id: string) => request<Payment>('POST', `/billing/manual/${encodeURIComponent(id)}/complete`, { body: {} }),
  subscription: () => request<{ subscription: Subscription | null }>('GET', '/billing/subscription'),
  redeemGiftCard: (code: string) =>
    request<{ credits_awarded: number; available: number }>('POST', '/billing/gift-cards/redeem', { body: { code }, headers: idempotencyKey() }),
  redeemCoupon: (code: string) =>
    request<{ credits_awarded: number; available: number }>('POST', '/billing/coupons/redeem', { body: { code }, headers: idempotencyKey() }),

  assets: (query = '') => request<Page<Asset>>('GET', `/assets?limit=60${query}`),
  upload: (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<Asset>('POST', '/assets', { form });
  },
  updateAsset: (id: string, patch: Partial<Pick<Asset, 'is_favorite' | 'rating' | 'tags'>>) =>
    request<Asset>('PATCH', `/assets/${encodeURIComponent(id)}`, { body: patch }),
  deleteAsset: (id: string) => request<void>('DELETE', `/assets/${encodeURIComponent(id)}`),

  generationTypes: () => request<GenerationType[]>('GET', '/generation-types'),
  generations: () => request<Page<Generation>>('GET', '/generations?limit=20'),
  generation: (id: string) => request<Generation>('GET', `/generations/${encodeURIComponent(id)}`),
  generate: (input: GenerationInput) => request<Generation>('POST', '/generations', { body: input, headers: idempotencyKey() }),
  cancelGeneration: (id: string) => request<Generation>('POST', `/generations/${encodeURIComponent(id)}/cancel`, { body: {} }),

  requestExport: () => request<AccountExport>('POST', '/me/export', { body: {} }),
  getExport: (id: string) => request<AccountExport>('GET', `/me/exports/${encodeURIComponent(id)}`),
  deleteAccount: (password: string) => request<{ status: 'erasing' }>('DELETE', '/me', { body: { password } }),
};

/** 1999 USD minor units → "$19.99"; currencies the browser does not know fall back to "19.99 XYZ". */
export function formatMoney(amountMinor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, minimumFractionDigits: 2 }).format(amountMinor / 100);
  } catch {
    return `${(amountMinor / 100).toFixed(2)} ${currency}`;
  }
}

/**
 * describeError for the sign-in and sign-up forms: the server reports "email or phone is required"
 * on `email`; with the phone field in use, that message belongs under the phone field.
 */
export function describeIdentifierError(err: unknown, fields: readonly string[], channel: 'email' | 'phone') {
  const described = describeError(err, fields);
  if (channel === 'phone' && described.fields.email && !described.fields.phone) {
    described.fields.phone = described.fields.email;
    delete described.fields.email;
  }
  return described;
}
