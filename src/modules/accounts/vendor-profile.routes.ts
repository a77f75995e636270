/** PATCH /me/vendor-profile (vendors) and PATCH /admin/users/{id} `vendor_verified` (admins); decision 045. */
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
        summary: 'Verify or unverify a vendor (`vendor_verified`); audited with before and after',
        params: dto.ZIdParams,
        body: dto.ZAdminPatchUserBody,
        response: { 200: dto.ZUser },
      },
    },
    async (request) => accounts.vendorProfile.setVerified(principalOf(request).userId, request.params.id, request.body.vendor_verified, requestMeta(request)),
  );
}
