/**
 * What the generation engine asks of an image provider. The engine owns everything around a run —
 * credits, retries, deadlines, storing outputs, watermarks, status — so a provider only turns inputs
 * into image bytes and says what it cost. Providers are plain objects built from explicit
 * dependencies (config, fetch, clock), so each can be tested against a local stand-in.
 */
import type { Logger } from '../../../platform/logger.ts';
import type { StyleParams, SubjectForProvider, TemplateForEngine, TemplateLayout } from '../../catalog/index.ts';

export type { StyleParams, SubjectForProvider, TemplateForEngine, TemplateLayout };

export { generationTypes, providerIds, type GenerationType, type ProviderId } from './ids.ts';
import type { GenerationType, ProviderId } from './ids.ts';

/** One input image, already read from storage. */
export interface ProviderImage {
  /** Where it came from: `source`, `product`, `subject`, `template`, `style`. */
  role: string;
  assetId: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: Buffer;
}

export interface ProviderInput {
  generationId: string;
  type: GenerationType;
  /**
   * The user's own text, or null. A provider that needs a model prompt builds it from the type,
   * params and context (the external adapters: shared/prompts.ts), adding this as extra direction.
   */
  prompt: string | null;
  /** Already validated against the type's parameter schema. */
  params: Record<string, unknown>;
  numOutputs: number;
  images: ProviderImage[];
  /** A provider-specific model id chosen by routing (e.g. `gemini-2.5-flash-image`); undefined = the provider's default. */
  model?: string;
  /** What the catalog and the engine know beyond params and images (built once, in context-builder.ts). */
  context?: ProviderContext;
}

/**
 * The style a generation asked for. `key` is always the request's; the rest comes from the
 * catalog's `styles` row of that key, when there is one (a built-in look may have none).
 */
export interface ProviderStyle {
  key: string;
  name?: string;
  kind?: 'style' | 'background' | 'scene';
  /** Text for the external models; absent or empty when the catalog has none. */
  prompt?: string;
  params?: StyleParams;
}

/**
 * Everything a provider is told beyond the type, params, prompt and images. The engine builds it in
 * one place (context-builder.ts) from the catalog's lookups, and every provider, local or external,
 * reads it by these names: a key written on one side and read under another name on the other is a
 * type error, not a silently lost prompt.
 */
export interface ProviderContext {
  /** The product the sources came from. */
  product?: { id: string; name: string; customFields: StyleParams };
  /** The trained or prepared subject of a headshot or a training. */
  subject?: SubjectForProvider;
  /** The chosen template with its layout. */
  template?: TemplateForEngine;
  style?: ProviderStyle;
  /** The photo a headshot should start from (params.reference_asset_id), when one was named. */
  referenceAssetId?: string;
  /** Remote job ids a previous attempt started, slot by slot (shared/runs.ts), so a retry resumes them. */
  resumeRequestIds?: string[];
}

export interface ProviderOutput {
  bytes: Buffer;
  /** image/png, image/jpeg, image/webp or image/svg+xml. */
  mimeType: string;
}

/** Every outgoing request, recorded by the engine into `provider_calls`. */
export interface ProviderCallRecord {
  provider: ProviderId;
  operation: string;
  status: 'ok' | 'error';
  httpStatus?: number;
  latencyMs: number;
  /** A short summary, never secrets or image bytes. */
  request?: Record<string, unknown>;
  response?: Record<string, unknown>;
  costMicros?: number;
}

export interface ProviderResult {
  outputs: ProviderOutput[];
  /** The model that actually ran. */
  model: string;
  /** What the run cost at the provider, in millionths of a US dollar; 0 for local work. */
  costMicros: number;
  /** Anything beyond images, e.g. a trained model's version id for `subject_training`. */
  artifacts?: Record<string, unknown>;
}

export interface RunContext {
  /** Aborted at the deadline, on cancel and on shutdown: stop work and outgoing requests at once. */
  signal: AbortSignal;
  deadline: Date;
  log: Logger;
  /** Called once per outgoing request or local step worth recording. */
  recordCall(call: ProviderCallRecord): void;
}

export const providerErrorCodes = [
  'provider_unavailable', // not configured, or no provider can do this type
  'provider_error', // the provider failed
  'invalid_input', // the inputs cannot produce a result (no image, unreadable image, prompt refused)
  'content_policy', // the provider refused the content
  'timeout', // the deadline passed
  'cancelled',
] as const;
export type ProviderErrorCode = (typeof providerErrorCodes)[number];

/**
 * The one error a provider throws. `retryable` says whether trying again later could succeed
 * (rate limits, 5xx, connection resets); everything else fails the generation at once.
 */
export class ProviderError extends Error {
  readonly code: ProviderErrorCode;
  readonly retryable: boolean;
  readonly httpStatus: number | undefined;
  /** How long the provider asked us to wait before trying again (429 Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(
    code: ProviderErrorCode,
    message: string,
    opts: { retryable?: boolean; httpStatus?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'ProviderError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.httpStatus = opts.httpStatus;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** One parameter a provider cannot use: `path` like `params.brand_colors`. */
export interface ParamsProblem {
  path: string;
  message: string;
}

export interface ImageProvider {
  readonly id: ProviderId;
  supports(type: GenerationType): boolean;
  run(input: ProviderInput, ctx: RunContext): Promise<ProviderResult>;
  /**
   * What this provider actually delivers for a type, when it is not what the type's description
   * promises (the local provider's `model_shot` shows no model); undefined = the description holds.
   */
  delivers?(type: GenerationType): string | undefined;
  /**
   * What this provider would refuse in a type's parameters (already valid against the published
   * schema), as `params.<path>` problems; the engine refuses them at submit, before anything is held
   * (decision 044). An empty list, or no method, means every published value is used.
   */
  paramsProblems?(type: GenerationType, params: Record<string, unknown>, context: Pick<ProviderContext, 'style'>): ParamsProblem[];
  /** The shorter side, in pixels, below which a subject photo cannot be used (checked before anything is held). */
  readonly subjectPhotoMinSide?: number;
  /** Releases what the provider holds (a loaded model, sockets). */
  close?(): Promise<void>;
}
