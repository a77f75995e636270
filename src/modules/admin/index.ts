export { actorTypeFor, recordAudit, type AuditEntry } from './audit.ts';
export { auditLogs, type AuditActorType } from './admin.tables.ts';
