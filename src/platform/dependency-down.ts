/**
 * Whether an error means a dependency (the database, the object store) could not be reached or
 * dropped the connection mid-statement — a restart, a failover, a network cut. Such a failure is
 * nobody's bug and passes by itself: the pool opens new connections once the server is back. The
 * HTTP layer answers it with 503 `unavailable`; a worker settling a finished run waits it out.
 */
const DOWN_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, connection exceptions
  '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006',
]);
const DOWN_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

export function isDependencyDown(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const e = current as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && DOWN_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && DOWN_MESSAGES.test(e.message)) return true;
    // A connection attempt to several addresses fails with an AggregateError of them all.
    if (Array.isArray(e.errors) && e.errors.some((inner) => isDependencyDown(inner))) return true;
    current = e.cause;
  }
  return false;
}
