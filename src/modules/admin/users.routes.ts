/** GET /admin/users, /admin/users/{id}, /admin/users/{id}/activity (role admin; decision 060). PATCH is accounts'. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZListQuery, ZPage } from '../../platform/http/pagination.ts';
import * as dto from './users.dto.ts';
import type { AdminUsersService } from './users.service.ts';

const admin = { auth: 'admin' } as const;

export async function adminUsersRoutes(app: FastifyInstance, service: AdminUsersService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];

  r.get(
    '/admin/users',
    {
      config: admin,
      schema: { tags, summary: 'Users, newest first; `q` searches email, phone and name', querystring: dto.ZAdminUserQuery, response: { 200: ZPage(dto.ZAdminUserListItem) } },
    },
    async (request) => service.list(request.query),
  );
  r.get(
    '/admin/users/:id',
    { config: admin, schema: { tags, summary: 'A user with balance, plan and counts of payments and generations', params: dto.ZIdParams, response: { 200: dto.ZAdminUserDetail } } },
    async (request) => service.detail(request.params.id),
  );
  r.get(
    '/admin/users/:id/activity',
    {
      config: admin,
      schema: { tags, summary: "A user's sign-ins, generations, payments and downloaded assets, newest first", params: dto.ZIdParams, querystring: ZListQuery, response: { 200: ZPage(dto.ZAdminUserActivity) } },
    },
    async (request) => service.activity(request.params.id, request.query),
  );
}
