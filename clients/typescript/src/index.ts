/**
 * @atelier/client — a typed client for Atelier's HTTP API. `raw` is openapi-fetch over the types
 * generated from the server's OpenAPI document (schema.d.ts), so every path, body and answer is
 * checked by the compiler; the helpers around it cover the common flows (sign in, API keys,
 * uploads, generations with `wait`/`run`) and turn every refusal into an `AtelierError` with the
 * problem's stable `code`.
 */
import createClient, { type Client } from 'openapi-fetch';
import { AtelierError, GenerationFailedError } from './errors.js';
import type { paths } from './schema.js';

export { AtelierError, GenerationFailedError, type Problem, type ProblemCode } from './errors.js';
export type { components, JsonValue, operations, paths } from './schema.js';

type Json<P extends keyof paths, M extends keyof paths[P], S extends number> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type Query<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type User = Json<'/api/v1/me', 'get', 200>;
export type AuthResult = Json<'/api/v1/auth/login', 'post', 200>;
export type RegisterBody = Body<'/api/v1/auth/register', 'post'>;
export type LoginBody = Body<'/api/v1/auth/login', 'post'>;
export type ApiKey = Json<'/api/v1/me/api-keys', 'post', 201>;
export type ApiKeyPage = Json<'/api/v1/me/api-keys', 'get', 200>;
export type Asset = Json<'/api/v1/assets/{id}', 'get', 200>;
export type UploadPurpose = NonNullable<paths['/api/v1/assets']['post']['requestBody']>['content']['multipart/form-data']['purpose'];
export type GenerationType = Json<'/api/v1/generation-types', 'get', 200>[number];
export type Generation = Json<'/api/v1/generations/{id}', 'get', 200>;
export type GenerationPage = Json<'/api/v1/generations', 'get', 200>;
export type GenerationListQuery = Query<'/api/v1/generations', 'get'>;
export type CreateGenerationBody = Body<'/api/v1/generations', 'post'>;
export type Credits = Json<'/api/v1/credits', 'get', 200>;

export interface AtelierClientOptions {
  /** Where Atelier is served, e.g. `https://atelier.example` (the API lives under /api/v1). */
  baseUrl: string;
  /** An API key (`atl_…`, from POST /api/v1/me/api-keys): the usual credential of a program. */
  apiKey?: string;
  /** Or an access token from `auth.login` / `auth.register` (expires; refresh it yourself). */
  accessToken?: string;
  /** A fetch of your own (proxies, tests); the global fetch by default. */
  fetch?: typeof globalThis.fetch;
}

export interface WaitOptions {
  /** First pause between polls; each next one is 1.5 × longer, up to `maxIntervalMs`. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Give up with an Error after this long (10 minutes by default); the generation itself goes on. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CreateGenerationOptions {
  /** Sent as `Idempotency-Key`; a fresh random key by default, so a retried call never starts two generations. */
  idempotencyKey?: string;
  /** Sent as `Cancel-After` (seconds, or `30s`, `5m`, `1h`): the server cancels the generation if it has not ended by then. */
  cancelAfter?: string | number;
}

