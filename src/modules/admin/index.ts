export { actorTypeFor, recordAudit, type AuditEntry } from './audit.ts';
export { auditLogs, type AuditActorType } from './admin.tables.ts';
export { createSystemService, type SystemService } from './system.service.ts';
export { adminSystemRoutes } from './system.routes.ts';
