/** Who is asking, as the audit trail and sessions record it: the client's address and user agent. */
import type { FastifyRequest } from 'fastify';

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}

export const requestMeta = (request: FastifyRequest): RequestMeta => ({
  ip: request.ip,
  userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : undefined,
});
