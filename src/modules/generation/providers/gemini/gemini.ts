/**
 * Gemini image generation and editing (Gemini API, v1beta):
 *   POST {apiBase}/v1beta/models/{model}:generateContent, header x-goog-api-key.
 * The request carries the prompt as a text part and each input image as an inline_data part;
 * `generationConfig.responseModalities` asks for images and `imageConfig.aspectRatio` sets the
 * shape. The answer's candidates hold `inlineData` image parts; a refused prompt comes back as
 * `promptFeedback.blockReason`, a refused image as a safety `finishReason`. Errors are Google's
 * `{ error: { code, message, status, details } }`, with RetryInfo on 429 and an ErrorInfo reason
 * (API_KEY_INVALID) for a bad key, which Google answers with 400. One request yields one image, so
 * `numOutputs` requests run side by side.
 */
import { z } from 'zod';
import { systemClock, type Clock } from '../../../../platform/clock.ts';
import { ProviderError, type GenerationType, type ImageProvider, type ProviderInput, type RunContext } from '../provider.ts';
import { priceFor, priceUsage, type PriceTable } from '../shared/costs.ts';
import { createHttp, type ServiceError } from '../shared/http.ts';
import { aspectRatioOf, orderedImages, toOutput } from '../shared/images.ts';
import { buildPrompt } from '../shared/prompts.ts';
import { fanOut } from '../shared/runs.ts';

export const GEMINI_DEFAULT_MODEL = 'gemini-2.5-flash-image';

const supported: readonly GenerationType[] = ['model_shot', 'lifestyle', 'room_scene', 'headshot', 'style_conversion', 'ad_creative', 'generate'];

/** Finish and block reasons that mean the content was refused, not that the model failed. */
const safetyReasons = new Set([
  'SAFETY',
  'IMAGE_SAFETY',
  'PROHIBITED_CONTENT',
  'IMAGE_PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'RECITATION',
  'IMAGE_RECITATION',
]);

const ZInline = z.object({ mimeType: z.string(), data: z.string() });
const ZPart = z.object({
  text: z.string().optional(),
  inlineData: ZInline.optional(),
  inline_data: z.object({ mime_type: z.string(), data: z.string() }).optional(),
  thought: z.boolean().optional(),
});
const ZResponse = z.object({
  candidates: z
    .array(
      z.object({
        content: z.object({ parts: z.array(ZPart).optional() }).optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).optional(),
  usageMetadata: z
    .object({
      promptTokenCount: z.number().optional(),
      candidatesTokenCount: z.number().optional(),
      promptTokensDetails: z.array(z.object({ modality: z.string(), tokenCount: z.number().optional() })).optional(),
    })
    .optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
});
type GeminiResponse = z.infer<typeof ZResponse>;

const ZError = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.object({ '@type': z.string().optional(), reason: z.string().optional(), retryDelay: z.string().optional() }).loose()).optional(),
  }),
});

