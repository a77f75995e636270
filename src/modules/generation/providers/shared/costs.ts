/**
 * What a run cost at the provider, in millionths of a US dollar. Token-billed services (Gemini,
 * OpenAI) report usage, which is priced per token; the others are priced per output image, per run
 * (trainings) or per second of prediction time. The table holds the services' published list
 * prices for the default models as of this writing (docs/decisions/018); an adapter takes a
 * `prices` override so the engine's api_costs table can replace any row without a code change.
 * A model missing from both prices at 0 and says so in the recorded call (`cost_known: false`).
 */
export interface Price {
  /** Per generated image, when the service bills per output. */
  perImage?: number;
  /** Per finished run (a training). */
  perRun?: number;
  /** Per second of prediction time (Replicate's hardware-billed models and trainings). */
  perSecond?: number;
  /** Per token of text input, image input and image output. */
  perTextInputToken?: number;
  perImageInputToken?: number;
  perOutputToken?: number;
}

export type PriceTable = Record<string, Price>;

export const defaultPrices: Record<'gemini' | 'openai' | 'replicate' | 'fal', PriceTable> = {
  gemini: {
    // $0.30 / 1M input tokens, $30 / 1M image output tokens (1290 tokens ≈ $0.039 per 1024² image).
    'gemini-2.5-flash-image': { perTextInputToken: 0.3, perImageInputToken: 0.3, perOutputToken: 30, perImage: 39_000 },
  },
  openai: {
    // $5 / 1M text input, $10 / 1M image input, $40 / 1M image output tokens; per-image fallback
    // is the medium-quality 1024² price.
    'gpt-image-1': { perTextInputToken: 5, perImageInputToken: 10, perOutputToken: 40, perImage: 42_000 },
  },
  replicate: {
    'black-forest-labs/flux-schnell': { perImage: 3_000 },
    'black-forest-labs/flux-kontext-pro': { perImage: 40_000 },
    'recraft-ai/recraft-crisp-upscale': { perImage: 4_000 },
    'recraft-ai/recraft-remove-background': { perImage: 10_000 },
    // Trainings and trained versions run on an H100, billed per second.
    training: { perSecond: 1_525 },
    trained: { perSecond: 1_525 },
  },
  fal: {
    'fal-ai/flux/schnell': { perImage: 3_000 },
    'fal-ai/nano-banana/edit': { perImage: 39_000 },
    'fal-ai/esrgan': { perImage: 2_000 },
    'fal-ai/birefnet': { perImage: 2_000 },
    'fal-ai/flux-lora': { perImage: 35_000 },
    'fal-ai/flux-lora-fast-training': { perRun: 2_000_000 },
  },
};

export interface Usage {
  images?: number;
  runs?: number;
  seconds?: number;
  textInputTokens?: number;
  imageInputTokens?: number;
  outputTokens?: number;
}

/**
 * Usage priced with the model's row. Token usage wins over the per-image fallback when the
 * service reported it; the result is rounded to whole micro-dollars.
 */
export function priceUsage(price: Price | undefined, usage: Usage): { costMicros: number; known: boolean } {
  if (!price) return { costMicros: 0, known: false };
  const tokens = usage.textInputTokens !== undefined || usage.imageInputTokens !== undefined || usage.outputTokens !== undefined;
  let total = 0;
  let known = false;
  if (tokens && price.perOutputToken !== undefined) {
    total += (usage.textInputTokens ?? 0) * (price.perTextInputToken ?? 0);
    total += (usage.imageInputTokens ?? 0) * (price.perImageInputToken ?? price.perTextInputToken ?? 0);
    total += (usage.outputTokens ?? 0) * price.perOutputToken;
    known = true;
  } else if (usage.images !== undefined && price.perImage !== undefined) {
    total += usage.images * price.perImage;
    known = true;
  }
  if (usage.runs !== undefined && price.perRun !== undefined) {
    total += usage.runs * price.perRun;
    known = true;
  }
  if (usage.seconds !== undefined && price.perSecond !== undefined) {
    total += usage.seconds * price.perSecond;
    known = true;
  }
  return { costMicros: Math.round(total), known };
}

/** The row for a model: an override first, then the default table. */
export const priceFor = (provider: keyof typeof defaultPrices, model: string, overrides?: PriceTable): Price | undefined =>
  overrides?.[model] ?? defaultPrices[provider][model];
