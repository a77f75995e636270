/**
 * OpenAI Images API with GPT Image models, header `Authorization: Bearer <key>`:
 *   POST {apiBase}/v1/images/generations  JSON { model, prompt, n, size, quality, output_format }
 *   POST {apiBase}/v1/images/edits        multipart: image[] (one part per input image), mask?,
 *                                         model, prompt, n, size, quality, background, output_format
 * Both answer `{ created, data: [{ b64_json }], usage: { input_tokens, input_tokens_details:
 * { text_tokens, image_tokens }, output_tokens } }`; `n` asks for all outputs in one request.
 * Errors are `{ error: { message, type, param, code } }`: `moderation_blocked` (or the older
 * `content_policy_violation`) is a safety refusal, `insufficient_quota` (429) and
 * `billing_hard_limit_reached` mean the account cannot pay, which no retry fixes.
 */
import { z } from 'zod';
import { systemClock, type Clock } from '../../../../platform/clock.ts';
import { ProviderError, type GenerationType, type ImageProvider, type ProviderInput, type RunContext } from '../provider.ts';
import { priceFor, priceUsage, type PriceTable } from '../shared/costs.ts';
import { bearer, createHttp, type ServiceError } from '../shared/http.ts';
import { aspectRatioOf, extensionOf, maskOf, orderedImages, orientationOf, toOutput } from '../shared/images.ts';
import { buildPrompt } from '../shared/prompts.ts';

export const OPENAI_DEFAULT_MODEL = 'gpt-image-1';
export const openaiQualities = ['low', 'medium', 'high', 'auto'] as const;
export type OpenaiQuality = (typeof openaiQualities)[number];

const supported: readonly GenerationType[] = [
  'model_shot',
  'lifestyle',
  'room_scene',
  'headshot',
  'style_conversion',
  'ad_creative',
  'generate',
  'background_removal',
];
/** Most images one request may ask for. */
const MAX_N = 10;

const ZImages = z.object({
  created: z.number().optional(),
  data: z.array(z.object({ b64_json: z.string().optional(), url: z.string().optional() })),
  usage: z
    .object({
      input_tokens: z.number(),
      input_tokens_details: z.object({ text_tokens: z.number().optional(), image_tokens: z.number().optional() }).optional(),
      output_tokens: z.number(),
    })
    .optional(),
});
type ImagesAnswer = z.infer<typeof ZImages>;

const ZError = z.object({
  error: z.object({ message: z.string().optional(), type: z.string().nullish(), param: z.string().nullish(), code: z.string().nullish() }),
});

function readError(_status: number, body: unknown): ServiceError {
  const parsed = ZError.safeParse(body);
  if (!parsed.success) return {};
  const { message, type, code } = parsed.data.error;
  const out = { code: code ?? type ?? undefined, message };
  if (code === 'moderation_blocked' || code === 'content_policy_violation') return { ...out, kind: 'content_policy' };
  if (type === 'image_generation_user_error' && /safety|moderation/i.test(message ?? '')) return { ...out, kind: 'content_policy' };
  if (code === 'insufficient_quota' || code === 'billing_hard_limit_reached' || code === 'billing_not_active') return { ...out, kind: 'unavailable' };
  return out;
}

export interface OpenaiOptions {
  apiKey: string;
  apiBase: string;
  models?: Partial<Record<GenerationType, string>>;
  /** Default `quality` when the parameters do not set one. */
  quality?: OpenaiQuality;
  /** Sent as OpenAI-Organization when set. */
  organization?: string;
  prices?: PriceTable;
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
}

