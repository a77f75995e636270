/** PATCH /me/vendor-profile (vendors; decision 045) and PATCH /admin/users/{id} `role`, `is_active`, `vendor_verified` (admins; decision 060). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../platform/http/auth.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';
import * as dto from './accounts.dto.ts';
import type { AccountsService } from './accounts.service.ts';

export async function vendorProfileRoutes(app: FastifyInstance, accounts: AccountsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.patch(
    '/me/vendor-profile',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['me'],
        summary: 'Update the vendor profile (vendors only; `is_verified` is set by an admin)',
        body: dto.ZPatchVendorProfileBody,
        response: { 200: dto.ZVendorProfile },
      },
    },
    async (request) => accounts.vendorProfile.update(principalOf(request).userId, request.body),
  );

  r.patch(
    '/admin/users/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Change a user\'s role, active flag or vendor verification in one transaction; disabling revokes every session and API key; the last active admin cannot be demoted or disabled (409); one audit row per change',
        params: dto.ZIdParams,
        body: dto.ZAdminPatchUserBody,
        response: { 200: dto.ZUser },
      },
    },
    async (request) => accounts.adminUsers.patch(principalOf(request).userId, request.params.id, request.body, requestMeta(request)),
  );
}
