/**
 * What must hold when the load stops and the last jobs have drained: every generation ended, no
 * credit still held, the books balanced for every user (billing's own invariant check), no
 * generation job left queued or running for a generation still open, and no stored file without the row that names it.
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
  /** Failed generations by error code (a killed worker's runs end as `timeout`, their holds released). */
  failures: Record<string, number>;
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
      // A killed worker's job stays `active` until pg-boss expires it (deadline + margin); once its
      // generation has ended that is a leftover the retry will find finished, not a lost job.
      openJobs: await count(
        "select count(*) as n from pgboss.job j join generations g on g.id = (j.data->>'generation_id')::uuid where j.name = 'generation.run' and j.state in ('created', 'retry', 'active') and g.status in ('pending', 'processing')",
      ),
      filesWithoutRow: files.filter((f) => !keys.has(f)).length,
      generations: Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])),
      failures: Object.fromEntries(
        rows<{ code: string; n: string }>(await db.execute(sql`select coalesce(error_code, '') as code, count(*) as n from generations where status = 'failed' group by 1`)).map((r) => [r.code, Number(r.n)]),
      ),
    };
  } finally {
    await database.close();
  }
}