export function createOpenaiProvider(opts: OpenaiOptions): ImageProvider {
  const clock = opts.clock ?? systemClock;
  const http = createHttp({ provider: 'openai', fetch: opts.fetch ?? fetch, clock, timeoutMs: opts.timeoutMs ?? 180_000, readError });
  const base = opts.apiBase.replace(/\/+$/, '');
  const headers = { ...bearer(opts.apiKey), ...(opts.organization ? { 'openai-organization': opts.organization } : {}) };

  function costOf(model: string, d: ImagesAnswer) {
    const u = d.usage;
    return priceUsage(
      priceFor('openai', model, opts.prices),
      u
        ? {
            textInputTokens: u.input_tokens_details?.text_tokens ?? u.input_tokens - (u.input_tokens_details?.image_tokens ?? 0),
            imageInputTokens: u.input_tokens_details?.image_tokens ?? 0,
            outputTokens: u.output_tokens,
          }
        : { images: d.data.length },
    );
  }

  async function request(input: ProviderInput, model: string, n: number, ctx: RunContext) {
    const prompt = buildPrompt(input);
    const ratio = aspectRatioOf(input.params);
    const size = { square: '1024x1024', landscape: '1536x1024', portrait: '1024x1536' }[orientationOf(ratio)];
    const quality = (openaiQualities as readonly unknown[]).includes(input.params.quality) ? (input.params.quality as OpenaiQuality) : (opts.quality ?? 'medium');
    const images = orderedImages(input.images);
    const summary = { model, type: input.type, n, size, quality, input_images: images.length, prompt_chars: prompt.length };
    const summarize = (d: ImagesAnswer) => {
      const cost = costOf(model, d);
      return {
        response: { images: d.data.length, ...(d.usage ? { input_tokens: d.usage.input_tokens, output_tokens: d.usage.output_tokens } : {}), cost_known: cost.known },
        costMicros: cost.costMicros,
      };
    };

    if (images.length === 0) {
      const { data } = await http.json(
        {
          operation: 'generate',
          method: 'POST',
          url: `${base}/v1/images/generations`,
          headers,
          json: { model, prompt, n, size, quality, output_format: 'png' },
          summary,
        },
        ctx,
        ZImages,
        summarize,
      );
      return data;
    }

    const form = new FormData();
    form.set('model', model);
    form.set('prompt', prompt);
    form.set('n', String(n));
    form.set('size', size);
    form.set('quality', quality);
    form.set('output_format', 'png');
    if (input.type === 'background_removal') form.set('background', 'transparent');
    images.forEach((img, i) => form.append('image[]', new Blob([new Uint8Array(img.bytes)], { type: img.mimeType }), `${img.role}-${i + 1}.${extensionOf(img.mimeType, 'png')}`));
    const mask = maskOf(input.images);
    if (mask) form.set('mask', new Blob([new Uint8Array(mask.bytes)], { type: mask.mimeType }), `mask.${extensionOf(mask.mimeType, 'png')}`);
    const { data } = await http.json(
      { operation: 'edit', method: 'POST', url: `${base}/v1/images/edits`, headers, form, summary: { ...summary, mask: Boolean(mask) } },
      ctx,
      ZImages,
      summarize,
    );
    return data;
  }

  return {
    id: 'openai',
    supports: (type) => supported.includes(type),
    async run(input, ctx) {
      if (!supported.includes(input.type)) throw new ProviderError('provider_unavailable', `openai does not run ${input.type}.`);
      if (input.type !== 'generate' && orderedImages(input.images).length === 0) throw new ProviderError('invalid_input', `${input.type} needs an input image.`);
      const model = input.model ?? opts.models?.[input.type] ?? OPENAI_DEFAULT_MODEL;
      const answers: ImagesAnswer[] = [];
      for (let left = input.numOutputs; left > 0; left -= MAX_N) answers.push(await request(input, model, Math.min(left, MAX_N), ctx));

      const outputs = [];
      for (const item of answers.flatMap((a) => a.data)) {
        if (item.b64_json) outputs.push(toOutput(Buffer.from(item.b64_json, 'base64'), 'openai'));
        else if (item.url) outputs.push(toOutput((await http.bytes({ operation: 'download', method: 'GET', url: item.url }, ctx)).bytes, 'openai'));
      }
      if (outputs.length === 0) throw new ProviderError('provider_error', 'openai answered without an image.', { retryable: true });
      return { outputs, model, costMicros: answers.reduce((sum, a) => sum + costOf(model, a).costMicros, 0) };
    },
  };
}
