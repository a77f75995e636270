/**
 * The only reader of process.env. Every variable is parsed by one zod schema; a bad value stops the
 * process with the variable's name, so a misconfigured deployment fails at start, not at first use.
 */
import path from 'node:path';
import { z } from 'zod';
import { generationTypes, providerIds, studios, type GenerationType, type Studio } from './modules/generation/providers/ids.ts';
import { presetNames, presets, type Preset, type PresetName } from './presets/presets.ts';

const onOff = z.enum(['on', 'off']);
// Blank variables are dropped before parsing (loadConfig), so "optional" covers `FOO=` too.
const optionalString = z.string().optional();
const optionalUrl = z.url().optional();
/** `type=model` pairs, comma separated: `generate=black-forest-labs/flux-schnell,upscale=…`. */
const modelMap = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const map: Partial<Record<GenerationType, string>> = {};
    for (const pair of (value ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
      const [type, model] = pair.split('=').map((s) => s.trim());
      if (!type || !model || !(generationTypes as readonly string[]).includes(type) || !/^[\w.:/-]+$/.test(model)) {
        ctx.addIssue({ code: 'custom', message: `"${pair}" is not type=model with a known generation type (${generationTypes.join(', ')})` });
        return z.NEVER;
      }
      map[type as GenerationType] = model;
    }
    return map;
  });

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ATELIER_DATA_DIR: z.string().default('./data'),
  ATELIER_PUBLIC_URL: optionalUrl,
  /** Signs access tokens and keys OTP hashes. Generated into the data dir when unset (embedded only). */
  ATELIER_SECRET: z.string().min(32).optional(),
  DATABASE_URL: optionalUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: optionalUrl,
  ATELIER_ADMIN_EMAIL: z.email().optional(),
  ATELIER_ADMIN_PASSWORD: z.string().min(8).optional(),
  /** The product this installation runs (API.md "Presets"); `all` offers every studio. */
  ATELIER_PRESET: z.enum(presetNames).optional(),
  /**
   * The languages this installation offers, its default first (`en,fa`): any product can be offered
   * in Persian as well. The preset's own when unset.
   */
  ATELIER_LOCALES: z
    .string()
    .regex(/^(en|fa)(,(en|fa))*$/, 'a comma-separated list of en and fa, the default first')
    .transform((list) => [...new Set(list.split(','))])
    .optional(),
  /** Credits granted at sign-up; the preset's own number when unset. */
  ATELIER_SIGNUP_CREDITS: z.coerce.number().int().min(0).optional(),
  /** A spend that leaves fewer credits available than this sends the low_balance notice (at most once a day); 0 turns it off. */
  ATELIER_LOW_BALANCE_CREDITS: z.coerce.number().int().min(0).default(5),
  /**
   * The outbox keeps every message sent, codes included (GET /api/v1/dev/outbox). Unset: on outside
   * production when no real transport is configured; beside a real transport it must be set (decision 050).
   */
  ATELIER_DEV_OUTBOX: onOff.optional(),
  /** Outgoing webhooks to private, local and reserved addresses: off unless set to on (decision 050). */
  ATELIER_WEBHOOKS_ALLOW_PRIVATE: onOff.optional(),
  /** GET /metrics answers only with `Authorization: Bearer <this>` (Prometheus' `authorization` setting). */
  ATELIER_METRICS_TOKEN: z.string().min(16).optional(),
  /** GET /metrics without a token: on by default outside production, off in production (decision 090). */
  ATELIER_METRICS_PUBLIC: onOff.optional(),
  ATELIER_ACCESS_TOKEN_TTL: z.coerce.number().int().min(60).max(86_400).default(900),
  ATELIER_AUTH_CACHE_TTL: z.coerce.number().int().min(0).max(3600).default(60),
  ATELIER_REFRESH_TOKEN_TTL: z.coerce.number().int().min(3600).default(30 * 86_400),
  ATELIER_RATE_LIMIT: onOff.default('on'),
  ATELIER_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  /** Behind a reverse proxy: trust its X-Forwarded-* headers for client ip and protocol. */
  ATELIER_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  MAIL_TRANSPORT: z.enum(['outbox', 'smtp', 'sendgrid']).optional(),
  SENDGRID_API_KEY: optionalString,
  SENDGRID_API_BASE: z.url().default('https://api.sendgrid.com'),
  /** The Event Webhook's verification key (base64 DER, as SendGrid shows it); the webhook route is served only with it. */
  SENDGRID_WEBHOOK_PUBLIC_KEY: optionalString,
  MAIL_FROM: z.string().default('Atelier <no-reply@atelier.local>'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be smtp:// or smtps://').optional(),
  /** Campaign messages per minute (one batch a minute). */
  EMAIL_CAMPAIGN_RATE: z.coerce.number().int().min(1).max(10_000).default(60),
  SMS_TRANSPORT: z.enum(['outbox', 'kavenegar', 'twilio']).optional(),
  KAVENEGAR_API_KEY: optionalString,
  KAVENEGAR_SENDER: optionalString,
  KAVENEGAR_API_BASE: z.url().default('https://api.kavenegar.com'),
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM: optionalString,
  TWILIO_API_BASE: z.url().default('https://api.twilio.com'),
  /** `on` enables the `manual` payment provider: payments completed by a request (offline, tests). */
  ATELIER_PAYMENTS_MANUAL: onOff.default('off'),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_BASE: z.url().default('https://api.stripe.com'),
  ZARINPAL_MERCHANT_ID: optionalString,
  ZARINPAL_API_BASE: z.url().default('https://payment.zarinpal.com'),
  /**
   * Origins besides the installation's own that a checkout's `return_url` may send the buyer back
   * to, comma separated (`https://shop.example,https://m.shop.example`); anything else is refused.
   */
  ATELIER_RETURN_URL_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)))
    .optional(),
  /** Seconds a payment may stay pending before the expiry job marks it expired (and frees its coupon use). */
  ATELIER_PAYMENT_PENDING_TTL: z.coerce.number().int().min(300).default(86_400),
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  S3_BUCKET: optionalString,
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: optionalUrl,
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_PREFIX: optionalString,
  /** Largest accepted upload, in bytes. */
  ATELIER_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(25 * 1024 * 1024),
  /** Largest accepted image, in pixels (width × height), checked from the header before decoding. */
  ATELIER_UPLOAD_MAX_PIXELS: z.coerce.number().int().min(1).default(100_000_000),
  /** Days a training or avatar upload is kept while nothing uses it (decision 110). */
  ATELIER_UNUSED_UPLOAD_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  // Image providers: each is enabled by its key; `*_MODELS` overrides the model per generation type.
  GEMINI_API_KEY: optionalString,
  GEMINI_API_BASE: z.url().default('https://generativelanguage.googleapis.com'),
  GEMINI_MODELS: modelMap,
  OPENAI_API_KEY: optionalString,
  OPENAI_API_BASE: z.url().default('https://api.openai.com'),
  OPENAI_ORGANIZATION: optionalString,
  OPENAI_MODELS: modelMap,
  OPENAI_IMAGE_QUALITY: z.enum(['low', 'medium', 'high', 'auto']).default('medium'),
  REPLICATE_API_TOKEN: optionalString,
  REPLICATE_API_BASE: z.url().default('https://api.replicate.com'),
  REPLICATE_MODELS: modelMap,
  REPLICATE_TRAINER: z.string().regex(/^[\w.-]+\/[\w.-]+:[0-9a-f]{64}$/, 'must be owner/name:version (64 hex digits)').optional(),
  REPLICATE_TRAINING_DESTINATION: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/model').optional(),
  FAL_KEY: optionalString,
  FAL_API_BASE: z.url().default('https://queue.fal.run'),
  FAL_MODELS: modelMap,
  /** Comma list of studios to offer; all when unset. */
  ATELIER_STUDIOS: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(studios)).min(1))
    .optional(),
  /** Providers tried in order for every type without its own route, e.g. `gemini,local`. */
  ATELIER_PROVIDERS: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(providerIds)).min(1))
    .default([...providerIds]),
  /** Per-type routes, `type=provider,provider;type=…`, e.g. `headshot=replicate,local;upscale=local`. */
  ATELIER_PROVIDER_ROUTES: z
    .string()
    .regex(/^\s*[a-z_]+=[a-z,\s]+(;\s*[a-z_]+=[a-z,\s]+)*;?\s*$/, 'type=provider,provider;type=provider')
    .optional(),
  /** Generations of one user that may run at the same time, across all workers. */
  ATELIER_GENERATION_CONCURRENCY_PER_USER: z.coerce.number().int().min(1).max(100).default(2),
  /** Generations one worker process runs at the same time. */
  ATELIER_GENERATION_WORKERS: z.coerce.number().int().min(1).max(64).default(4),
  /** Generation event streams (SSE) one user may hold open at once on one API process; more are 429. */
  ATELIER_EVENT_STREAMS_PER_USER: z.coerce.number().int().min(1).max(1000).default(5),
  /** Retries of a transient provider failure before the generation fails. */
  ATELIER_GENERATION_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /** On SIGTERM, how long running jobs may finish before they are aborted and handed back. */
  ATELIER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  ATELIER_WATERMARK_TEXT: z.string().max(40).default('Atelier'),
  // OAuth sign-in (decision 092): a provider is offered when its client id and secret are both set.
  OAUTH_GOOGLE_CLIENT_ID: optionalString,
  OAUTH_GOOGLE_CLIENT_SECRET: optionalString,
  /** The OpenID issuer; its discovery document names every endpoint (a stand-in in tests). */
  OAUTH_GOOGLE_ISSUER: z.url().default('https://accounts.google.com'),
  OAUTH_GITHUB_CLIENT_ID: optionalString,
  OAUTH_GITHUB_CLIENT_SECRET: optionalString,
  /** Where /login/oauth/authorize and /login/oauth/access_token live. */
  OAUTH_GITHUB_WEB_BASE: z.url().default('https://github.com'),
  /** Where /user and /user/emails live. */
  OAUTH_GITHUB_API_BASE: z.url().default('https://api.github.com'),
});

