// Real: the fal adapter (queue submit, status polling, result fetch, cancel on abort, resume by
// request id, data-URI inputs, LoRA training with a zip, NSFW filtering, output downloads, error
// mapping, zod parsing, costs, call records) and the shared HTTP layer. Stand-in: a node:http
// server on 127.0.0.1 playing queue.fal.run and fal's media host: requests move IN_QUEUE →
// IN_PROGRESS → COMPLETED as they are polled, status/result/cancel live under the app id without
// the model's subpath, errors are `{ detail: [{ loc, msg, type }] }`, outputs are real PNGs made by
// sharp and served from the same server.
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFalProvider, type FalOptions } from '../../../src/modules/generation/providers/fal/fal.ts';
import {
  imageInput,
  pngBytes,
  providerInput,
  rejectionOf,
  runContext,
  sendJson,
  startStandIn,
  waitFor,
  type SeenRequest,
  type StandIn,
} from '../../helpers/provider-stand-in.ts';

const KEY = 'fal-key-id:fal-key-secret-0123456789';
let api: StandIn;
let png: Buffer;

beforeAll(async () => {
  api = await startStandIn();
  png = await pngBytes('#f39c12');
});
afterAll(() => api.close());

const fal = (o: Partial<FalOptions> = {}) => createFalProvider({ apiKey: KEY, apiBase: api.base, timeoutMs: 5_000, pollIntervalMs: 5, ...o });

interface QueuedRequest {
  id: string;
  app: string;
  input: any;
  polls: number;
  cancelled: boolean;
}

