/**
 * fal model APIs through fal's queue (header `Authorization: Key <key>`, base https://queue.fal.run):
 *   POST {base}/{model-id}                          the input JSON  → { request_id, … }
 *   GET  {base}/{app}/requests/{id}/status          → { status: IN_QUEUE | IN_PROGRESS | COMPLETED }
 *   GET  {base}/{app}/requests/{id}                 → the model's result, or its error
 *   PUT  {base}/{app}/requests/{id}/cancel          → 202 { status: CANCELLATION_REQUESTED }
 * `{app}` is the model id without its subpath (`fal-ai/flux/schnell` → `fal-ai/flux`), as fal's
 * docs require for status, result and cancel. Input images go as data URIs (fal accepts them for
 * every file input); outputs are `images[].url` or `image.url`, downloaded without the key.
 * Model errors are `{ detail: [{ loc, msg, type }] }` with `type: content_policy_violation` for a
 * safety refusal; images the safety checker flagged (`has_nsfw_concepts`) are dropped, and a run
 * whose every image was flagged is a content_policy refusal. Every submit records `request_id`, so
 * a restarted engine can resume with context.resumeRequestIds.
 */
import { z } from 'zod';
import { systemClock, type Clock } from '../../../../platform/clock.ts';
import { ProviderError, type GenerationType, type ImageProvider, type ProviderInput, type ProviderOutput, type RunContext } from '../provider.ts';
import { priceFor, priceUsage, type PriceTable } from '../shared/costs.ts';
import { createHttp, sleep, type ServiceError } from '../shared/http.ts';
import { aspectRatioOf, dataUri, orderedImages, toOutput, type AspectRatio } from '../shared/images.ts';
import { buildPrompt, humanize } from '../shared/prompts.ts';
import { resumeIdsOf } from '../shared/runs.ts';
import { triggerWordFor, zipImages } from '../shared/zip.ts';

const editModel = 'fal-ai/nano-banana/edit';
/** Default model per generation type; any can be replaced by `models`. */
export const falDefaultModels: Partial<Record<GenerationType, string>> = {
  generate: 'fal-ai/flux/schnell',
  model_shot: editModel,
  lifestyle: editModel,
  room_scene: editModel,
  headshot: editModel,
  style_conversion: editModel,
  ad_creative: editModel,
  upscale: 'fal-ai/esrgan',
  background_removal: 'fal-ai/birefnet',
  subject_training: 'fal-ai/flux-lora-fast-training',
};
/** Runs a trained LoRA (a headshot of a trained subject). */
export const FAL_LORA_MODEL = 'fal-ai/flux-lora';

const MAX_POLL_ERRORS = 3;
const MODEL_ID = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?$/;

