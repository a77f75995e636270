// Real: the Replicate adapter (predictions on official models and on versions, Prefer: wait,
// polling, cancel on abort, resume by prediction id, file uploads, trainings with a zip of the
// photos, output downloads, error mapping, zod parsing, costs, call records) and the shared HTTP
// layer. Stand-in: a node:http server on 127.0.0.1 playing api.replicate.com and its file delivery
// host: prediction and training objects move starting → processing → succeeded as they are polled,
// errors are Replicate's problem details ({ title, detail, status }), outputs are real PNGs made
// by sharp and served from the same server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReplicateProvider, type ReplicateOptions } from '../../../src/modules/generation/providers/replicate/replicate.ts';
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
  type SeenRequest,
  type StandIn,
} from '../../helpers/provider-stand-in.ts';
import type http from 'node:http';

const TOKEN = 'r8_test_0123456789abcdef';
const TRAINER_VERSION = 'a'.repeat(64);
const TRAINED_VERSION = 'b'.repeat(64);
let api: StandIn;
let png: Buffer;

beforeAll(async () => {
  api = await startStandIn();
  png = await pngBytes('#8e44ad');
});
afterAll(() => api.close());

const replicate = (o: Partial<ReplicateOptions> = {}) =>
  createReplicateProvider({ apiToken: TOKEN, apiBase: api.base, timeoutMs: 5_000, pollIntervalMs: 5, ...o });

/**
 * A small Replicate: each created job answers `starting`, then reports `processing` on its first
 * poll and its final state on the next. `finish` decides that final state per job.
 */