function readError(status: number, body: unknown): ServiceError {
  const parsed = ZError.safeParse(body);
  if (!parsed.success) return {};
  const { status: code, message, details = [] } = parsed.data.error;
  const reasons = details.map((d) => d.reason).filter(Boolean);
  const delay = details.find((d) => d.retryDelay)?.retryDelay;
  const retryAfterMs = delay && /^\d+(\.\d+)?s$/.test(delay) ? Math.round(parseFloat(delay) * 1000) : undefined;
  if (reasons.includes('API_KEY_INVALID') || reasons.includes('API_KEY_SERVICE_BLOCKED')) return { code: reasons[0], message, kind: 'unavailable' };
  // Billing not enabled, or the service not offered in the server's region.
  if (code === 'FAILED_PRECONDITION') return { code, message, kind: 'unavailable' };
  if (status === 400 && /safety|blocked|prohibited/i.test(message ?? '')) return { code, message, kind: 'content_policy' };
  return { code, message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

export interface GeminiOptions {
  apiKey: string;
  apiBase: string;
  /** Model per generation type; others use GEMINI_DEFAULT_MODEL. */
  models?: Partial<Record<GenerationType, string>>;
  prices?: PriceTable;
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
}

export function createGeminiProvider(opts: GeminiOptions): ImageProvider {
  const clock = opts.clock ?? systemClock;
  const http = createHttp({ provider: 'gemini', fetch: opts.fetch ?? fetch, clock, timeoutMs: opts.timeoutMs ?? 120_000, readError });
  const base = opts.apiBase.replace(/\/+$/, '');

  async function one(input: ProviderInput, model: string, prompt: string, ctx: RunContext) {
    const images = orderedImages(input.images);
    const aspectRatio = aspectRatioOf(input.params);
    const body = {
      contents: [
        {
          role: 'user',
          parts: [{ text: prompt }, ...images.map((i) => ({ inline_data: { mime_type: i.mimeType, data: i.bytes.toString('base64') } }))],
        },
      ],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'], ...(aspectRatio ? { imageConfig: { aspectRatio } } : {}) },
    };
    const { data } = await http.json(
      {
        operation: 'generate_content',
        method: 'POST',
        url: `${base}/v1beta/models/${encodeURIComponent(model)}:generateContent`,
        headers: { 'x-goog-api-key': opts.apiKey },
        json: body,
        summary: { model, type: input.type, input_images: images.length, prompt_chars: prompt.length, ...(aspectRatio ? { aspect_ratio: aspectRatio } : {}) },
      },
      ctx,
      ZResponse,
      (d) => ({ response: summarize(d), costMicros: costOf(model, d).costMicros }),
    );
    return { image: imageOf(data), cost: costOf(model, data).costMicros, modelVersion: data.modelVersion };
  }

  function costOf(model: string, d: GeminiResponse) {
    const u = d.usageMetadata;
    const imageInput = u?.promptTokensDetails?.find((t) => t.modality === 'IMAGE')?.tokenCount;
    const images = imagePartsOf(d).length;
    return priceUsage(
      priceFor('gemini', model, opts.prices),
      u?.candidatesTokenCount !== undefined
        ? { textInputTokens: (u.promptTokenCount ?? 0) - (imageInput ?? 0), imageInputTokens: imageInput ?? 0, outputTokens: u.candidatesTokenCount }
        : { images },
    );
  }

  return {
    id: 'gemini',
    supports: (type) => supported.includes(type),
    async run(input, ctx) {
      if (!supported.includes(input.type)) throw new ProviderError('provider_unavailable', `gemini does not run ${input.type}.`);
      if (input.type !== 'generate' && input.images.length === 0) throw new ProviderError('invalid_input', `${input.type} needs an input image.`);
      const model = input.model ?? opts.models?.[input.type] ?? GEMINI_DEFAULT_MODEL;
      const prompt = buildPrompt(input);
      const results = await fanOut(input.numOutputs, ctx, (_, c) => one(input, model, prompt, c));
      return {
        outputs: results.map((r) => r.image),
        model: results[0]?.modelVersion ?? model,
        costMicros: results.reduce((sum, r) => sum + r.cost, 0),
      };
    },
  };
}

function imagePartsOf(d: GeminiResponse) {
  return (d.candidates ?? [])
    .flatMap((c) => c.content?.parts ?? [])
    .filter((p) => !p.thought)
    .map((p) => p.inlineData ?? (p.inline_data ? { mimeType: p.inline_data.mime_type, data: p.inline_data.data } : undefined))
    .filter((p): p is z.infer<typeof ZInline> => p !== undefined && p.mimeType.startsWith('image/'));
}

/** The first image of the answer, or the reason there is none. */
function imageOf(d: GeminiResponse) {
  const blocked = d.promptFeedback?.blockReason;
  if (blocked) throw new ProviderError('content_policy', `gemini refused the prompt (${blocked}).`);
  const part = imagePartsOf(d)[0];
  if (part) return toOutput(Buffer.from(part.data, 'base64'), 'gemini');
  const reason = d.candidates?.[0]?.finishReason;
  if (reason && safetyReasons.has(reason)) throw new ProviderError('content_policy', `gemini refused to draw this image (${reason}).`);
  // STOP with text only, NO_IMAGE, OTHER: the model answered without an image; another try may draw one.
  throw new ProviderError('provider_error', `gemini answered without an image (${reason ?? 'no candidates'}).`, { retryable: true });
}

function summarize(d: GeminiResponse): Record<string, unknown> {
  return {
    ...(d.responseId ? { response_id: d.responseId } : {}),
    ...(d.modelVersion ? { model_version: d.modelVersion } : {}),
    images: imagePartsOf(d).length,
    ...(d.candidates?.[0]?.finishReason ? { finish_reason: d.candidates[0].finishReason } : {}),
    ...(d.promptFeedback?.blockReason ? { block_reason: d.promptFeedback.blockReason } : {}),
    ...(d.usageMetadata ? { prompt_tokens: d.usageMetadata.promptTokenCount, output_tokens: d.usageMetadata.candidatesTokenCount } : {}),
  };
}
