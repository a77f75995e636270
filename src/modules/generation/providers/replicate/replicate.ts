/**
 * Replicate predictions and trainings (HTTP API v1, header `Authorization: Bearer <token>`):
 *   POST /v1/models/{owner}/{name}/predictions  { input }               an official model
 *   POST /v1/predictions                         { version, input }      a pinned or trained version
 *   GET  /v1/predictions/{id} · POST /v1/predictions/{id}/cancel
 *   POST /v1/models/{owner}/{name}/versions/{version}/trainings  { destination, input }
 *   GET  /v1/trainings/{id} · POST /v1/trainings/{id}/cancel
 *   POST /v1/files (multipart `content`) → { id, urls: { get } }   inputs too large for a data URI
 * A create carries `Prefer: wait=N` so fast models answer at once; anything still `starting` or
 * `processing` is polled until `succeeded`, `failed`, `canceled` or `aborted`. When the run is
 * aborted while a prediction is known, its cancel is sent before the error is thrown. Output files
 * are URLs (downloaded without the token) or data URIs. Errors are problem details
 * `{ title, detail, status }`; a prediction that fails with an NSFW/sensitive-content error is a
 * content_policy refusal. Every create records `request_id`, so a restarted engine can resume
 * (context.resumeRequestIds, see shared/runs.ts) instead of paying twice.
 */
import { z } from 'zod';
import { systemClock, type Clock } from '../../../../platform/clock.ts';
import { ProviderError, type GenerationType, type ImageProvider, type ProviderImage, type ProviderInput, type RunContext } from '../provider.ts';
import { priceFor, priceUsage, type PriceTable } from '../shared/costs.ts';
import { bearer, clip, createHttp, sleep, type ServiceError } from '../shared/http.ts';
import { aspectRatioOf, dataUri, orderedImages, toOutput } from '../shared/images.ts';
import { buildPrompt, humanize } from '../shared/prompts.ts';
import { fanOut, resumeIdsOf } from '../shared/runs.ts';
import { triggerWordFor, zipImages } from '../shared/zip.ts';

/** Default model per generation type; any can be replaced by `models`. */
export const replicateDefaultModels: Partial<Record<GenerationType, string>> = {
  generate: 'black-forest-labs/flux-schnell',
  model_shot: 'black-forest-labs/flux-kontext-pro',
  lifestyle: 'black-forest-labs/flux-kontext-pro',
  room_scene: 'black-forest-labs/flux-kontext-pro',
  headshot: 'black-forest-labs/flux-kontext-pro',
  style_conversion: 'black-forest-labs/flux-kontext-pro',
  ad_creative: 'black-forest-labs/flux-kontext-pro',
  upscale: 'recraft-ai/recraft-crisp-upscale',
  background_removal: 'recraft-ai/recraft-remove-background',
};

const terminal = new Set(['succeeded', 'failed', 'canceled', 'aborted']);
/** Data URIs above this size are uploaded through the files API instead (Replicate's advice). */
const INLINE_LIMIT = 256 * 1024;
/** Consecutive failed polls tolerated before the run gives up (the job keeps its id for a resume). */
const MAX_POLL_ERRORS = 3;
const MODEL_ID = /^[\w.-]+\/[\w.-]+$/;
const VERSIONED_ID = /^(?:[\w.-]+\/[\w.-]+:)?([0-9a-f]{64})$/;

const ZJob = z
  .object({
    id: z.string().min(1),
    status: z.enum(['starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted']),
    output: z.unknown().optional(),
    error: z.unknown().optional(),
    version: z.string().nullish(),
    model: z.string().nullish(),
    metrics: z.object({ predict_time: z.number().optional() }).loose().nullish(),
  })
  .loose();
type Job = z.infer<typeof ZJob>;
const ZFile = z.object({ id: z.string(), urls: z.object({ get: z.string() }) }).loose();
const ZProblem = z.object({ title: z.string().optional(), detail: z.unknown().optional(), status: z.number().optional() }).loose();

function readError(status: number, body: unknown): ServiceError {
  const parsed = ZProblem.safeParse(body);
  if (!parsed.success) return {};
  const detail = typeof parsed.data.detail === 'string' ? parsed.data.detail : JSON.stringify(parsed.data.detail ?? '');
  const out = { code: parsed.data.title, message: detail };
  if (/nsfw|sensitive|safety/i.test(detail)) return { ...out, kind: 'content_policy' };
  // "You have reached the free time limit" / "Insufficient credit": the account, not the request.
  if (status === 402 || /insufficient credit|billing|free time limit/i.test(detail)) return { ...out, kind: 'unavailable' };
  return out;
}

