/** /admin/packages and /admin/plans (role admin). Deactivate with `is_active: false`. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.ts';
import { ZIdParams } from './admin-billing.dto.ts';
import * as dto from './admin-offers.dto.ts';
import type { AdminOffersService } from './admin-offers.service.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';

const admin = { auth: 'admin' } as const;
export async function adminOffersRoutes(app: FastifyInstance, service: AdminOffersService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];

  r.get('/admin/packages', { config: admin, schema: { tags, summary: 'All credit packages', response: { 200: z.object({ data: z.array(dto.ZAdminPackage) }) } } }, async () =>
    service.listPackages(),
  );
  r.post(
    '/admin/packages',
    { config: admin, schema: { tags, summary: 'Create a credit package', body: dto.ZCreatePackageBody, response: { 201: dto.ZAdminPackage } } },
    async (request, reply) => reply.code(201).send(await service.createPackage(principalOf(request), request.body, requestMeta(request))),
  );
  r.patch(
    '/admin/packages/:id',
    { config: admin, schema: { tags, summary: 'Change a credit package', params: ZIdParams, body: dto.ZPatchPackageBody, response: { 200: dto.ZAdminPackage } } },
    async (request) => service.patchPackage(principalOf(request), request.params.id, request.body, requestMeta(request)),
  );

  r.get('/admin/plans', { config: admin, schema: { tags, summary: 'All plans', response: { 200: z.object({ data: z.array(dto.ZAdminPlan) }) } } }, async () =>
    service.listPlans(),
  );
  r.post(
    '/admin/plans',
    { config: admin, schema: { tags, summary: 'Create a plan', body: dto.ZCreatePlanBody, response: { 201: dto.ZAdminPlan } } },
    async (request, reply) => reply.code(201).send(await service.createPlan(principalOf(request), request.body, requestMeta(request))),
  );
  r.patch(
    '/admin/plans/:id',
    { config: admin, schema: { tags, summary: 'Change a plan', params: ZIdParams, body: dto.ZPatchPlanBody, response: { 200: dto.ZAdminPlan } } },
    async (request) => service.patchPlan(principalOf(request), request.params.id, request.body, requestMeta(request)),
  );
}