export type Env = z.infer<typeof ZEnv>;

/** Every environment variable Atelier reads (the deployment files are checked against it). */
export const configVariables: readonly string[] = Object.keys(ZEnv.shape);

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  /** What user-given webhook URLs may reach (src/platform/http/outbound-url.ts). */
  webhooks: { allowPrivate: boolean };
  /**
   * Who may read GET /metrics (request counts per route, queue and pool figures): anyone, only a
   * scraper with the token, or no one (404). Off by default in production.
   */
  metrics: { access: 'public' } | { access: 'token'; token: string } | { access: 'off' };
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  publicUrl: string | undefined;
  secret: string | undefined;
  database: { url: string | undefined; poolSize: number };
  redisUrl: string | undefined;
  admin: { email: string; password: string } | undefined;
  /** The product; `explicit` when ATELIER_PRESET set it (else a recorded or the default one may apply). */
  preset: Preset & { explicit: boolean };
  signupCredits: number;
  /** Below this many available credits after a spend, the owner gets the low_balance notice (0: never). */
  lowBalanceCredits: number;
  /**
   * `enabled`: messages are kept in the outbox table and GET /api/v1/dev/outbox is served.
   * `access`: `anyone` only in pure development (not production, no real mail or SMS transport),
   * where the outbox is the only way to read a code; `admin` otherwise (decision 050).
   */
  devOutbox: { enabled: boolean; access: 'anyone' | 'admin' };
  /** `principalCacheTtlSec`: the upper bound on a cached principal's life; 0 turns the cache off (decision 070). */
  auth: { accessTokenTtlSec: number; refreshTokenTtlSec: number; principalCacheTtlSec: number };
  rateLimit: boolean;
  bodyLimit: number;
  trustProxy: boolean;
  mail: {
    transport: 'outbox' | 'smtp' | 'sendgrid';
    from: string;
    smtpUrl: string | undefined;
    sendgrid: { apiKey: string | undefined; apiBase: string; webhookPublicKey: string | undefined };
    campaignBatch: number;
    campaignIntervalSec: number;
  };
  sms:
    | { transport: 'outbox' }
    | { transport: 'kavenegar'; apiKey: string; sender: string | undefined; apiBase: string }
    | { transport: 'twilio'; accountSid: string; authToken: string; from: string; apiBase: string };
  payments: {
    manual: boolean;
    stripe: { secretKey: string; webhookSecret: string; apiBase: string } | undefined;
    zarinpal: { merchantId: string; apiBase: string } | undefined;
    pendingTtlSec: number;
    /** Where a checkout may send the buyer back to, besides the installation's own origin. */
    returnUrlOrigins: string[];
  };
  storage:
    | { driver: 'local' }
    | {
        driver: 's3';
        s3: {
          bucket: string;
          region: string;
          endpoint: string | undefined;
          forcePathStyle: boolean;
          accessKeyId: string | undefined;
          secretAccessKey: string | undefined;
          prefix: string | undefined;
        };
      };
  uploads: { maxBytes: number; maxPixels: number; unusedDays: number };
  /** External image providers; one is undefined when its key is not set. */
  providers: {
    gemini: { apiKey: string; apiBase: string; models: Partial<Record<GenerationType, string>> } | undefined;
    openai:
      | { apiKey: string; apiBase: string; organization: string | undefined; quality: Env['OPENAI_IMAGE_QUALITY']; models: Partial<Record<GenerationType, string>> }
      | undefined;
    replicate:
      | {
          apiToken: string;
          apiBase: string;
          models: Partial<Record<GenerationType, string>>;
          trainer: string | undefined;
          trainingDestination: string | undefined;
        }
      | undefined;
    fal: { apiKey: string; apiBase: string; models: Partial<Record<GenerationType, string>> } | undefined;
  };
  generation: {
    studios: Studio[];
    defaultProviders: string[];
    /** type → providers in order; from ATELIER_PROVIDER_ROUTES. */
    routes: Record<string, string[]>;
    concurrencyPerUser: number;
    /** Open event streams per user and API process (issue 16, item 9). */
    eventStreamsPerUser: number;
    workers: number;
    retries: number;
    shutdownGraceSec: number;
    watermarkText: string;
  };
  /** OAuth sign-in providers; one is undefined when its client id and secret are not both set. */
  oauth: {
    google: { clientId: string; clientSecret: string; issuer: string } | undefined;
    github: { clientId: string; clientSecret: string; webBase: string; apiBase: string } | undefined;
  };
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Rules that involve more than one variable; read from the raw values so they are reported
 * together with any bad single value. */