export interface ReplicateOptions {
  apiToken: string;
  apiBase: string;
  models?: Partial<Record<GenerationType, string>>;
  /** The trainer for `subject_training`, `owner/name:version` (trainings need a version). */
  trainer?: string;
  /** Where trained versions go, `owner/model` (the model must exist on the account). */
  trainingDestination?: string;
  prices?: PriceTable;
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** Seconds a create may hold the connection for a fast result (`Prefer: wait`). */
  preferWaitSeconds?: number;
  inlineLimitBytes?: number;
}

export function createReplicateProvider(opts: ReplicateOptions): ImageProvider {
  const clock = opts.clock ?? systemClock;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const http = createHttp({ provider: 'replicate', fetch: opts.fetch ?? fetch, clock, timeoutMs, readError });
  const base = `${opts.apiBase.replace(/\/+$/, '')}/v1`;
  const auth = bearer(opts.apiToken);
  const pollMs = opts.pollIntervalMs ?? 1_500;
  const preferWait = Math.max(1, Math.min(opts.preferWaitSeconds ?? 10, 60, Math.floor(timeoutMs / 1000) - 2));
  const models = { ...replicateDefaultModels, ...opts.models };
  const deps = { provider: 'replicate' as const, clock };
  const canTrain = Boolean(opts.trainer && VERSIONED_ID.test(opts.trainer) && opts.trainingDestination && MODEL_ID.test(opts.trainingDestination));

  const jobSummary = (j: Job) => ({ request_id: j.id, status: j.status, ...(j.metrics?.predict_time === undefined ? {} : { predict_time: j.metrics.predict_time }) });

  /** Price of a finished job: per image for official models, per second for versions and trainings. */
  function costOf(model: string, kind: 'prediction' | 'training', j: Job, images: number) {
    const versioned = VERSIONED_ID.test(model);
    const row = priceFor('replicate', model, opts.prices) ?? (kind === 'training' ? priceFor('replicate', 'training', opts.prices) : versioned ? priceFor('replicate', 'trained', opts.prices) : undefined);
    const priced = row?.perImage !== undefined ? { images } : { seconds: j.metrics?.predict_time ?? 0 };
    return priceUsage(row, priced);
  }

  /** A data URI for small files, else an upload; trainers always get an upload (a zip as a data URI is refused). */
  async function fileInput(img: ProviderImage | { bytes: Buffer; mimeType: string; name: string }, ctx: RunContext, upload = false): Promise<string> {
    if (!upload && img.bytes.length <= (opts.inlineLimitBytes ?? INLINE_LIMIT)) return dataUri(img.mimeType, img.bytes);
    const form = new FormData();
    form.set('content', new Blob([new Uint8Array(img.bytes)], { type: img.mimeType }), 'name' in img ? img.name : `${img.role}`);
    form.set('metadata', new Blob([JSON.stringify({})], { type: 'application/json' }));
    const { data } = await http.json(
      { operation: 'upload_file', method: 'POST', url: `${base}/files`, headers: auth, form, summary: { bytes: img.bytes.length, content_type: img.mimeType } },
      ctx,
      ZFile,
      (f) => ({ response: { file_id: f.id } }),
    );
    return data.urls.get;
  }

  const get = (kind: 'predictions' | 'trainings', id: string, ctx: RunContext, model: string) =>
    http.json(
      { operation: kind === 'predictions' ? 'get_prediction' : 'get_training', method: 'GET', url: `${base}/${kind}/${encodeURIComponent(id)}`, headers: auth },
      ctx,
      ZJob,
      (j) => ({ response: jobSummary(j), ...(j.status === 'succeeded' && kind === 'trainings' ? { costMicros: costOf(model, 'training', j, 0).costMicros } : {}) }),
    );

  /** Best effort: the run is already failing; a cancel that does not go out is only recorded. */
  async function cancel(kind: 'predictions' | 'trainings', id: string, ctx: RunContext) {
    await http
      .json(
        { operation: kind === 'predictions' ? 'cancel_prediction' : 'cancel_training', method: 'POST', url: `${base}/${kind}/${encodeURIComponent(id)}/cancel`, headers: auth, detached: true, summary: { request_id: id } },
        ctx,
        ZJob,
        (j) => ({ response: jobSummary(j) }),
      )
      .catch(() => undefined);
  }

  /** Polls until the job ends; an abort (or a poll failure we give up on) cancels it first. */
  async function settle(kind: 'predictions' | 'trainings', job: Job, ctx: RunContext, model: string): Promise<Job> {
    let current = job;
    let pollErrors = 0;
    while (!terminal.has(current.status)) {
      try {
        await sleep(pollMs, ctx, deps);
        current = (await get(kind, current.id, ctx, model)).data;
        pollErrors = 0;
      } catch (err) {
        if (err instanceof ProviderError && err.retryable && ++pollErrors <= MAX_POLL_ERRORS) continue;
        await cancel(kind, current.id, ctx);
        throw err;
      }
    }
    return current;
  }

  /** The job of a resumed slot, unless it is gone or was stopped before finishing. */
  async function resumed(kind: 'predictions' | 'trainings', id: string | undefined, ctx: RunContext, model: string): Promise<Job | undefined> {
    if (!id) return undefined;
    try {
      const { data } = await get(kind, id, ctx, model);
      return data.status === 'canceled' || data.status === 'aborted' ? undefined : data;
    } catch (err) {
      if (err instanceof ProviderError && err.httpStatus === 404) return undefined;
      throw err;
    }
  }

  async function predict(model: string, input: Record<string, unknown>, ctx: RunContext, resumeId: string | undefined, summary: Record<string, unknown>) {
    let job = await resumed('predictions', resumeId, ctx, model);
    if (!job) {
      const versioned = VERSIONED_ID.exec(model);
      const headers = { ...auth, prefer: `wait=${preferWait}` };
      const call = versioned
        ? { url: `${base}/predictions`, json: { version: versioned[1], input } }
        : { url: `${base}/models/${model.split('/').map(encodeURIComponent).join('/')}/predictions`, json: { input } };
      job = (await http.json({ operation: 'create_prediction', method: 'POST', headers, summary: { model, ...summary }, ...call }, ctx, ZJob, (j) => ({ response: jobSummary(j) })))
        .data;
    }
    const done = await settle('predictions', job, ctx, model);
    return { job: done, outputs: await outputsOf(done, ctx) };
  }

  async function outputsOf(job: Job, ctx: RunContext) {
    failUnlessSucceeded(job);
    const files = filesOf(job.output);
    if (files.length === 0) throw new ProviderError('provider_error', `replicate prediction ${job.id} succeeded without an output file.`);
    const outputs = [];
    for (const file of files) {
      const bytes = file.startsWith('data:')
        ? Buffer.from(file.slice(file.indexOf(',') + 1), 'base64')
        : (await http.bytes({ operation: 'download_output', method: 'GET', url: file, summary: { request_id: job.id } }, ctx)).bytes;
      outputs.push(toOutput(bytes, 'replicate'));
    }
    return outputs;
  }

  /** One prediction per output for single-image models; one for all where the model takes a count. */
  async function runImages(input: ProviderInput, ctx: RunContext) {
    const trained = VERSIONED_ID.test(input.context?.subject?.trainedModel ?? '') ? input.context?.subject?.trainedModel : undefined;
    const model = trained ?? input.model ?? models[input.type];
    if (!model) throw new ProviderError('provider_unavailable', `No replicate model is configured for ${input.type}.`);
    const prompt = input.type === 'upscale' || input.type === 'background_removal' ? undefined : buildPrompt(input);
    const ratio = aspectRatioOf(input.params);
    const images = orderedImages(input.images);
    const resumeIds = resumeIdsOf(input);
    const summary = { type: input.type, input_images: images.length, ...(prompt ? { prompt_chars: prompt.length } : {}) };

    const countInOne = input.type === 'generate' || trained !== undefined;
    if (countInOne) {
      const body = { prompt, num_outputs: input.numOutputs, aspect_ratio: ratio ?? '1:1', output_format: 'png' };
      const { job, outputs } = await predict(model, body, ctx, resumeIds[0], { ...summary, num_outputs: input.numOutputs });
      return { outputs, model, costMicros: costOf(model, 'prediction', job, outputs.length).costMicros };
    }

    const primary = images[0];
    if (!primary) throw new ProviderError('invalid_input', `${input.type} needs an input image.`);
    const image = await fileInput(primary, ctx);
    const body =
      input.type === 'upscale' || input.type === 'background_removal'
        ? { image }
        : { prompt, input_image: image, aspect_ratio: ratio ?? 'match_input_image', output_format: 'png' };
    const runs = await fanOut(input.numOutputs, ctx, (i, c) => predict(model, body, c, resumeIds[i], summary));
    return {
      outputs: runs.flatMap((r) => r.outputs),
      model,
      costMicros: runs.reduce((sum, r) => sum + costOf(model, 'prediction', r.job, r.outputs.length).costMicros, 0),
    };
  }

  async function train(input: ProviderInput, ctx: RunContext) {
    if (!canTrain) throw new ProviderError('provider_unavailable', 'replicate training needs REPLICATE_TRAINER (owner/name:version) and REPLICATE_TRAINING_DESTINATION.');
    const trainer = opts.trainer!;
    const photos = orderedImages(input.images);
    if (photos.length === 0) throw new ProviderError('invalid_input', 'subject_training needs at least one photo.');
    const triggerWord = humanize(input.params.trigger_word)?.replace(/\s+/g, '') || triggerWordFor(input.generationId);

    let job = await resumed('trainings', resumeIdsOf(input)[0], ctx, trainer);
    if (!job) {
      const zip = await zipImages(photos, clock.now());
      const url = await fileInput({ bytes: zip, mimeType: 'application/zip', name: 'subject.zip' }, ctx, true);
      const [, owner, name, version] = /^([\w.-]+)\/([\w.-]+):([0-9a-f]{64})$/.exec(trainer)!;
      const extra = typeof input.params.steps === 'number' ? { steps: input.params.steps } : {};
      job = (
        await http.json(
          {
            operation: 'create_training',
            method: 'POST',
            url: `${base}/models/${owner}/${name}/versions/${version}/trainings`,
            headers: auth,
            json: { destination: opts.trainingDestination, input: { input_images: url, trigger_word: triggerWord, ...extra } },
            summary: { trainer, destination: opts.trainingDestination, photos: photos.length },
          },
          ctx,
          ZJob,
          (j) => ({ response: jobSummary(j) }),
        )
      ).data;
    }
    const done = await settle('trainings', job, ctx, trainer);
    failUnlessSucceeded(done);
    const out = z.object({ version: z.string().regex(VERSIONED_ID), weights: z.string().optional() }).loose().safeParse(done.output);
    if (!out.success) throw new ProviderError('provider_error', `replicate training ${done.id} succeeded without a trained version.`);
    return {
      outputs: [],
      model: trainer,
      costMicros: costOf(trainer, 'training', done, 0).costMicros,
      artifacts: { provider: 'replicate', trained_model: out.data.version, trigger_word: triggerWord, training_id: done.id, ...(out.data.weights ? { weights_url: out.data.weights } : {}) },
    };
  }

  const supports = (type: GenerationType) => (type === 'subject_training' ? canTrain : Boolean(models[type]));
  return {
    id: 'replicate',
    supports,
    async run(input, ctx) {
      if (!supports(input.type) && !(input.type === 'headshot' && input.context?.subject?.trainedModel)) {
        throw new ProviderError('provider_unavailable', `replicate is not set up to run ${input.type}.`);
      }
      return input.type === 'subject_training' ? train(input, ctx) : runImages(input, ctx);
    },
  };
}

function failUnlessSucceeded(job: Job): void {
  if (job.status === 'succeeded') return;
  const said = typeof job.error === 'string' ? job.error : job.error ? JSON.stringify(job.error) : '';
  const message = `replicate job ${job.id} ended ${job.status}${said ? `: ${clip(said)}` : ''}.`;
  if (job.status === 'canceled') throw new ProviderError('cancelled', message);
  // Stopped by Replicate before it ran (a deadline or capacity): another attempt can succeed.
  if (job.status === 'aborted') throw new ProviderError('provider_error', message, { retryable: true });
  // E005 is Replicate's "input or output was flagged as sensitive"; FLUX safety checkers say NSFW.
  if (/nsfw|sensitive|E005|safety/i.test(said)) throw new ProviderError('content_policy', message);
  throw new ProviderError('provider_error', message);
}

/** Output files of any shape a model returns: a URL, a list of URLs, or an object of them. */
function filesOf(output: unknown): string[] {
  if (typeof output === 'string') return /^(https?:|data:image\/)/.test(output) ? [output] : [];
  if (Array.isArray(output)) return output.flatMap(filesOf);
  if (output && typeof output === 'object') return Object.values(output).flatMap(filesOf);
  return [];
}