function replicateApi(finish: (job: { id: string; kind: string; n: number }) => Record<string, unknown>, opts: { immediate?: boolean } = {}) {
  const jobs = new Map<string, { id: string; kind: string; n: number; polls: number; canceled: boolean }>();
  let next = 0;
  const jobView = (j: { id: string; kind: string; n: number; polls: number; canceled: boolean }) => {
    const base = { id: j.id, model: 'm', version: 'v', input: {}, logs: '', error: null, created_at: '2026-01-01T00:00:00Z', urls: { get: `${api.base}/v1/${j.kind}/${j.id}` } };
    if (j.canceled) return { ...base, status: 'canceled' };
    if (j.polls === 0 && !opts.immediate) return { ...base, status: 'starting', output: null };
    if (j.polls === 1 && !opts.immediate) return { ...base, status: 'processing', output: null };
    return { ...base, ...finish(j) };
  };
  return (req: SeenRequest, res: http.ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}` && !req.path.startsWith('/delivery/')) {
      return sendJson(res, 401, { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 });
    }
    if (req.method === 'GET' && req.path.startsWith('/delivery/')) return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    if (req.method === 'POST' && req.path === '/v1/files') {
      return sendJson(res, 201, { id: 'file-1', name: 'x', content_type: 'application/zip', size: req.body.length, urls: { get: `${api.base}/v1/files/file-1/download` } });
    }
    const create = /^\/v1\/(?:models\/[^/]+\/[^/]+\/(predictions)|(predictions)|models\/[^/]+\/[^/]+\/versions\/[^/]+\/(trainings))$/.exec(req.path);
    if (req.method === 'POST' && create) {
      const kind = create[3] ? 'trainings' : 'predictions';
      const job = { id: `job${++next}`, kind, n: req.json?.input?.num_outputs ?? 1, polls: 0, canceled: false };
      jobs.set(job.id, job);
      return sendJson(res, 201, jobView(job));
    }
    const one = /^\/v1\/(predictions|trainings)\/([^/]+)(\/cancel)?$/.exec(req.path);
    const job = one ? jobs.get(one[2]!) : undefined;
    if (!one || !job) return sendJson(res, 404, { title: 'Not found', detail: 'Not found.', status: 404 });
    if (one[3] && req.method === 'POST') {
      job.canceled = true;
      return sendJson(res, 200, jobView(job));
    }
    job.polls++;
    return sendJson(res, 200, jobView(job));
  };
}

const outputUrls = (j: { id: string; n: number }) => Array.from({ length: j.n }, (_, i) => `${api.base}/delivery/${j.id}-${i}.png`);
const problem = (status: number, title: string, detail: string) => ({ title, detail, status });

describe('replicate adapter', () => {
  it('generates on an official model with Prefer: wait, downloads the output URLs without the token, and prices per image', async () => {
    api.handle(replicateApi((j) => ({ status: 'succeeded', output: outputUrls(j), metrics: { predict_time: 0.8 } }), { immediate: true }));
    const { ctx, calls } = runContext();

    const result = await replicate().run(providerInput({ type: 'generate', prompt: 'A lighthouse', params: { aspect_ratio: '16:9' }, numOutputs: 2 }), ctx);

    expect(result.outputs).toEqual([
      { bytes: png, mimeType: 'image/png' },
      { bytes: png, mimeType: 'image/png' },
    ]);
    expect(result.model).toBe('black-forest-labs/flux-schnell');
    expect(result.costMicros).toBe(2 * 3_000);
    const create = api.seen[0]!;
    expect(create.path).toBe('/v1/models/black-forest-labs/flux-schnell/predictions');
    expect(create.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(create.headers.prefer).toBe('wait=3');
    expect(create.json).toEqual({ input: { prompt: 'A lighthouse Aspect ratio: 16:9.', num_outputs: 2, aspect_ratio: '16:9', output_format: 'png' } });
    const downloads = api.seen.filter((r) => r.path.startsWith('/delivery/'));
    expect(downloads).toHaveLength(2);
    expect(downloads[0]!.headers.authorization).toBeUndefined();
    expect(calls.map((c) => c.operation)).toEqual(['create_prediction', 'download_output', 'download_output']);
    expect(calls[0]!.response).toMatchObject({ request_id: 'job1', status: 'succeeded' });
    expect(JSON.stringify(calls)).not.toContain(TOKEN);
  });

  it('runs one prediction per output for an editing model, polling each until it succeeds', async () => {
    api.handle(replicateApi((j) => ({ status: 'succeeded', output: `${api.base}/delivery/${j.id}.png` })));
    const product = await imageInput('product');

    const result = await replicate().run(providerInput({ type: 'lifestyle', params: { setting: 'beach_picnic' }, images: [product], numOutputs: 2 }), runContext().ctx);

    expect(result.outputs).toHaveLength(2);
    expect(result.costMicros).toBe(2 * 40_000);
    const creates = api.seen.filter((r) => r.method === 'POST');
    expect(creates.map((r) => r.path)).toEqual([
      '/v1/models/black-forest-labs/flux-kontext-pro/predictions',
      '/v1/models/black-forest-labs/flux-kontext-pro/predictions',
    ]);
    const body = creates[0]!.json.input;
    expect(body.input_image).toBe(`data:image/jpeg;base64,${product.bytes.toString('base64')}`);
    expect(body.aspect_ratio).toBe('match_input_image');
    expect(body.prompt).toContain('Setting: beach picnic.');
    expect(api.seen.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/predictions/')).length).toBe(4);
  });

  it('uploads an input too large for a data URI through the files API and passes its URL', async () => {
    api.handle(replicateApi(() => ({ status: 'succeeded', output: `${api.base}/delivery/x.png` }), { immediate: true }));
    const source = await imageInput('source');

    await replicate({ inlineLimitBytes: 10 }).run(providerInput({ type: 'upscale', images: [source] }), runContext().ctx);

    const upload = api.seen[0]!;
    expect(upload.path).toBe('/v1/files');
    const form = await formOf(upload);
    expect(Buffer.from(await (form.get('content') as File).arrayBuffer())).toEqual(source.bytes);
    expect(api.seen[1]!.path).toBe('/v1/models/recraft-ai/recraft-crisp-upscale/predictions');
    expect(api.seen[1]!.json).toEqual({ input: { image: `${api.base}/v1/files/file-1/download` } });
  });

  it('sends the cancel when the run is aborted mid-poll, and when the deadline passes', async () => {
    api.handle(replicateApi(() => ({ status: 'processing', output: null })));
    const controller = new AbortController();
    const pending = replicate().run(providerInput({ type: 'generate', prompt: 'x' }), runContext({ signal: controller.signal }).ctx);
    await waitFor(() => api.seen.some((r) => r.method === 'GET'), 'a poll');
    controller.abort();
    expect(await rejectionOf(pending)).toMatchObject({ code: 'cancelled', retryable: false });
    expect(api.seen.at(-1)).toMatchObject({ method: 'POST', path: '/v1/predictions/job1/cancel' });

    api.handle(replicateApi(() => ({ status: 'processing', output: null })));
    const late = await rejectionOf(replicate().run(providerInput({ type: 'generate', prompt: 'x' }), runContext({ deadline: new Date(Date.now() + 150) }).ctx));
    expect(late).toMatchObject({ code: 'timeout', retryable: false });
    expect(api.seen.at(-1)!.path).toMatch(/^\/v1\/predictions\/job\d+\/cancel$/);
  });

  it('maps 429 (with Retry-After), 500, 422, 401 and a slow create to the right errors', async () => {
    api.handle((_req, res) => sendJson(res, 429, problem(429, 'Request was throttled', 'Request was throttled. Expected available in 4 seconds.'), { 'retry-after': '4' }));
    expect(await rejectionOf(replicate().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_error',
      retryable: true,
      retryAfterMs: 4_000,
    });

    api.handle((_req, res) => sendJson(res, 500, problem(500, 'Internal Server Error', 'Something went wrong')));
    expect(await rejectionOf(replicate().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_error',
      retryable: true,
    });

    api.handle((_req, res) => sendJson(res, 422, { ...problem(422, 'Input validation failed', '- input.num_outputs: Must be less than or equal to 4'), invalid_fields: [{ type: 'less_than_equal', field: 'input.num_outputs', description: 'Must be less than or equal to 4' }] }));
    const invalid = await rejectionOf(replicate().run(providerInput({ type: 'generate', prompt: 'x', numOutputs: 8 }), runContext().ctx));
    expect(invalid).toMatchObject({ code: 'invalid_input', retryable: false, httpStatus: 422 });
    expect(invalid.message).toContain('num_outputs');

    api.handle(replicateApi(() => ({ status: 'succeeded', output: [] })));
    expect(await rejectionOf(replicate({ apiToken: 'wrong' }).run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_unavailable',
      retryable: false,
    });

    api.handle(() => undefined);
    expect(await rejectionOf(replicate({ timeoutMs: 200 }).run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_error',
      retryable: true,
    });
  });

  it('turns a prediction that failed on an NSFW check into content_policy, and any other failure into a final provider_error', async () => {
    api.handle(replicateApi(() => ({ status: 'failed', output: null, error: 'NSFW content detected. Try running it again, or try a different prompt.' })));
    expect(await rejectionOf(replicate().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'content_policy',
      retryable: false,
    });

    api.handle(replicateApi(() => ({ status: 'failed', output: null, error: 'CUDA error: an illegal memory access was encountered' })));
    const failed = await rejectionOf(replicate().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx));
    expect(failed).toMatchObject({ code: 'provider_error', retryable: false });
    expect(failed.message).toContain('CUDA error');
  });

  it('keeps polling through a passing 502, and treats a malformed job as a final provider_error', async () => {
    const inner = replicateApi((j) => ({ status: 'succeeded', output: [`${api.base}/delivery/${j.id}.png`] }));
    let failedOnce = false;
    api.handle((req, res) => {
      if (req.method === 'GET' && req.path.startsWith('/v1/predictions/') && !failedOnce) {
        failedOnce = true;
        return sendJson(res, 502, problem(502, 'Bad Gateway', 'upstream'));
      }
      return inner(req, res);
    });
    const ok = await replicate().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx);
    expect(ok.outputs).toHaveLength(1);

    api.handle((_req, res) => sendJson(res, 201, { id: 'job1', status: 'queued-ish' }));
    expect(await rejectionOf(replicate().run(providerInput({ type: 'generate', prompt: 'x' }), runContext().ctx))).toMatchObject({
      code: 'provider_error',
      retryable: false,
    });
  });

  it('resumes a known prediction by id instead of creating a new one, and starts afresh when that one was canceled', async () => {
    api.handle(replicateApi((j) => ({ status: 'succeeded', output: [`${api.base}/delivery/${j.id}.png`] })));
    // A previous process created job1 and died before it finished polling.
    const earlier = await fetch(`${api.base}/v1/models/black-forest-labs/flux-schnell/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: { prompt: 'x' } }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    api.seen.length = 0;

    const resumed = await replicate().run(providerInput({ type: 'generate', prompt: 'x', context: { resumeRequestIds: [earlier.id] } }), runContext().ctx);
    expect(resumed.outputs).toHaveLength(1);
    expect(api.seen.filter((r) => r.method === 'POST')).toEqual([]);
    expect(api.seen[0]).toMatchObject({ method: 'GET', path: `/v1/predictions/${earlier.id}` });

    await fetch(`${api.base}/v1/predictions/${earlier.id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    api.seen.length = 0;
    await replicate().run(providerInput({ type: 'generate', prompt: 'x', context: { resumeRequestIds: [earlier.id] } }), runContext().ctx);
    expect(api.seen.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/v1/models/black-forest-labs/flux-schnell/predictions']);
  });

  it('trains a subject: uploads the photos as a zip, starts the training on the trainer version, and returns the trained version as an artifact', async () => {
    api.handle(replicateApi(() => ({ status: 'succeeded', output: { version: `acme/subjects:${TRAINED_VERSION}`, weights: `${api.base}/delivery/w.tar` }, metrics: { predict_time: 100 } })));
    const p = replicate({ trainer: `replicate/fast-flux-trainer:${TRAINER_VERSION}`, trainingDestination: 'acme/subjects' });
    expect(p.supports('subject_training')).toBe(true);
    expect(replicate().supports('subject_training')).toBe(false);

    const result = await p.run(
      providerInput({ type: 'subject_training', images: [await imageInput('subject'), await imageInput('subject')], params: { trigger_word: 'zxq person' } }),
      runContext().ctx,
    );

    expect(result.outputs).toEqual([]);
    expect(result.artifacts).toMatchObject({ provider: 'replicate', trained_model: `acme/subjects:${TRAINED_VERSION}`, trigger_word: 'zxqperson', training_id: 'job1' });
    expect(result.costMicros).toBe(100 * 1_525);
    const zip = Buffer.from(await ((await formOf(api.seen[0]!)).get('content') as File).arrayBuffer());
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    const create = api.seen[1]!;
    expect(create.path).toBe(`/v1/models/replicate/fast-flux-trainer/versions/${TRAINER_VERSION}/trainings`);
    expect(create.json).toEqual({ destination: 'acme/subjects', input: { input_images: `${api.base}/v1/files/file-1/download`, trigger_word: 'zxqperson' } });
    expect(api.seen.some((r) => r.path === '/v1/trainings/job1')).toBe(true);
  });

  it('runs a headshot on a trained version through /v1/predictions with the trigger word in the prompt', async () => {
    api.handle(replicateApi((j) => ({ status: 'succeeded', output: outputUrls(j), metrics: { predict_time: 3 } }), { immediate: true }));

    const result = await replicate().run(
      providerInput({
        type: 'headshot',
        params: { glasses: 'no', backgrounds: ['office'] },
        numOutputs: 4,
        context: { subject: { gender: 'male', trainedModel: `acme/subjects:${TRAINED_VERSION}`, triggerWord: 'zxqperson' } },
      }),
      runContext().ctx,
    );

    expect(result.outputs).toHaveLength(4);
    expect(result.costMicros).toBe(3 * 1_525);
    const create = api.seen[0]!;
    expect(create.path).toBe('/v1/predictions');
    expect(create.json.version).toBe(TRAINED_VERSION);
    expect(create.json.input.num_outputs).toBe(4);
    expect(create.json.input.prompt).toContain('zxqperson');
    expect(create.json.input.prompt).toContain('does not wear glasses');
  });
});
