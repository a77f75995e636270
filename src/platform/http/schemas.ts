/**
 * Schemas shared by every module's routes. A recursive schema must carry a registry `id`: the OpenAPI
 * document then holds it once as a component and refers to it (itself included) by `$ref`; used
 * inline, its self-reference would point at a component nobody wrote (decision 032).
 */
import { z } from 'zod';

/** The response schema of a 204. */
export const ZNoContent = z.null().describe('No content');

/** Any JSON value, named for the OpenAPI document. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const ZJsonValue: z.ZodType<JsonValue> = z
  .lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(ZJsonValue), z.record(z.string(), ZJsonValue)]))
  .meta({ id: 'JsonValue', description: 'Any JSON value' });

/** Bytes of a file or an event stream: fastify never serialises a stream, so this only describes them. */
export const ZBytes = z.unknown().meta({ type: 'string', format: 'binary' });

/** A success answered with bytes rather than JSON, for the OpenAPI document. */
export const bytesResponse = (description: string, mediaTypes: string[]) => ({
  description,
  content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: ZBytes }])),
});