function crossProblems(raw: Record<string, string>): string[] {
  const problems: string[] = [];
  if (Boolean(raw.ATELIER_ADMIN_EMAIL) !== Boolean(raw.ATELIER_ADMIN_PASSWORD)) {
    problems.push('ATELIER_ADMIN_EMAIL and ATELIER_ADMIN_PASSWORD: set both or neither');
  }
  if (raw.NODE_ENV === 'production' && !raw.ATELIER_SECRET) {
    problems.push('ATELIER_SECRET: required in production (at least 32 characters, shared by every node)');
  }
  if (raw.MAIL_TRANSPORT === 'smtp' && !raw.SMTP_URL) problems.push('SMTP_URL: required when MAIL_TRANSPORT=smtp');
  if (raw.MAIL_TRANSPORT === 'sendgrid' && !raw.SENDGRID_API_KEY) problems.push('SENDGRID_API_KEY: required when MAIL_TRANSPORT=sendgrid');
  const sms = smsTransportOf(raw);
  // The outbox defaults to on outside production; beside a real transport that default would copy
  // every login and reset code into it, so a forgotten NODE_ENV stops the start instead (decision 050).
  if (raw.NODE_ENV !== 'production' && !raw.ATELIER_DEV_OUTBOX && (mailTransportOf(raw) !== 'outbox' || sms !== 'outbox')) {
    problems.push(
      'ATELIER_DEV_OUTBOX: must be set (on or off) when a real mail or SMS transport is configured outside production; ' +
        'a live installation sets NODE_ENV=production (the outbox is then off)',
    );
  }
  if (sms === 'kavenegar' && !raw.KAVENEGAR_API_KEY) problems.push('KAVENEGAR_API_KEY: required when SMS_TRANSPORT=kavenegar');
  if (sms === 'twilio' && !(raw.TWILIO_ACCOUNT_SID && raw.TWILIO_AUTH_TOKEN && raw.TWILIO_FROM)) {
    problems.push('TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM: all required when SMS_TRANSPORT=twilio');
  }
  if (raw.STRIPE_WEBHOOK_SECRET && !raw.STRIPE_SECRET_KEY) problems.push('STRIPE_SECRET_KEY: required when STRIPE_WEBHOOK_SECRET is set');
  // Stripe payments complete only by verified webhooks: a key without a webhook secret could take money it never credits.
  if (raw.STRIPE_SECRET_KEY && !raw.STRIPE_WEBHOOK_SECRET) problems.push('STRIPE_WEBHOOK_SECRET: required when STRIPE_SECRET_KEY is set');
  if (raw.STORAGE_DRIVER === 's3' && !raw.S3_BUCKET) problems.push('S3_BUCKET: required when STORAGE_DRIVER=s3');
  for (const p of ['GOOGLE', 'GITHUB']) {
    if (Boolean(raw[`OAUTH_${p}_CLIENT_ID`]) !== Boolean(raw[`OAUTH_${p}_CLIENT_SECRET`])) {
      problems.push(`OAUTH_${p}_CLIENT_ID and OAUTH_${p}_CLIENT_SECRET: set both or neither`);
    }
  }
  if (Boolean(raw.REPLICATE_TRAINER) !== Boolean(raw.REPLICATE_TRAINING_DESTINATION)) {
    problems.push('REPLICATE_TRAINER and REPLICATE_TRAINING_DESTINATION: set both or neither');
  }
  for (const [type, list] of Object.entries(parseRoutes(raw.ATELIER_PROVIDER_ROUTES))) {
    if (!ROUTE_TYPES.has(type)) problems.push(`ATELIER_PROVIDER_ROUTES: unknown generation type ${type}`);
    for (const id of list) if (!ROUTE_PROVIDERS.has(id)) problems.push(`ATELIER_PROVIDER_ROUTES: unknown provider ${id} for ${type}`);
  }
  return problems;
}

