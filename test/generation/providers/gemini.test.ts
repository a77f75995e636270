// Real: the Gemini adapter (request building, timeouts, error mapping, zod parsing of answers,
// cost from usage, call records) and the shared HTTP layer. Stand-in: a node:http server on
// 127.0.0.1 in place of generativelanguage.googleapis.com, answering generateContent in the
// documented shapes (inlineData image parts, promptFeedback, finishReason, usageMetadata, Google's
// `{ error: { code, message, status, details } }`) with real PNG bytes made by sharp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGeminiProvider } from '../../../src/modules/generation/providers/gemini/gemini.ts';
import { ProviderError } from '../../../src/modules/generation/providers/provider.ts';
import {
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

const KEY = 'gemini-test-key-0123456789';
let api: StandIn;
let png: Buffer;

beforeAll(async () => {
  api = await startStandIn();
  png = await pngBytes();
});
afterAll(() => api.close());

const gemini = (timeoutMs = 5_000) => createGeminiProvider({ apiKey: KEY, apiBase: api.base, timeoutMs });

const imageAnswer = (bytes: Buffer) => ({
  candidates: [
    {
      content: { role: 'model', parts: [{ text: 'Here is the image.' }, { inlineData: { mimeType: 'image/png', data: bytes.toString('base64') } }] },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: { promptTokenCount: 300, candidatesTokenCount: 1290, totalTokenCount: 1590, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 300 }] },
  modelVersion: 'gemini-2.5-flash-image',
  responseId: 'resp-1',
});

const googleError = (code: number, status: string, message: string, details: unknown[] = []) => ({ error: { code, message, status, details } });

describe('gemini adapter', () => {
  it('generates one image per request with the key header, text part, modalities and aspect ratio, and prices usage', async () => {
    api.handle((_req, res) => sendJson(res, 200, imageAnswer(png)));
    const { ctx, calls } = runContext();

    const result = await gemini().run(
      providerInput({ type: 'generate', prompt: 'A red  teapot\non a table', params: { aspect_ratio: '16:9' }, numOutputs: 2 }),
      ctx,
    );

    expect(result.outputs).toHaveLength(2);
    expect(result.outputs[0]).toEqual({ bytes: png, mimeType: 'image/png' });
    expect(result.model).toBe('gemini-2.5-flash-image');
    // 300 input tokens × $0.30/M + 1290 output tokens × $30/M = 38 790 µ$ per image.
    expect(result.costMicros).toBe(2 * 38_790);
    expect(api.seen).toHaveLength(2);
    const req = api.seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    expect(req.headers['x-goog-api-key']).toBe(KEY);
    expect(req.json.contents[0].parts).toEqual([{ text: 'A red teapot on a table Aspect ratio: 16:9.' }]);
    expect(req.json.generationConfig).toEqual({ responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } });
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ provider: 'gemini', operation: 'generate_content', status: 'ok', httpStatus: 200, costMicros: 38_790 });
    expect(JSON.stringify(calls)).not.toContain(KEY);
    expect(JSON.stringify(calls)).not.toContain(png.toString('base64').slice(0, 40));
  });

  it('edits: sends the input images as inline_data parts after a prompt built from the parameters', async () => {
    api.handle((_req, res) => sendJson(res, 200, imageAnswer(png)));
    const product = await imageInput('product');
    const { ctx } = runContext();

    await gemini().run(
      providerInput({ type: 'room_scene', params: { scene_type: 'modern_living_room', lighting: 'natural_daylight' }, images: [product] }),
      ctx,
    );

    const parts = api.seen[0]!.json.contents[0].parts;
    expect(parts).toHaveLength(2);
    expect(parts[0].text).toContain('Scene: modern living room.');
    expect(parts[0].text).toContain('Lighting: natural daylight.');
    expect(parts[1]).toEqual({ inline_data: { mime_type: 'image/jpeg', data: product.bytes.toString('base64') } });
  });

  it('maps 429 with Retry-After to a retryable provider_error carrying the wait', async () => {
    api.handle((_req, res) =>
      sendJson(res, 429, googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for metric generate_content_requests'), { 'retry-after': '7' }),
    );
    const { ctx, calls } = runContext();
    const err = await rejectionOf(gemini().run(providerInput({ type: 'generate', prompt: 'x' }), ctx));

    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: 'provider_error', retryable: true, httpStatus: 429, retryAfterMs: 7_000 });
    expect(calls[0]).toMatchObject({ status: 'error', httpStatus: 429, response: { error_code: 'RESOURCE_EXHAUSTED' } });
  });

  it("reads Google's RetryInfo delay when there is no Retry-After header", async () => {
    api.handle((_req, res) =>
      sendJson(res, 429, googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '31s' }])),
    );
    const err = await rejectionOf(gemini().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(err).toMatchObject({ code: 'provider_error', retryable: true, retryAfterMs: 31_000 });
  });

  it('maps 500 to a retryable provider_error', async () => {
    api.handle((_req, res) => sendJson(res, 500, googleError(500, 'INTERNAL', 'An internal error has occurred.')));
    const err = await rejectionOf(gemini().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(err).toMatchObject({ code: 'provider_error', retryable: true, httpStatus: 500 });
  });

  it('maps 400 INVALID_ARGUMENT to a final invalid_input', async () => {
    api.handle((_req, res) => sendJson(res, 400, googleError(400, 'INVALID_ARGUMENT', 'Unable to process input image.')));
    const err = await rejectionOf(gemini().run(providerInput({ type: 'lifestyle', images: [await imageInput()] }), runContext().ctx));
    expect(err).toMatchObject({ code: 'invalid_input', retryable: false, httpStatus: 400 });
    expect(err.message).toContain('Unable to process input image.');
  });

  it('maps a rejected key (400 API_KEY_INVALID) and 403 to a final provider_unavailable, never quoting the key', async () => {
    api.handle((_req, res) =>
      sendJson(
        res,
        400,
        googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
        ]),
      ),
    );
    const bad = await rejectionOf(gemini().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(bad).toMatchObject({ code: 'provider_unavailable', retryable: false });
    expect(bad.message).not.toContain(KEY);

    api.handle((_req, res) => sendJson(res, 403, googleError(403, 'PERMISSION_DENIED', 'Method doesn\'t allow unregistered callers.')));
    const denied = await rejectionOf(gemini().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(denied).toMatchObject({ code: 'provider_unavailable', retryable: false, httpStatus: 403 });
  });

  it('turns a blocked prompt and a safety finish reason into content_policy', async () => {
    api.handle((_req, res) => sendJson(res, 200, { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 12 } }));
    const blocked = await rejectionOf(gemini().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(blocked).toMatchObject({ code: 'content_policy', retryable: false });

    api.handle((_req, res) => sendJson(res, 200, { candidates: [{ content: { parts: [] }, finishReason: 'IMAGE_SAFETY' }] }));
    const unsafe = await rejectionOf(gemini().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(unsafe).toMatchObject({ code: 'content_policy', retryable: false });
  });

  it('treats a text-only answer as a retryable provider_error and a malformed one as final', async () => {
    api.handle((_req, res) => sendJson(res, 200, { candidates: [{ content: { parts: [{ text: 'I cannot draw that.' }] }, finishReason: 'STOP' }] }));
    const textOnly = await rejectionOf(gemini().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(textOnly).toMatchObject({ code: 'provider_error', retryable: true });

    api.handle((_req, res) => sendJson(res, 200, { candidates: 'not a list' }));
    const { ctx, calls } = runContext();
    const malformed = await rejectionOf(gemini().run(providerInput({ type: 'generate', prompt: 'x' }), ctx));
    expect(malformed).toMatchObject({ code: 'provider_error', retryable: false });
    expect(calls[0]).toMatchObject({ status: 'error', response: { error: 'malformed_response' } });
  });

  it('gives up on a slow answer at its per-request timeout (retryable) and at the deadline (timeout)', async () => {
    api.handle(() => undefined); // never answers
    const slow = await rejectionOf(gemini(200).run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(slow).toMatchObject({ code: 'provider_error', retryable: true });
    expect(slow.message).toContain('did not answer');

    const { ctx } = runContext({ deadline: new Date(Date.now() + 200) });
    const late = await rejectionOf(gemini(10_000).run(providerInput({ type: 'generate', prompt: 'x' }), ctx));
    expect(late).toMatchObject({ code: 'timeout', retryable: false });
  });

  it('stops at once when the run is cancelled', async () => {
    api.handle(() => undefined);
    const controller = new AbortController();
    const { ctx } = runContext({ signal: controller.signal });
    const pending = gemini().run(providerInput({ type: 'generate', prompt: 'x' }), ctx);
    await waitFor(() => api.seen.length === 1, 'the request');
    controller.abort();
    expect(await rejectionOf(pending)).toMatchObject({ code: 'cancelled', retryable: false });
  });

  it('refuses types it cannot run and inputs that lack what the type needs, without a request', async () => {
    api.handle((_req, res) => sendJson(res, 200, imageAnswer(png)));
    const p = gemini();
    expect(p.supports('upscale')).toBe(false);
    expect(p.supports('model_shot')).toBe(true);
    expect(await rejectionOf(p.run(providerInput({ type: 'upscale', images: [await imageInput()] }), runContext().ctx))).toMatchObject({
      code: 'provider_unavailable',
    });
    expect(await rejectionOf(p.run(providerInput({ type: 'model_shot' }), runContext().ctx))).toMatchObject({ code: 'invalid_input' });
    expect(await rejectionOf(p.run(providerInput({ type: 'generate', prompt: '  ' }), runContext().ctx))).toMatchObject({ code: 'invalid_input' });
    expect(api.seen).toHaveLength(0);
  });
});
