/**
 * The OpenAPI 3.1 document is generated from the same zod schemas that validate requests, served at
 * /api/openapi.json, with a reference page at /api/docs (Swagger UI, served from the package, no
 * network needed).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

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
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