/** `headshot=replicate,local;upscale=local` → { headshot: ['replicate','local'], upscale: ['local'] }. */
function parseRoutes(raw: string | undefined): Record<string, string[]> {
  const routes: Record<string, string[]> = {};
  for (const part of (raw ?? '').split(';').map((x) => x.trim()).filter(Boolean)) {
    const [type, list] = part.split('=') as [string, string];
    routes[type.trim()] = list.split(',').map((x) => x.trim()).filter(Boolean);
  }
  return routes;
}

const ROUTE_TYPES = new Set<string>(generationTypes);
const ROUTE_PROVIDERS = new Set<string>(providerIds);

const mailTransportOf = (raw: Record<string, string | undefined>) => raw.MAIL_TRANSPORT ?? (raw.SMTP_URL ? 'smtp' : 'outbox');

const smsTransportOf = (raw: Record<string, string | undefined>) =>
  raw.SMS_TRANSPORT ?? (raw.KAVENEGAR_API_KEY ? 'kavenegar' : raw.TWILIO_ACCOUNT_SID ? 'twilio' : 'outbox');

/**
 * The configuration of the same environment with another preset, as if ATELIER_PRESET named it: a
 * process started without one runs the preset its database records (`init --preset`).
 */
export function configWithPreset(source: Record<string, string | undefined>, name: PresetName): Config {
  return loadConfig({ ...source, ATELIER_PRESET: name });
}

