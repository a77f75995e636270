/**
 * @atelier/client against a real listening server: sign up, an API key, the generation types, an
 * upload and a generation run to its end with `run`/`wait`, and refusals as AtelierError codes.
 * Real: buildApp() listening on a free port of 127.0.0.1 on the test database, the real pg-boss
 * queue and the engine's workers, real HTTP through the global fetch, the SDK's own code.
 * Stand-in: the image provider (test/helpers/stand-in-provider.ts), which takes a moment and then
 * returns PNGs, so polling has something to wait for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage } from '../../../test/helpers/media.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../../../test/helpers/generation.ts';
import { createStandInProvider } from '../../../test/helpers/stand-in-provider.ts';
import { AtelierError, createAtelierClient, GenerationFailedError } from '../src/index.ts';

const standIn = createStandInProvider();
let t: GenerationTestApp;
let baseUrl: string;
beforeAll(async () => {
  standIn.otherwise({ kind: 'ok', delayMs: 400 });
  t = await createGenerationTestApp({ env: { ATELIER_SIGNUP_CREDITS: '50' }, generation: { providers: [standIn.provider] } });
  await t.startWorkers();
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => t?.close());

const email = () => `sdk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;

/**
 * Verifies the address with the code from the dev outbox, over plain HTTP: keys (and the sign-up
 * credits) come with a verified email.
 */
async function verifyEmail(address: string): Promise<void> {
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await post('/auth/otp/request', { email: address, purpose: 'email_verify' })).status).toBe(202);
  // The code is sent by a queued job, as a real mail would arrive a moment later: wait for it.
  let code: string | undefined;
  for (let i = 0; i < 400 && !code; i++) {
    const outbox = (await (await fetch(`${baseUrl}/api/v1/dev/outbox?to=${encodeURIComponent(address)}`)).json()) as { data: { code: string }[] };
    code = outbox.data[0]?.code;
    if (!code) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(code, 'no code arrived in the outbox').toBeTruthy();
  expect((await post('/auth/otp/verify', { email: address, purpose: 'email_verify', code })).status).toBe(200);
}

/** A signed-up user's API-key client, made through the SDK itself. */
async function keyClient() {
  const anonymous = createAtelierClient({ baseUrl: `${baseUrl}/` });
  const address = email();
  const signedUp = await anonymous.auth.register({ email: address, password: 'correct horse battery' });
  await verifyEmail(address);
  const session = createAtelierClient({ baseUrl, accessToken: signedUp.access_token! });
  const key = await session.apiKeys.create('integration');
  return { client: createAtelierClient({ baseUrl, apiKey: key.key }), key, userId: signedUp.user.id };
}

describe('@atelier/client against a listening server', () => {
  it('registers, creates an API key and lists the generation types with it', async () => {
    const { client, key, userId } = await keyClient();
    expect(key.key).toMatch(/^atl_/);
    const me = await client.me();
    expect(me.id).toBe(userId);
    expect(me.credits.available).toBe(50);
    const keys = await client.apiKeys.list();
    expect(keys.data.map((k) => k.id)).toContain(key.id);
    const types = await client.generationTypes.list();
    expect(types.map((x) => x.type)).toEqual(expect.arrayContaining(['background_removal', 'upscale']));
    for (const x of types) expect(x.credits_per_output).toBeGreaterThan(0);
  });

  it('uploads a source and runs a generation to completion, polling with backoff', async () => {
    const { client } = await keyClient();
    const asset = await client.assets.upload(new Blob([new Uint8Array(await makeImage(80, 60, 'png'))], { type: 'image/png' }), { filename: 'mug.png' });
    expect(asset.kind).toBe('upload');
    const before = standIn.runs.length;
    const done = await client.generations.run({ type: 'background_removal', source_asset_ids: [asset.id] }, { intervalMs: 50, timeoutMs: 20_000 });
    expect(done.status).toBe('completed');
    expect(done.outputs.length).toBe(1);
    expect(standIn.runs.length).toBe(before + 1);
    const listed = await client.generations.list({ limit: 5 });
    expect(listed.data.map((g) => g.id)).toContain(done.id);
    expect((await client.credits()).held).toBe(0);
  });

  it('sends one Idempotency-Key per create: a retry with the same key starts nothing new', async () => {
    const { client } = await keyClient();
    const asset = await client.assets.upload(new Blob([new Uint8Array(await makeImage(64, 48, 'png'))], { type: 'image/png' }), { filename: 'a.png' });
    const first = await client.generations.create({ type: 'upscale', source_asset_ids: [asset.id] }, { idempotencyKey: 'sdk-retry-1' });
    const again = await client.generations.create({ type: 'upscale', source_asset_ids: [asset.id] }, { idempotencyKey: 'sdk-retry-1' });
    expect(again.id).toBe(first.id);
    const ended = await client.generations.wait(first, { intervalMs: 50, timeoutMs: 20_000 });
    expect(ended.status).toBe('completed');
  });

  it('throws GenerationFailedError from run when the provider fails', async () => {
    const { client } = await keyClient();
    const asset = await client.assets.upload(new Blob([new Uint8Array(await makeImage(64, 48, 'png'))], { type: 'image/png' }), { filename: 'b.png' });
    standIn.script({ kind: 'fail', retryable: false, code: 'invalid_input', message: 'stand-in refused' });
    const err = await client.generations.run({ type: 'background_removal', source_asset_ids: [asset.id] }, { intervalMs: 50, timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GenerationFailedError);
    expect((err as GenerationFailedError).generation.status).toBe('failed');
  });

  it('turns refusals into AtelierError with the problem code', async () => {
    const bad = createAtelierClient({ baseUrl, apiKey: 'atl_not-a-real-key' });
    const unauthorized = await bad.me().catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(AtelierError);
    expect(unauthorized).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((unauthorized as AtelierError).requestId).toBeTruthy();

    const { client } = await keyClient();
    const missing = await client.generations.get('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    const invalid = await client.generations.create({ type: 'upscale', source_asset_ids: [] }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(AtelierError);
    expect((invalid as AtelierError).status).toBe(400);
    expect((invalid as AtelierError).problem?.errors?.length).toBeGreaterThan(0);

    const offline = createAtelierClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'atl_x' });
    await expect(offline.me()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});