/** A small fal queue; `result` answers the result GET of a completed request. */
function falQueue(result: (r: QueuedRequest, res: http.ServerResponse) => unknown, opts: { completeAfter?: number } = {}) {
  const requests = new Map<string, QueuedRequest>();
  let next = 0;
  const completeAfter = opts.completeAfter ?? 2;
  return (req: SeenRequest, res: http.ServerResponse) => {
    if (req.path.startsWith('/files/')) return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    if (req.headers.authorization !== `Key ${KEY}`) return sendJson(res, 401, { detail: 'Cannot access application: invalid key' });
    const sub = /^\/([^/]+\/[^/]+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(req.path.split('?')[0]!);
    if (sub) {
      const r = requests.get(sub[2]!);
      if (!r || r.app !== sub[1]) return sendJson(res, 404, { detail: 'Request not found' });
      if (sub[3] === '/cancel' && req.method === 'PUT') {
        r.cancelled = true;
        return sendJson(res, 202, { status: 'CANCELLATION_REQUESTED' });
      }
      if (sub[3] === '/status') {
        r.polls++;
        const status = r.polls >= completeAfter ? 'COMPLETED' : r.polls === 1 ? 'IN_QUEUE' : 'IN_PROGRESS';
        return sendJson(res, 200, { status, ...(status === 'IN_QUEUE' ? { queue_position: 0 } : {}), response_url: `${api.base}/${r.app}/requests/${r.id}` }, {});
      }
      return result(r, res);
    }
    if (req.method === 'POST') {
      const model = req.path.slice(1);
      const app = model.split('/').slice(0, 2).join('/');
      const r = { id: `req-${++next}`, app, input: req.json, polls: 0, cancelled: false };
      requests.set(r.id, r);
      return sendJson(res, 200, {
        request_id: r.id,
        response_url: `${api.base}/${app}/requests/${r.id}`,
        status_url: `${api.base}/${app}/requests/${r.id}/status`,
        cancel_url: `${api.base}/${app}/requests/${r.id}/cancel`,
        queue_position: 0,
      });
    }
    return sendJson(res, 405, { detail: 'Method not allowed' });
  };
}

const images = (r: QueuedRequest, flags?: boolean[]) => ({
  images: Array.from({ length: r.input.num_images ?? 1 }, (_, i) => ({ url: `${api.base}/files/${r.id}-${i}.png`, width: 1024, height: 1024, content_type: 'image/png' })),
  ...(flags ? { has_nsfw_concepts: flags } : {}),
  seed: 42,
  prompt: r.input.prompt,
});

describe('fal adapter', () => {
  it('submits to the queue with the key, polls status under the app id, fetches the result and downloads the images', async () => {
    api.handle(falQueue((r, res) => sendJson(res, 200, images(r, [false, false]))));
    const { ctx, calls } = runContext();

    const result = await fal().run(providerInput({ type: 'generate', prompt: 'A kite', params: { aspect_ratio: '16:9' }, numOutputs: 2 }), ctx);

    expect(result.outputs).toEqual([
      { bytes: png, mimeType: 'image/png' },
      { bytes: png, mimeType: 'image/png' },
    ]);
    expect(result.model).toBe('fal-ai/flux/schnell');
    expect(result.costMicros).toBe(2 * 3_000);
    const [submit, ...rest] = api.seen;
    expect(submit).toMatchObject({ method: 'POST', path: '/fal-ai/flux/schnell' });
    expect(submit!.headers.authorization).toBe(`Key ${KEY}`);
    expect(submit!.json).toEqual({ prompt: 'A kite Aspect ratio: 16:9.', num_images: 2, image_size: 'landscape_16_9', output_format: 'png', enable_safety_checker: true });
    expect(rest.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /fal-ai/flux/requests/req-1/status',
      'GET /fal-ai/flux/requests/req-1/status',
      'GET /fal-ai/flux/requests/req-1',
      'GET /files/req-1-0.png',
      'GET /files/req-1-1.png',
    ]);
    expect(rest.at(-1)!.headers.authorization).toBeUndefined();
    expect(calls[0]).toMatchObject({ operation: 'submit', status: 'ok', response: { request_id: 'req-1' } });
    expect(JSON.stringify(calls)).not.toContain('fal-key-secret');
  });

  it('sends every input image of an edit as a data URI in image_urls', async () => {
    api.handle(falQueue((r, res) => sendJson(res, 200, images(r))));
    const product = await imageInput('product');
    const template = await imageInput('template');

    await fal().run(providerInput({ type: 'ad_creative', params: { call_to_action: 'Shop now' }, images: [template, product] }), runContext().ctx);

    const submit = api.seen[0]!;
    expect(submit.path).toBe('/fal-ai/nano-banana/edit');
    expect(submit.json.image_urls).toEqual([
      `data:image/jpeg;base64,${product.bytes.toString('base64')}`,
      `data:image/jpeg;base64,${template.bytes.toString('base64')}`,
    ]);
    expect(submit.json.prompt).toContain('Call to action: Shop now.');
    expect(api.seen[1]!.path).toBe('/fal-ai/nano-banana/requests/req-1/status');
  });

  it('drops images the safety checker flagged, and refuses with content_policy when all were', async () => {
    api.handle(falQueue((r, res) => sendJson(res, 200, images(r, [true, false]))));
    const some = await fal().run(providerInput({ type: 'generate', prompt: 'x', numOutputs: 2 }), runContext().ctx);
    expect(some.outputs).toHaveLength(1);
    expect(some.costMicros).toBe(3_000);

    api.handle(falQueue((r, res) => sendJson(res, 200, images(r, [true]))));
    expect(await rejectionOf(fal().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({ code: 'content_policy' });
  });

  it('maps a model error: content_policy_violation → content_policy, a validation error → invalid_input', async () => {
    api.handle(
      falQueue((_r, res) =>
        sendJson(res, 422, { detail: [{ loc: ['body', 'prompt'], msg: 'The content could not be processed because it contained material flagged by a content checker.', type: 'content_policy_violation' }] }),
      ),
    );
    expect(await rejectionOf(fal().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'content_policy',
      retryable: false,
      httpStatus: 422,
    });

    api.handle((_req, res) => sendJson(res, 422, { detail: [{ loc: ['body', 'num_images'], msg: 'ensure this value is less than or equal to 4', type: 'value_error.number.not_le' }] }));
    const invalid = await rejectionOf(fal().run(providerInput({ type: 'generate', prompt: 'x', numOutputs: 8 }), runContext().ctx));
    expect(invalid).toMatchObject({ code: 'invalid_input', retryable: false });
    expect(invalid.message).toContain('less than or equal to 4');
  });

  it('maps 429 with Retry-After and 500 to retryable, 401 to provider_unavailable, a malformed submit to a final error, a slow one to a retryable timeout', async () => {
    api.handle((_req, res) => sendJson(res, 429, { detail: 'Too many requests' }, { 'retry-after': '2' }));
    expect(await rejectionOf(fal().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_error',
      retryable: true,
      retryAfterMs: 2_000,
    });
    api.handle((_req, res) => sendJson(res, 500, { detail: 'Internal Server Error' }));
    expect(await rejectionOf(fal().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_error',
      retryable: true,
    });
    api.handle(falQueue(() => undefined));
    expect(await rejectionOf(fal({ apiKey: 'nope' }).run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_unavailable',
      retryable: false,
    });
    api.handle((_req, res) => sendJson(res, 200, { queued: true }));
    expect(await rejectionOf(fal().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_error',
      retryable: false,
    });
    api.handle(() => undefined);
    expect(await rejectionOf(fal({ timeoutMs: 200 }).run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_error',
      retryable: true,
    });
  });

  it('cancels the queued request when the run is aborted mid-poll or its deadline passes', async () => {
    api.handle(falQueue(() => undefined, { completeAfter: Number.POSITIVE_INFINITY }));
    const controller = new AbortController();
    const pending = fal().run(providerInput({ type: 'generate', prompt: 'x' }), runContext({ signal: controller.signal }).ctx);
    await waitFor(() => api.seen.some((r) => r.path.endsWith('/status')), 'a poll');
    controller.abort();
    expect(await rejectionOf(pending)).toMatchObject({ code: 'cancelled' });
    expect(api.seen.at(-1)).toMatchObject({ method: 'PUT', path: '/fal-ai/flux/requests/req-1/cancel' });
    expect(api.seen.at(-1)!.headers.authorization).toBe(`Key ${KEY}`);

    api.handle(falQueue(() => undefined, { completeAfter: Number.POSITIVE_INFINITY }));
    const late = await rejectionOf(fal().run(providerInput({ type: 'generate', prompt: 'x' }), runContext({ deadline: new Date(Date.now() + 150) }).ctx));
    expect(late).toMatchObject({ code: 'timeout' });
    expect(api.seen.at(-1)).toMatchObject({ method: 'PUT', path: '/fal-ai/flux/requests/req-1/cancel' });
  });

  it('resumes a known request id without submitting again', async () => {
    api.handle(falQueue((r, res) => sendJson(res, 200, images(r))));
    await fetch(`${api.base}/fal-ai/flux/schnell`, { method: 'POST', headers: { authorization: `Key ${KEY}`, 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
    api.seen.length = 0;

    const result = await fal().run(providerInput({ type: 'generate', prompt: 'x', context: { resumeRequestIds: ['req-1'] } }), runContext().ctx);

    expect(result.outputs).toHaveLength(1);
    expect(api.seen.filter((r) => r.method === 'POST')).toEqual([]);
    expect(api.seen[0]!.path).toBe('/fal-ai/flux/requests/req-1/status');
  });

  it('trains a LoRA from a zip data URI and runs a headshot on the trained weights', async () => {
    const weights = `${api.base}/files/lora.safetensors`;
    api.handle(
      falQueue((r, res) =>
        r.app === 'fal-ai/flux-lora-fast-training'
          ? sendJson(res, 200, { diffusers_lora_file: { url: weights, content_type: 'application/octet-stream' }, config_file: { url: `${api.base}/files/config.json` } })
          : sendJson(res, 200, images(r, [false])),
      ),
    );

    const trained = await fal().run(providerInput({ type: 'subject_training', images: [await imageInput('subject')], params: { steps: 500 } }), runContext().ctx);

    expect(trained.artifacts).toEqual({ provider: 'fal', trained_model: weights, trigger_word: 'atl00000000', request_id: 'req-1' });
    expect(trained.costMicros).toBe(2_000_000);
    const submit = api.seen[0]!;
    expect(submit.path).toBe('/fal-ai/flux-lora-fast-training');
    expect(submit.json.images_data_url).toMatch(/^data:application\/zip;base64,UEsD/);
    expect(submit.json).toMatchObject({ trigger_word: 'atl00000000', steps: 500 });

    api.seen.length = 0;
    await fal().run(
      providerInput({ type: 'headshot', params: { hair_color: 'red' }, context: { subject: { gender: 'female', trainedModel: weights, triggerWord: 'atl00000000' } } }),
      runContext().ctx,
    );
    const headshot = api.seen[0]!;
    expect(headshot.path).toBe('/fal-ai/flux-lora');
    expect(headshot.json.loras).toEqual([{ path: weights, scale: 1 }]);
    expect(headshot.json.prompt).toContain('atl00000000');
    expect(headshot.json.prompt).toContain('Hair colour: red.');
  });
});
