/**
 * What every operation of the OpenAPI document carries besides the schemas of its route: a stable
 * operationId derived from the method and path (both part of the public contract, so the id never
 * moves), the credentials its `config.auth` accepts, and the problem+json answers for 4xx and 5xx
 * (decision 032). Generated clients name their methods and error types from these.
 */
import { z } from 'zod';
import type { AuthMode } from './auth.ts';
import { errorCodes } from './errors.ts';

export const PROBLEM_REF = '#/components/schemas/Problem';

/** The body of every error answer, as `toProblem` (error-handler.ts) writes it. */
export const ZProblem = z
  .object({
    type: z.string().describe('A URI naming the kind of problem'),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().describe('What went wrong, for a person'),
    code: z.enum(Object.keys(errorCodes) as [keyof typeof errorCodes, ...(keyof typeof errorCodes)[]]).describe('Stable, for programs'),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('Per-field failures of a validation_failed'),
  })
  .describe('RFC 9457 problem details with a stable `code`');

const camel = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
const words = (segment: string): string => segment.split(/[-_.]/).filter(Boolean).map(camel).join('');

/**
 * `GET /api/v1/generations/:id/events` → `getGenerationsByIdEvents`: the lower-case method, then each
 * path segment after the version prefix in PascalCase, a parameter as `By<Name>`.
 */
export function operationIdOf(method: string, url: string): string {
  const segments = url.replace(/^\/api\/v\d+(?=\/|$)/, '').split('/').filter(Boolean);
  const name = segments.map((s) => (s.startsWith(':') ? `By${words(s.slice(1))}` : words(s))).join('');
  return method.toLowerCase() + (name || 'Root');
}

/** Who may call: a route without `config.auth` needs no credential. */
export function securityOf(auth: AuthMode | undefined): Array<Record<string, string[]>> | undefined {
  const credential: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];
  if (auth === 'user' || auth === 'admin') return credential;
  if (auth === 'optional') return [{}, ...credential];
  return undefined;
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: PROBLEM_REF } } },
});

/** Every route can refuse its input, its caller or its rate and can fail; the body says which by `code`. */
export const problemResponses = {
  '4XX': problem('Refused: validation_failed (400), unauthorized (401), forbidden (403), not_found (404), conflict (409), rate_limited (429) and the other codes of Problem'),
  '5XX': problem('Failed on our side or at a provider: internal_error (500), payment_provider_error (502), unavailable (503)'),
} as const;
