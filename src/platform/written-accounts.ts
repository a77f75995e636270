/**
 * Which accounts' balances a request changed, noted by the ledger as it writes, so the process
 * that served the request can forget what it cached of them before it answers (decision 106):
 * balance changes are not announced by the database (a notification per ledger write would
 * serialise every ledger commit on the server), so only the writing process learns of them at
 * once; the others re-read a cached balance that is half a second old.
 * Outside a request (a worker's job, a script) noting does nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<Set<string>>();

/** Runs `fn` (the rest of a request) with its own, empty set of written accounts. */
export function collectWrittenAccounts(fn: () => void): void {
  scope.run(new Set(), fn);
}

export function noteAccountWritten(userId: string): void {
  scope.getStore()?.add(userId);
}

/** The accounts written so far by the request in progress (none outside one). */
export function writtenAccounts(): ReadonlySet<string> {
  return scope.getStore() ?? new Set();
}
