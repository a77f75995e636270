/**
 * What must hold when the load stops and the last jobs have drained: every generation ended, no
 * credit still held, the books balanced for every user (billing's own invariant check), no
 * generation job left queued or running, and no stored file without the row that names it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { checkCreditInvariants } from '../src/modules/billing/index.ts';
import { openDatabase } from '../src/platform/db/database.ts';

export interface EndState {
  unfinishedGenerations: number;
  heldCredits: number;
  unbalancedUsers: number;
  openJobs: number;
  filesWithoutRow: number;
  generations: Record<string, number>;
}

const rows = <T>(res: unknown) => (res as { rows: T[] }).rows;

export async function readEndState(databaseUrl: string, dataDir: string): Promise<EndState> {
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 2 });
  try {
    const db = database.db;
    const count = async (text: string) => Number(rows<{ n: string }>(await db.execute(sql.raw(text)))[0]!.n);
    const byStatus = rows<{ status: string; n: string }>(await db.execute(sql`select status, count(*) as n from generations group by status`));
    const keys = new Set(
      rows<{ k: string }>(
        await db.execute(sql`select storage_key as k from assets union select thumbnail_key from assets where thumbnail_key is not null union select storage_key from account_exports where storage_key is not null`),
      ).map((r) => r.k),
    );
    const root = path.join(dataDir, 'files');
    const files = (await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => []))
      .filter((f) => f.isFile())
      .map((f) => path.relative(root, path.join(f.parentPath, f.name)).split(path.sep).join('/'));
    return {
      unfinishedGenerations: await count("select count(*) as n from generations where status in ('pending', 'processing')"),
      heldCredits: await count("select count(*) as n from credit_holds where status = 'held'"),
      unbalancedUsers: (await checkCreditInvariants(db)).length,
      openJobs: await count("select count(*) as n from pgboss.job where name like 'generation%' and state in ('created', 'retry', 'active')"),
      filesWithoutRow: files.filter((f) => !keys.has(f)).length,
      generations: Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])),
    };
  } finally {
    await database.close();
  }
}
