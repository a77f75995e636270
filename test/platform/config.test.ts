/**
 * loadConfig(env): defaults, parsing, and errors that name every bad variable.
 * Real: loadConfig and its zod schema. Stand-in: the environment is a plain object per test, never
 * process.env.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { problemsOf } from '../helpers/config.ts';

describe('loadConfig', () => {
  it('has working defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      env: 'development',
      isProduction: false,
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      signupCredits: 2,
      devOutbox: { enabled: true, access: 'anyone' },
      rateLimit: true,
      bodyLimit: 1_048_576,
      trustProxy: false,
      redisUrl: undefined,
      admin: undefined,
      mail: { transport: 'outbox' },
      sms: { transport: 'outbox' },
      auth: { accessTokenTtlSec: 900, refreshTokenTtlSec: 30 * 86_400, principalCacheTtlSec: 60 },
      database: { url: undefined, poolSize: 10 },
    });
    expect(c.dataDir).toBe(path.resolve('./data'));
  });

  it('parses numbers, switches and URLs', () => {
    const c = loadConfig({
      PORT: '8080',
      ATELIER_SIGNUP_CREDITS: '0',
      ATELIER_RATE_LIMIT: 'off',
      ATELIER_BODY_LIMIT: '2048',
      ATELIER_TRUST_PROXY: 'true',
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgres://u@h:5432/db',
      ATELIER_DEV_OUTBOX: 'off',
    });
    expect(c).toMatchObject({
      port: 8080,
      signupCredits: 0,
      rateLimit: false,
      bodyLimit: 2048,
      trustProxy: true,
      redisUrl: 'redis://127.0.0.1:6379',
      devOutbox: { enabled: false, access: 'anyone' },
      database: { url: 'postgres://u@h:5432/db' },
    });
  });

  it('treats blank optional values as unset', () => {
    const c = loadConfig({ REDIS_URL: '', DATABASE_URL: '  ', ATELIER_SECRET: '' });
    expect(c.redisUrl).toBeUndefined();
    expect(c.database.url).toBeUndefined();
    expect(c.secret).toBeUndefined();
  });

  it('names both PORT and ATELIER_SIGNUP_CREDITS when both are bad', () => {
    const problems = problemsOf({ PORT: 'abc', ATELIER_SIGNUP_CREDITS: '-1' });
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('ATELIER_SIGNUP_CREDITS:'))).toBe(true);
  });

  it('puts every problem in the error message too', () => {
    try {
      loadConfig({ PORT: '70000', LOG_LEVEL: 'loud', REDIS_URL: 'not a url', ATELIER_BODY_LIMIT: '10' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      for (const name of ['PORT', 'LOG_LEVEL', 'REDIS_URL', 'ATELIER_BODY_LIMIT']) expect((err as Error).message).toContain(`${name}:`);
    }
  });

  it.each([
    ['PORT', '1.5'],
    ['PORT', '-1'],
    ['NODE_ENV', 'staging'],
    ['ATELIER_RATE_LIMIT', 'yes'],
    ['ATELIER_TRUST_PROXY', '1'],
    ['ATELIER_SECRET', 'too-short'],
    ['ATELIER_ACCESS_TOKEN_TTL', '10'],
    ['DATABASE_POOL_SIZE', '0'],
    ['ATELIER_PUBLIC_URL', 'example.com'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['ATELIER_ADMIN_EMAIL', 'not-an-email'],
  ])('rejects %s=%s by name', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems.some((p) => p.startsWith(`${name}:`)), problems.join('\n')).toBe(true);
  });

  it('names the rules that span variables', () => {
    expect(problemsOf({ ATELIER_ADMIN_EMAIL: 'admin@example.com' }).join('\n')).toContain('ATELIER_ADMIN_PASSWORD');
    expect(problemsOf({ NODE_ENV: 'production' }).join('\n')).toContain('ATELIER_SECRET');
    expect(problemsOf({ MAIL_TRANSPORT: 'smtp' }).join('\n')).toContain('SMTP_URL');
    expect(problemsOf({ SMS_TRANSPORT: 'twilio', TWILIO_ACCOUNT_SID: 'AC1' }).join('\n')).toContain('TWILIO_AUTH_TOKEN');
    // Stripe payments complete only by verified webhooks: the key needs the webhook secret, and the reverse.
    expect(problemsOf({ STRIPE_SECRET_KEY: 'sk_test_1' }).join('\n')).toContain('STRIPE_WEBHOOK_SECRET');
    expect(problemsOf({ STRIPE_WEBHOOK_SECRET: 'whsec_1' }).join('\n')).toContain('STRIPE_SECRET_KEY');
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' }).payments.stripe).toEqual({ secretKey: 'sk_test_1', webhookSecret: 'whsec_1', apiBase: 'https://api.stripe.com' });
    // Several at once are all named.
    const many = problemsOf({ NODE_ENV: 'production', ATELIER_ADMIN_EMAIL: 'admin@example.com', MAIL_TRANSPORT: 'smtp' });
    expect(many).toHaveLength(3);
  });

  it('defaults production to dev outbox off and picks transports from what is configured', () => {
    const c = loadConfig({ NODE_ENV: 'production', ATELIER_SECRET: 's'.repeat(32), SMTP_URL: 'smtps://u:p@mail.example.com' });
    expect(c.isProduction).toBe(true);
    expect(c.devOutbox.enabled).toBe(false);
    expect(c.mail.transport).toBe('smtp');
    // Outside production a real transport needs ATELIER_DEV_OUTBOX said out loud (decision 050).
    const k = loadConfig({ KAVENEGAR_API_KEY: 'key', ATELIER_DEV_OUTBOX: 'off' });
    expect(k.sms).toMatchObject({ transport: 'kavenegar', apiKey: 'key' });
  });

  it('closes GET /metrics in production unless a token or ATELIER_METRICS_PUBLIC opens it (decision 090)', () => {
    const prod = { NODE_ENV: 'production', ATELIER_SECRET: 's'.repeat(32) };
    expect(loadConfig({}).metrics).toEqual({ access: 'public' });
    expect(loadConfig(prod).metrics).toEqual({ access: 'off' });
    expect(loadConfig({ ...prod, ATELIER_METRICS_PUBLIC: 'on' }).metrics).toEqual({ access: 'public' });
    expect(loadConfig({ ...prod, ATELIER_METRICS_TOKEN: 't'.repeat(24) }).metrics).toEqual({ access: 'token', token: 't'.repeat(24) });
    // A token wins over the switch: a scraper configured with one keeps working whatever else is set.
    expect(loadConfig({ ATELIER_METRICS_PUBLIC: 'on', ATELIER_METRICS_TOKEN: 't'.repeat(24) }).metrics.access).toBe('token');
    expect(problemsOf({ ATELIER_METRICS_TOKEN: 'short' }).join('\n')).toContain('ATELIER_METRICS_TOKEN');
  });

  it('offers the languages ATELIER_LOCALES names, its first the default, over the preset\'s', () => {
    expect(loadConfig({ ATELIER_PRESET: 'product-shots' }).preset).toMatchObject({ locales: ['en'], defaultLocale: 'en' });
    expect(loadConfig({ ATELIER_PRESET: 'product-shots', ATELIER_LOCALES: 'en,fa' }).preset).toMatchObject({ locales: ['en', 'fa'], defaultLocale: 'en' });
    expect(loadConfig({ ATELIER_PRESET: 'style-studio', ATELIER_LOCALES: 'en' }).preset).toMatchObject({ locales: ['en'], defaultLocale: 'en' });
    expect(() => loadConfig({ ATELIER_LOCALES: 'en,de' })).toThrow(/ATELIER_LOCALES/);
  });

  it('names a cross-variable problem together with a bad value', () => {
    const problems = problemsOf({ PORT: 'abc', NODE_ENV: 'production' });
    expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('ATELIER_SECRET:'))).toBe(true);
  });

  it('does not read a blank number as 0', () => {
    let port: number | undefined;
    try {
      port = loadConfig({ PORT: '' }).port;
    } catch {
      return; // refusing it is fine too
    }
    expect(port).toBe(3000);
  });
});

describe('loadConfig: image providers', () => {
  it('enables each external provider by its key, with documented bases and per-type model overrides', () => {
    expect(loadConfig({}).providers).toEqual({ gemini: undefined, openai: undefined, replicate: undefined, fal: undefined });

    const c = loadConfig({
      GEMINI_API_KEY: 'g',
      OPENAI_API_KEY: 'o',
      OPENAI_IMAGE_QUALITY: 'high',
      REPLICATE_API_TOKEN: 'r',
      REPLICATE_MODELS: 'upscale=nightmareai/real-esrgan:' + 'f'.repeat(64) + ', generate=black-forest-labs/flux-dev',
      REPLICATE_TRAINER: `replicate/fast-flux-trainer:${'a'.repeat(64)}`,
      REPLICATE_TRAINING_DESTINATION: 'acme/subjects',
      FAL_KEY: 'f',
      FAL_API_BASE: 'http://127.0.0.1:9999',
    });
    expect(c.providers.gemini).toEqual({ apiKey: 'g', apiBase: 'https://generativelanguage.googleapis.com', models: {} });
    expect(c.providers.openai).toMatchObject({ apiBase: 'https://api.openai.com', quality: 'high' });
    expect(c.providers.replicate).toMatchObject({
      apiBase: 'https://api.replicate.com',
      models: { upscale: `nightmareai/real-esrgan:${'f'.repeat(64)}`, generate: 'black-forest-labs/flux-dev' },
      trainingDestination: 'acme/subjects',
    });
    expect(c.providers.fal).toEqual({ apiKey: 'f', apiBase: 'http://127.0.0.1:9999', models: {} });
  });

  it('names a model map with an unknown type, a malformed trainer, and a trainer without a destination', () => {
    const problems = problemsOf({ FAL_MODELS: 'sketch=fal-ai/x', REPLICATE_TRAINER: 'owner/name' });
    expect(problems.some((p) => p.startsWith('FAL_MODELS:') && p.includes('"sketch=fal-ai/x"'))).toBe(true);
    expect(problems.some((p) => p.startsWith('REPLICATE_TRAINER:'))).toBe(true);
    expect(problems).toContain('REPLICATE_TRAINER and REPLICATE_TRAINING_DESTINATION: set both or neither');
  });

  it('offers an OAuth provider only with both its client id and secret, with overridable bases', () => {
    expect(loadConfig({}).oauth).toEqual({ google: undefined, github: undefined });
    const c = loadConfig({ OAUTH_GOOGLE_CLIENT_ID: 'id', OAUTH_GOOGLE_CLIENT_SECRET: 's', OAUTH_GITHUB_CLIENT_ID: 'gid', OAUTH_GITHUB_CLIENT_SECRET: 'gs', OAUTH_GITHUB_API_BASE: 'http://127.0.0.1:9' });
    expect(c.oauth.google).toEqual({ clientId: 'id', clientSecret: 's', issuer: 'https://accounts.google.com' });
    expect(c.oauth.github).toEqual({ clientId: 'gid', clientSecret: 'gs', webBase: 'https://github.com', apiBase: 'http://127.0.0.1:9' });
    expect(problemsOf({ OAUTH_GITHUB_CLIENT_ID: 'gid' })).toContain('OAUTH_GITHUB_CLIENT_ID and OAUTH_GITHUB_CLIENT_SECRET: set both or neither');
  });
});

describe('ATELIER_PRESET', () => {
  it('defaults to all: every studio, the default sign-up credits', () => {
    const c = loadConfig({});
    expect(c.preset).toMatchObject({ name: 'all', explicit: false });
    expect(c.generation.studios).toEqual(['product-shots', 'print-prep', 'headshots', 'style-studio', 'ad-creatives']);
    expect(c.signupCredits).toBe(2);
  });

  it('gives a product its studios and sign-up credits, which ATELIER_STUDIOS and ATELIER_SIGNUP_CREDITS still override', () => {
    const c = loadConfig({ ATELIER_PRESET: 'style-studio' });
    expect(c.preset).toMatchObject({ name: 'style-studio', explicit: true, currency: 'IRR', signUp: { email: false, phone: true } });
    expect(c.generation.studios).toEqual(['style-studio']);
    expect(c.signupCredits).toBe(0);
    const overridden = loadConfig({ ATELIER_PRESET: 'style-studio', ATELIER_STUDIOS: 'style-studio,headshots', ATELIER_SIGNUP_CREDITS: '4' });
    expect(overridden.generation.studios).toEqual(['style-studio', 'headshots']);
    expect(overridden.signupCredits).toBe(4);
  });

  it('refuses an unknown preset by name', () => {
    expect(problemsOf({ ATELIER_PRESET: 'photo-booth' }).some((p) => p.startsWith('ATELIER_PRESET:'))).toBe(true);
  });
});