/** Parses an environment (process.env by default). Throws ConfigError naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // A blank variable means "unset": `PORT=` is the default port, not port 0.
  const raw = Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''),
  );
  const parsed = ZEnv.safeParse(raw);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)), ...crossProblems(raw)];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const preset = presets[e.ATELIER_PRESET ?? 'all'];
  const mailTransport = mailTransportOf(raw) as Config['mail']['transport'];
  const smsTransport = smsTransportOf(raw);
  const sms: Config['sms'] =
    smsTransport === 'kavenegar'
      ? { transport: 'kavenegar', apiKey: e.KAVENEGAR_API_KEY!, sender: e.KAVENEGAR_SENDER, apiBase: e.KAVENEGAR_API_BASE }
      : smsTransport === 'twilio'
        ? { transport: 'twilio', accountSid: e.TWILIO_ACCOUNT_SID!, authToken: e.TWILIO_AUTH_TOKEN!, from: e.TWILIO_FROM!, apiBase: e.TWILIO_API_BASE }
        : { transport: 'outbox' };

  return {
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.ATELIER_DATA_DIR),
    publicUrl: e.ATELIER_PUBLIC_URL,
    secret: e.ATELIER_SECRET,
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    redisUrl: e.REDIS_URL,
    admin: e.ATELIER_ADMIN_EMAIL && e.ATELIER_ADMIN_PASSWORD ? { email: e.ATELIER_ADMIN_EMAIL, password: e.ATELIER_ADMIN_PASSWORD } : undefined,
    preset: {
      ...preset,
      ...(e.ATELIER_LOCALES ? { locales: e.ATELIER_LOCALES, defaultLocale: e.ATELIER_LOCALES[0]! } : {}),
      explicit: e.ATELIER_PRESET !== undefined,
    },
    signupCredits: e.ATELIER_SIGNUP_CREDITS ?? preset.signupCredits,
    lowBalanceCredits: e.ATELIER_LOW_BALANCE_CREDITS,
    devOutbox: {
      enabled: (e.ATELIER_DEV_OUTBOX ?? (isProduction ? 'off' : 'on')) === 'on',
      access: !isProduction && mailTransport === 'outbox' && smsTransport === 'outbox' ? 'anyone' : 'admin',
    },
    webhooks: { allowPrivate: e.ATELIER_WEBHOOKS_ALLOW_PRIVATE === 'on' },
    metrics: e.ATELIER_METRICS_TOKEN
      ? { access: 'token', token: e.ATELIER_METRICS_TOKEN }
      : { access: (e.ATELIER_METRICS_PUBLIC ?? (isProduction ? 'off' : 'on')) === 'on' ? 'public' : 'off' },
    auth: { accessTokenTtlSec: e.ATELIER_ACCESS_TOKEN_TTL, refreshTokenTtlSec: e.ATELIER_REFRESH_TOKEN_TTL, principalCacheTtlSec: e.ATELIER_AUTH_CACHE_TTL },
    rateLimit: e.ATELIER_RATE_LIMIT === 'on',
    bodyLimit: e.ATELIER_BODY_LIMIT,
    trustProxy: e.ATELIER_TRUST_PROXY === 'true',
    mail: {
      transport: mailTransport,
      from: e.MAIL_FROM,
      smtpUrl: e.SMTP_URL,
      sendgrid: { apiKey: e.SENDGRID_API_KEY, apiBase: e.SENDGRID_API_BASE, webhookPublicKey: e.SENDGRID_WEBHOOK_PUBLIC_KEY },
      campaignBatch: e.EMAIL_CAMPAIGN_RATE,
      campaignIntervalSec: 60,
    },
    sms,
    payments: {
      manual: e.ATELIER_PAYMENTS_MANUAL === 'on',
      stripe: e.STRIPE_SECRET_KEY ? { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET!, apiBase: e.STRIPE_API_BASE } : undefined,
      zarinpal: e.ZARINPAL_MERCHANT_ID ? { merchantId: e.ZARINPAL_MERCHANT_ID, apiBase: e.ZARINPAL_API_BASE } : undefined,
      pendingTtlSec: e.ATELIER_PAYMENT_PENDING_TTL,
      returnUrlOrigins: e.ATELIER_RETURN_URL_ORIGINS ?? [],
    },
    storage:
      e.STORAGE_DRIVER === 's3'
        ? {
            driver: 's3',
            s3: {
              bucket: e.S3_BUCKET!,
              region: e.S3_REGION,
              endpoint: e.S3_ENDPOINT,
              forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true',
              accessKeyId: e.S3_ACCESS_KEY_ID,
              secretAccessKey: e.S3_SECRET_ACCESS_KEY,
              prefix: e.S3_PREFIX,
            },
          }
        : { driver: 'local' },
    uploads: { maxBytes: e.ATELIER_UPLOAD_MAX_BYTES, maxPixels: e.ATELIER_UPLOAD_MAX_PIXELS, unusedDays: e.ATELIER_UNUSED_UPLOAD_DAYS },
    providers: {
      gemini: e.GEMINI_API_KEY ? { apiKey: e.GEMINI_API_KEY, apiBase: e.GEMINI_API_BASE, models: e.GEMINI_MODELS } : undefined,
      openai: e.OPENAI_API_KEY
        ? { apiKey: e.OPENAI_API_KEY, apiBase: e.OPENAI_API_BASE, organization: e.OPENAI_ORGANIZATION, quality: e.OPENAI_IMAGE_QUALITY, models: e.OPENAI_MODELS }
        : undefined,
      replicate: e.REPLICATE_API_TOKEN
        ? {
            apiToken: e.REPLICATE_API_TOKEN,
            apiBase: e.REPLICATE_API_BASE,
            models: e.REPLICATE_MODELS,
            trainer: e.REPLICATE_TRAINER,
            trainingDestination: e.REPLICATE_TRAINING_DESTINATION,
          }
        : undefined,
      fal: e.FAL_KEY ? { apiKey: e.FAL_KEY, apiBase: e.FAL_API_BASE, models: e.FAL_MODELS } : undefined,
    },
    generation: {
      studios: e.ATELIER_STUDIOS ?? [...preset.studios],
      defaultProviders: e.ATELIER_PROVIDERS,
      routes: parseRoutes(e.ATELIER_PROVIDER_ROUTES),
      concurrencyPerUser: e.ATELIER_GENERATION_CONCURRENCY_PER_USER,
      eventStreamsPerUser: e.ATELIER_EVENT_STREAMS_PER_USER,
      workers: e.ATELIER_GENERATION_WORKERS,
      retries: e.ATELIER_GENERATION_RETRIES,
      shutdownGraceSec: e.ATELIER_SHUTDOWN_GRACE_SECONDS,
      watermarkText: e.ATELIER_WATERMARK_TEXT,
    },
    oauth: {
      google:
        e.OAUTH_GOOGLE_CLIENT_ID && e.OAUTH_GOOGLE_CLIENT_SECRET
          ? { clientId: e.OAUTH_GOOGLE_CLIENT_ID, clientSecret: e.OAUTH_GOOGLE_CLIENT_SECRET, issuer: e.OAUTH_GOOGLE_ISSUER }
          : undefined,
      github:
        e.OAUTH_GITHUB_CLIENT_ID && e.OAUTH_GITHUB_CLIENT_SECRET
          ? { clientId: e.OAUTH_GITHUB_CLIENT_ID, clientSecret: e.OAUTH_GITHUB_CLIENT_SECRET, webBase: e.OAUTH_GITHUB_WEB_BASE, apiBase: e.OAUTH_GITHUB_API_BASE }
          : undefined,
    },
  };
}

/**
 * Settings that are fine on a developer's machine and unsafe on a live installation, one sentence
 * each naming the variable; the server logs them as warnings at start (docs/security.md).
 */