const ZSubmit = z.object({ request_id: z.string().min(1) }).loose();
const ZStatus = z.object({ status: z.enum(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']), queue_position: z.number().nullish() }).loose();
const ZFileRef = z.object({ url: z.string(), content_type: z.string().nullish() }).loose();
const ZResult = z
  .object({
    images: z.array(ZFileRef).optional(),
    image: ZFileRef.optional(),
    has_nsfw_concepts: z.array(z.boolean()).optional(),
    diffusers_lora_file: ZFileRef.optional(),
  })
  .loose();
type Result = z.infer<typeof ZResult>;
const ZDetail = z.object({ detail: z.union([z.string(), z.array(z.object({ msg: z.string().optional(), type: z.string().optional() }).loose())]) });

function readError(_status: number, body: unknown): ServiceError {
  const parsed = ZDetail.safeParse(body);
  if (!parsed.success) return {};
  const { detail } = parsed.data;
  if (typeof detail === 'string') return { message: detail };
  const first = detail[0];
  const out = { code: first?.type, message: detail.map((d) => d.msg).filter(Boolean).join('; ') };
  if (detail.some((d) => d.type === 'content_policy_violation')) return { ...out, kind: 'content_policy' };
  return out;
}

export interface FalOptions {
  apiKey: string;
  /** The queue base, https://queue.fal.run. */
  apiBase: string;
  models?: Partial<Record<GenerationType, string>>;
  /** The model that runs a trained LoRA. */
  loraModel?: string;
  prices?: PriceTable;
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
  pollIntervalMs?: number;
}

export function createFalProvider(opts: FalOptions): ImageProvider {
  const clock = opts.clock ?? systemClock;
  const http = createHttp({ provider: 'fal', fetch: opts.fetch ?? fetch, clock, timeoutMs: opts.timeoutMs ?? 60_000, readError });
  const base = opts.apiBase.replace(/\/+$/, '');
  const auth = { authorization: `Key ${opts.apiKey}` };
  const pollMs = opts.pollIntervalMs ?? 1_000;
  const models = { ...falDefaultModels, ...opts.models };
  const deps = { provider: 'fal' as const, clock };

  const appOf = (model: string) => model.split('/').slice(0, 2).join('/');
  const requestUrl = (model: string, id: string, tail = '') => `${base}/${appOf(model)}/requests/${encodeURIComponent(id)}${tail}`;

  const status = (model: string, id: string, ctx: RunContext) =>
    http.json({ operation: 'get_status', method: 'GET', url: requestUrl(model, id, '/status'), headers: auth }, ctx, ZStatus, (s) => ({
      response: { request_id: id, status: s.status },
    }));

  async function cancel(model: string, id: string, ctx: RunContext) {
    await http
      .json({ operation: 'cancel', method: 'PUT', url: requestUrl(model, id, '/cancel'), headers: auth, detached: true, summary: { request_id: id } }, ctx, z.unknown())
      .catch(() => undefined);
  }

  /** Submits (or picks up a resumed request), waits for COMPLETED, and fetches the result. */
  async function queue(model: string, body: Record<string, unknown>, ctx: RunContext, resumeId: string | undefined, summary: Record<string, unknown>) {
    let id: string | undefined;
    let state: string | undefined;
    if (resumeId) {
      try {
        state = (await status(model, resumeId, ctx)).data.status;
        id = resumeId;
      } catch (err) {
        if (!(err instanceof ProviderError && err.httpStatus === 404)) throw err;
      }
    }
    if (!id) {
      const submitted = await http.json(
        { operation: 'submit', method: 'POST', url: `${base}/${model}`, headers: auth, json: body, summary: { model, ...summary } },
        ctx,
        ZSubmit,
        (s) => ({ response: { request_id: s.request_id } }),
      );
      id = submitted.data.request_id;
    }

    let pollErrors = 0;
    while (state !== 'COMPLETED') {
      try {
        await sleep(pollMs, ctx, deps);
        state = (await status(model, id, ctx)).data.status;
        pollErrors = 0;
      } catch (err) {
        if (err instanceof ProviderError && err.retryable && ++pollErrors <= MAX_POLL_ERRORS) continue;
        await cancel(model, id, ctx);
        throw err;
      }
    }
    const { data } = await http.json(
      { operation: 'get_result', method: 'GET', url: requestUrl(model, id), headers: auth, summary: { request_id: id } },
      ctx,
      ZResult,
      (r) => ({ response: { request_id: id, images: (r.images?.length ?? 0) + (r.image ? 1 : 0), nsfw_flags: r.has_nsfw_concepts?.filter(Boolean).length ?? 0 } }),
    );
    return { id, result: data };
  }

  async function download(result: Result, id: string, ctx: RunContext): Promise<ProviderOutput[]> {
    const flags = result.has_nsfw_concepts ?? [];
    const files = [...(result.images ?? []).filter((_, i) => !flags[i]), ...(result.image ? [result.image] : [])];
    if (files.length === 0 && flags.some(Boolean)) throw new ProviderError('content_policy', `fal's safety checker flagged every image of request ${id}.`);
    if (files.length === 0) throw new ProviderError('provider_error', `fal request ${id} completed without an image.`);
    const outputs = [];
    for (const file of files) {
      const bytes = file.url.startsWith('data:')
        ? Buffer.from(file.url.slice(file.url.indexOf(',') + 1), 'base64')
        : (await http.bytes({ operation: 'download_output', method: 'GET', url: file.url, summary: { request_id: id } }, ctx)).bytes;
      outputs.push(toOutput(bytes, 'fal'));
    }
    return outputs;
  }

  const costOf = (model: string, usage: { images?: number; runs?: number }) => priceUsage(priceFor('fal', model, opts.prices), usage).costMicros;

  async function runImages(input: ProviderInput, ctx: RunContext) {
    const lora = /^(https?:|data:)/.test(input.context?.subject?.trainedModel ?? '') ? input.context?.subject?.trainedModel : undefined;
    const model = lora ? (opts.loraModel ?? FAL_LORA_MODEL) : (input.model ?? models[input.type]);
    if (!model || !MODEL_ID.test(model)) throw new ProviderError('provider_unavailable', `No fal model is configured for ${input.type}.`);
    const images = orderedImages(input.images);
    const ratio = aspectRatioOf(input.params);
    let body: Record<string, unknown>;
    if (input.type === 'upscale' || input.type === 'background_removal') {
      const primary = images[0];
      if (!primary) throw new ProviderError('invalid_input', `${input.type} needs an input image.`);
      const image_url = dataUri(primary.mimeType, primary.bytes);
      body = input.type === 'upscale' ? { image_url, scale: typeof input.params.scale === 'number' ? input.params.scale : 2 } : { image_url, output_format: 'png' };
    } else if (lora || input.type === 'generate') {
      body = {
        prompt: buildPrompt(input),
        num_images: input.numOutputs,
        image_size: imageSizeOf(ratio),
        output_format: 'png',
        enable_safety_checker: true,
        ...(lora ? { loras: [{ path: lora, scale: 1 }] } : {}),
      };
    } else {
      if (images.length === 0) throw new ProviderError('invalid_input', `${input.type} needs an input image.`);
      body = { prompt: buildPrompt(input), image_urls: images.map((i) => dataUri(i.mimeType, i.bytes)), num_images: input.numOutputs, output_format: 'png' };
    }
    const summary = { type: input.type, input_images: images.length, num_images: input.numOutputs };
    const { id, result } = await queue(model, body, ctx, resumeIdsOf(input)[0], summary);
    const outputs = await download(result, id, ctx);
    return { outputs, model, costMicros: costOf(model, { images: outputs.length }) };
  }

  async function train(input: ProviderInput, ctx: RunContext) {
    const model = input.model ?? models.subject_training;
    if (!model) throw new ProviderError('provider_unavailable', 'No fal trainer is configured.');
    const photos = orderedImages(input.images);
    if (photos.length === 0) throw new ProviderError('invalid_input', 'subject_training needs at least one photo.');
    const triggerWord = humanize(input.params.trigger_word)?.replace(/\s+/g, '') || triggerWordFor(input.generationId);
    const zip = await zipImages(photos, clock.now());
    const body = {
      images_data_url: dataUri('application/zip', zip),
      trigger_word: triggerWord,
      ...(typeof input.params.steps === 'number' ? { steps: input.params.steps } : {}),
    };
    const { id, result } = await queue(model, body, ctx, resumeIdsOf(input)[0], { type: input.type, photos: photos.length });
    const weights = result.diffusers_lora_file?.url;
    if (!weights) throw new ProviderError('provider_error', `fal training ${id} completed without LoRA weights.`);
    return { outputs: [], model, costMicros: costOf(model, { runs: 1 }), artifacts: { provider: 'fal', trained_model: weights, trigger_word: triggerWord, request_id: id } };
  }

  const supports = (type: GenerationType) => Boolean(models[type]);
  return {
    id: 'fal',
    supports,
    async run(input, ctx) {
      if (!supports(input.type)) throw new ProviderError('provider_unavailable', `fal is not set up to run ${input.type}.`);
      return input.type === 'subject_training' ? train(input, ctx) : runImages(input, ctx);
    },
  };
}

/** fal's size classes for text-to-image models. */
function imageSizeOf(ratio: AspectRatio | undefined): string {
  switch (ratio) {
    case '16:9':
    case '21:9':
    case '3:2':
      return 'landscape_16_9';
    case '4:3':
    case '5:4':
      return 'landscape_4_3';
    case '9:16':
    case '2:3':
      return 'portrait_16_9';
    case '3:4':
    case '4:5':
      return 'portrait_4_3';
    default:
      return 'square_hd';
  }
}