const FINAL = new Set(['completed', 'failed', 'cancelled']);
export const isFinal = (g: Pick<Generation, 'status'>): boolean => FINAL.has(g.status);

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The data of a 2xx, or the problem of anything else as an AtelierError. */
async function unwrap<T>(pending: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await pending;
  } catch (cause) {
    throw new AtelierError(`request failed: ${(cause as Error)?.message ?? String(cause)}`, { status: 0, code: 'network_error', cause });
  }
  if (!answer.response.ok) throw AtelierError.fromResponse(answer.response, answer.error);
  return answer.data as T;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createAtelierClient(options: AtelierClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const credential = options.apiKey ?? options.accessToken;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = credential ? { authorization: `Bearer ${credential}` } : {};
  const raw: Client<paths> = createClient<paths>({ baseUrl, headers, fetch: fetchImpl });

  const generations = {
    /** Starts a generation (202): credits are held until it ends. */
    create(body: CreateGenerationBody, opts: CreateGenerationOptions = {}): Promise<Generation> {
      const header = {
        'idempotency-key': opts.idempotencyKey ?? crypto.randomUUID(),
        ...(opts.cancelAfter !== undefined ? { 'cancel-after': String(opts.cancelAfter) } : {}),
      };
      return unwrap(raw.POST('/api/v1/generations', { body, params: { header } }));
    },
    get: (id: string): Promise<Generation> => unwrap(raw.GET('/api/v1/generations/{id}', { params: { path: { id } } })),
    list: (query: GenerationListQuery = {}): Promise<GenerationPage> => unwrap(raw.GET('/api/v1/generations', { params: { query } })),
    cancel: (id: string): Promise<Generation> => unwrap(raw.POST('/api/v1/generations/{id}/cancel', { params: { path: { id } } })),

    /** Polls until the generation is completed, failed or cancelled (with backoff), and returns it as it ended. */
    async wait(generation: string | Pick<Generation, 'id'>, opts: WaitOptions = {}): Promise<Generation> {
      const id = typeof generation === 'string' ? generation : generation.id;
      const maxInterval = opts.maxIntervalMs ?? 5_000;
      const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
      let interval = opts.intervalMs ?? 500;
      for (;;) {
        const current = await generations.get(id);
        if (isFinal(current)) return current;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`generation ${id} is still ${current.status} after ${opts.timeoutMs ?? 600_000} ms`);
        await sleep(Math.min(interval, left), opts.signal);
        interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
      }
    },

    /** create + wait: the completed generation, or a GenerationFailedError when it failed or was cancelled. */
    async run(body: CreateGenerationBody, opts: CreateGenerationOptions & WaitOptions = {}): Promise<Generation> {
      const ended = await generations.wait(await generations.create(body, opts), opts);
      if (ended.status !== 'completed') throw new GenerationFailedError(ended);
      return ended;
    },
  };

  return {
    raw,
    auth: {
      register: (body: RegisterBody): Promise<AuthResult> => unwrap(raw.POST('/api/v1/auth/register', { body })),
      login: (body: LoginBody): Promise<AuthResult> => unwrap(raw.POST('/api/v1/auth/login', { body })),
    },
    me: (): Promise<User> => unwrap(raw.GET('/api/v1/me')),
    credits: (): Promise<Credits> => unwrap(raw.GET('/api/v1/credits')),
    apiKeys: {
      /** The new key's secret is in `key`, in this answer only. */
      create: (name: string): Promise<ApiKey> => unwrap(raw.POST('/api/v1/me/api-keys', { body: { name } })),
      list: (): Promise<ApiKeyPage> => unwrap(raw.GET('/api/v1/me/api-keys')),
      revoke: async (id: string): Promise<void> => {
        await unwrap(raw.DELETE('/api/v1/me/api-keys/{id}', { params: { path: { id } } }));
      },
    },
    assets: {
      /** Uploads an image (multipart, sent by hand: openapi-fetch sends JSON); it can then be a generation's `source_asset_ids`. */
      async upload(file: Blob, opts: { filename: string; purpose?: UploadPurpose; tags?: string[] }): Promise<Asset> {
        const form = new FormData();
        if (opts.purpose) form.set('purpose', opts.purpose);
        if (opts.tags) form.set('tags', JSON.stringify(opts.tags));
        form.set('file', file, opts.filename);
        const pending = fetchImpl(`${baseUrl}/api/v1/assets`, { method: 'POST', headers, body: form }).then(async (response) => {
          const body: unknown = await response.json().catch(() => undefined);
          return response.ok ? { data: body as Asset, response } : { error: body, response };
        });
        return unwrap(pending);
      },
      get: (id: string): Promise<Asset> => unwrap(raw.GET('/api/v1/assets/{id}', { params: { path: { id } } })),
    },
    generationTypes: {
      list: (): Promise<GenerationType[]> => unwrap(raw.GET('/api/v1/generation-types')),
    },
    generations,
  };
}

export type AtelierClient = ReturnType<typeof createAtelierClient>;