export function unsafeSettings(c: Config): string[] {
  const found: string[] = [];
  if (!c.isProduction) found.push(`NODE_ENV is ${c.env}, not production: cookies are not Secure without an https ATELIER_PUBLIC_URL, no HSTS, and development defaults apply`);
  if (c.devOutbox.enabled) {
    found.push(
      c.devOutbox.access === 'anyone'
        ? 'ATELIER_DEV_OUTBOX is on: GET /api/v1/dev/outbox shows every code sent to anyone, without sign-in'
        : 'ATELIER_DEV_OUTBOX is on: a copy of every message sent, codes included, is kept and shown to administrators',
    );
  }
  if (c.webhooks.allowPrivate) found.push('ATELIER_WEBHOOKS_ALLOW_PRIVATE is on: users can make the server post to private and local addresses');
  if (c.metrics.access === 'public') found.push('GET /metrics is open to anyone: set ATELIER_METRICS_TOKEN (sent by the scraper as a bearer token) or ATELIER_METRICS_PUBLIC=off');
  if (!c.secret) found.push('ATELIER_SECRET is not set: a secret is generated into the data directory, which only a single node can share');
  if (!c.publicUrl?.startsWith('https:')) found.push('ATELIER_PUBLIC_URL is not an https URL: asset links and payment return addresses are built from the request host or localhost');
  if (!c.rateLimit) found.push('ATELIER_RATE_LIMIT is off: sign-in, code and reset requests are not limited');
  if (c.payments.manual) found.push('ATELIER_PAYMENTS_MANUAL is on: users can complete their own payments without paying');
  return found;
}
