// Real: the OpenAI adapter (JSON generations, multipart edits with image[] and mask, timeouts,
// error mapping, zod parsing, cost from usage tokens, call records) and the shared HTTP layer.
// Stand-in: a node:http server on 127.0.0.1 in place of api.openai.com, answering
// /v1/images/generations and /v1/images/edits in the documented shapes ({ created, data: [{ b64_json }],
// usage } and { error: { message, type, param, code } }) with real PNG bytes made by sharp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenaiProvider } from '../../../src/modules/generation/providers/openai/openai.ts';
import {
  formOf,
  imageInput,
  pngBytes,
  providerInput,
  rejectionOf,
  runContext,
  sendJson,
  startStandIn,
  waitFor,
  type StandIn,
} from '../../helpers/provider-stand-in.ts';

const KEY = 'sk-test-0123456789abcdef';
let api: StandIn;
let png: Buffer;

beforeAll(async () => {
  api = await startStandIn();
  png = await pngBytes('#27ae60');
});
afterAll(() => api.close());

const openai = (timeoutMs = 5_000) => createOpenaiProvider({ apiKey: KEY, apiBase: api.base, timeoutMs });

const answer = (n: number) => ({
  created: 1_760_000_000,
  data: Array.from({ length: n }, () => ({ b64_json: png.toString('base64') })),
  usage: { input_tokens: 250, input_tokens_details: { text_tokens: 50, image_tokens: 200 }, output_tokens: 1056 * n, total_tokens: 250 + 1056 * n },
});
const openaiError = (message: string, type: string, code: string | null, param: string | null = null) => ({ error: { message, type, param, code } });

