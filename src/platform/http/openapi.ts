/**
 * The OpenAPI 3.1 document is generated from the same zod schemas that validate requests, served at
 * /api/openapi.json, with a reference page at /api/docs (Swagger UI, served from the package, no
 * network needed). Each operation also gets an operationId, its security and the shared `Problem`
 * answers (openapi-operations.ts); the document validates and generates a typed client (decision 032).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { operationIdOf, problemResponses, securityOf, ZProblem } from './openapi-operations.ts';

type Transform = typeof jsonSchemaTransform;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The parts of a multipart/form-data body, for the document only: such a route reads its parts
     * itself (a body schema would be validated against the unparsed body).
     */
    form?: z.ZodType;
    /** Request headers the handler reads itself (`Idempotency-Key`, …), for the document only. */
    requestHeaders?: z.ZodObject;
  }
}

const documentedSchemaOf = (zod: z.ZodType): Record<string, unknown> => {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(zod, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return schema;
};

/** The zod transform, then what every operation carries besides its route's schemas. */
const transform: Transform = (input) => {
  const out = jsonSchemaTransform(input);
  const schema = out.schema as FastifySchema & { hide?: boolean; operationId?: string; security?: unknown; response?: Record<string, unknown> };
  if (schema.hide) return out;
  const method = Array.isArray(input.route.method) ? input.route.method[0]! : input.route.method;
  const security = securityOf(input.route.config?.auth);
  const { form, requestHeaders } = input.route.config ?? {};
  return {
    url: out.url,
    schema: {
      ...schema,
      operationId: schema.operationId ?? operationIdOf(method, input.url),
      ...(security && !schema.security ? { security } : {}),
      ...(form && !schema.body ? { body: documentedSchemaOf(form) } : {}),
      ...(requestHeaders && !schema.headers ? { headers: documentedSchemaOf(requestHeaders) } : {}),
      response: { ...problemResponses, ...schema.response },
    },
  };
};

export async function registerOpenApi(app: FastifyInstance, opts: { version: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Atelier API',
        version: opts.version,
        description:
          'The public HTTP contract of Atelier. Errors are application/problem+json with a stable `code`. ' +
          'Authenticate with `Authorization: Bearer <access token | API key>`; the web app uses httpOnly cookies, ' +
          'and then state-changing requests must send the `atelier_csrf` cookie value in `X-CSRF-Token`.',
      },
      servers: [],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An access token from /auth/login, or an API key (atl_…).' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'atelier_access' },
        },
        schemas: { Problem: z.toJSONSchema(ZProblem, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown> },
      },
    },
    transform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