describe('openai adapter', () => {
  it('generates with one JSON request for all outputs and prices the usage tokens', async () => {
    api.handle((req, res) => sendJson(res, 200, answer(req.json.n)));
    const { ctx, calls } = runContext();

    const result = await openai().run(providerInput({ type: 'generate', prompt: 'A blue chair', params: { aspect_ratio: '9:16' }, numOutputs: 3 }), ctx);

    expect(result.outputs).toHaveLength(3);
    expect(result.outputs[2]).toEqual({ bytes: png, mimeType: 'image/png' });
    expect(result.model).toBe('gpt-image-1');
    // 50 text × $5/M + 200 image × $10/M + 3168 output × $40/M = 250 + 2000 + 126 720 µ$.
    expect(result.costMicros).toBe(128_970);
    expect(api.seen).toHaveLength(1);
    const req = api.seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/images/generations');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.json).toEqual({ model: 'gpt-image-1', prompt: 'A blue chair Aspect ratio: 9:16.', n: 3, size: '1024x1536', quality: 'medium', output_format: 'png' });
    expect(calls[0]).toMatchObject({ provider: 'openai', operation: 'generate', status: 'ok', costMicros: 128_970, response: { images: 3, output_tokens: 3168 } });
    expect(JSON.stringify(calls)).not.toContain(KEY);
  });

  it('edits with a multipart body: every input image as image[], the mask, and a transparent background for background removal', async () => {
    api.handle((req, res) => sendJson(res, 200, answer(1)));
    const product = await imageInput('product');
    const template = await imageInput('template');
    const mask = { ...(await imageInput('mask', await pngBytes('#000000'))), mimeType: 'image/png' };

    await openai().run(providerInput({ type: 'ad_creative', params: { headline: 'Summer sale', quality: 'high' }, images: [template, product, mask] }), runContext().ctx);

    const req = api.seen[0]!;
    expect(req.path).toBe('/v1/images/edits');
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await formOf(req);
    expect(form.get('model')).toBe('gpt-image-1');
    expect(form.get('n')).toBe('1');
    expect(form.get('quality')).toBe('high');
    expect(form.get('prompt')).toContain('Headline text: Summer sale.');
    const images = form.getAll('image[]') as File[];
    expect(images.map((f) => f.name)).toEqual(['product-1.jpg', 'template-2.jpg']);
    expect(Buffer.from(await images[0]!.arrayBuffer())).toEqual(product.bytes);
    expect((form.get('mask') as File).type).toBe('image/png');
    expect(form.get('background')).toBeNull();

    await openai().run(providerInput({ type: 'background_removal', images: [product] }), runContext().ctx);
    expect((await formOf(api.seen[1]!)).get('background')).toBe('transparent');
  });

  it('maps a rate limit (429 + Retry-After) to retryable, and an exhausted quota (429 insufficient_quota) to final provider_unavailable', async () => {
    api.handle((_req, res) =>
      sendJson(res, 429, openaiError('Rate limit reached for gpt-image-1 on images per minute.', 'requests', 'rate_limit_exceeded'), { 'retry-after': '12' }),
    );
    const limited = await rejectionOf(openai().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(limited).toMatchObject({ code: 'provider_error', retryable: true, httpStatus: 429, retryAfterMs: 12_000 });

    api.handle((_req, res) => sendJson(res, 429, openaiError('You exceeded your current quota.', 'insufficient_quota', 'insufficient_quota')));
    const broke = await rejectionOf(openai().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(broke).toMatchObject({ code: 'provider_unavailable', retryable: false, httpStatus: 429 });
  });

  it('maps 500 to retryable, 400 to invalid_input, 401 to provider_unavailable', async () => {
    api.handle((_req, res) => sendJson(res, 500, openaiError('The server had an error while processing your request.', 'server_error', null)));
    expect(await rejectionOf(openai().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_error',
      retryable: true,
    });

    api.handle((_req, res) => sendJson(res, 400, openaiError("Invalid value: 'huge'. Supported values are: 'low', 'medium', 'high'.", 'invalid_request_error', 'invalid_value', 'quality')));
    const bad = await rejectionOf(openai().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(bad).toMatchObject({ code: 'invalid_input', retryable: false, httpStatus: 400 });
    expect(bad.message).toContain('invalid_value');

    api.handle((_req, res) => sendJson(res, 401, openaiError('Incorrect API key provided: sk-test-****cdef.', 'invalid_request_error', 'invalid_api_key')));
    const unauthorized = await rejectionOf(openai().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(unauthorized).toMatchObject({ code: 'provider_unavailable', retryable: false, httpStatus: 401 });
  });

  it('maps a safety refusal (400 moderation_blocked) to content_policy', async () => {
    api.handle((_req, res) =>
      sendJson(res, 400, openaiError('Your request was rejected as a result of our safety system.', 'image_generation_user_error', 'moderation_blocked')),
    );
    const err = await rejectionOf(openai().run(providerInput({ type: 'headshot', images: [await imageInput('subject')] }), runContext().ctx));
    expect(err).toMatchObject({ code: 'content_policy', retryable: false, httpStatus: 400 });
  });

  it('treats a malformed answer as a final provider_error and a slow one as a retryable timeout of the request', async () => {
    api.handle((_req, res) => sendJson(res, 200, { created: 1, data: [{ b64_json: 42 }] }));
    expect(await rejectionOf(openai().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_error',
      retryable: false,
    });

    api.handle(() => undefined);
    expect(await rejectionOf(openai(200).run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_error',
      retryable: true,
    });
    const { ctx } = runContext({ deadline: new Date(Date.now() + 200) });
    expect(await rejectionOf(openai().run(providerInput({ type: 'generate', prompt: 'x' }), ctx))).toMatchObject({ code: 'timeout' });
  });

  it('stops at once when the run is cancelled', async () => {
    api.handle(() => undefined);
    const controller = new AbortController();
    const pending = openai().run(providerInput({ type: 'generate', prompt: 'x' }), runContext({ signal: controller.signal }).ctx);
    await waitFor(() => api.seen.length === 1, 'the request');
    controller.abort();
    expect(await rejectionOf(pending)).toMatchObject({ code: 'cancelled' });
  });
});
