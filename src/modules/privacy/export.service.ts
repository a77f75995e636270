/**
 * POST /me/export and GET /me/exports/{id}: a zip of every row and file of the user, made by a
 * queue job, kept for a week, downloaded through an expiring signed link (or the bucket's own
 * presigned URL on S3). One export is made at a time per user: asking again while one is being
 * made returns that one.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../platform/crypto.ts';
import { findUserById } from '../accounts/index.ts';
import { errors } from '../../platform/http/errors.ts';
import type { JobContext } from '../../platform/queue/queue.ts';
import type { PrivacyDeps } from './context.ts';
import { buildExportArchive } from './export-archive.ts';
import * as q from './privacy.queries.ts';
import type { TExport } from './privacy.dto.ts';
import { exportJob } from './privacy.jobs.ts';

const DAY = 86_400_000;
export const EXPORT_KEEP_DAYS = 7;
const LINK_TTL_SEC = 3600;

/** The storage folder of a user's export archives (account erasure empties it). */
export const exportFolderOf = (userId: string): string => `exports/${userId}/`;

const sign = (secret: string, id: string, expires: number) => createHmac('sha256', secret).update(`account-export:${id}:${expires}`).digest('base64url');

export function createExportService(deps: PrivacyDeps) {
  async function downloadUrl(row: q.ExportRow): Promise<string | null> {
    const now = deps.clock.now();
    if (row.status !== 'completed' || !row.storageKey || (row.expiresAt && row.expiresAt <= now)) return null;
    const filename = `atelier-export-${row.createdAt.toISOString().slice(0, 10)}.zip`;
    const presigned = await deps.storage.presignedUrl(row.storageKey, { expiresInSec: LINK_TTL_SEC, downloadName: filename, contentType: 'application/zip' });
    if (presigned) return presigned;
    const expires = Math.floor(now.getTime() / 1000) + LINK_TTL_SEC;
    const base = deps.config.publicUrl?.replace(/\/$/, '') ?? '';
    return `${base}/api/v1/me/exports/${row.id}/download?expires=${expires}&sig=${sign(deps.secret, row.id, expires)}`;
  }

  async function view(row: q.ExportRow): Promise<TExport> {
    return {
      id: row.id,
      status: row.status,
      size_bytes: row.sizeBytes,
      download_url: await downloadUrl(row),
      error: row.status === 'failed' ? 'The export could not be made; ask for a new one.' : null,
      created_at: row.createdAt.toISOString(),
      completed_at: row.completedAt?.toISOString() ?? null,
      expires_at: row.expiresAt?.toISOString() ?? null,
    };
  }

  async function request(userId: string): Promise<TExport> {
    const now = deps.clock.now();
    const row = await deps.db.transaction(async (tx) => {
      const unfinished = await q.findUnfinishedExport(tx, userId);
      if (unfinished) return unfinished;
      const created = await q.insertExport(tx, { userId, status: 'pending', createdAt: now, updatedAt: now });
      await deps.queue.send(exportJob, { export_id: created.id }, { tx });
      return created;
    });
    return view(row);
  }

  async function get(userId: string, id: string): Promise<TExport> {
    const row = await q.findExport(deps.db, id);
    if (!row || row.userId !== userId) throw errors.notFound('Export');
    return view(row);
  }

  /** The zip behind a signed link; a bad, expired or stale link is 404 like a missing one. */
  async function download(id: string, access: { expires: number; sig: string }) {
    const now = deps.clock.now();
    const valid = Number.isSafeInteger(access.expires) && access.expires * 1000 > now.getTime() && safeEqual(access.sig, sign(deps.secret, id, access.expires));
    const row = valid ? await q.findExport(deps.db, id) : undefined;
    if (!row || row.status !== 'completed' || !row.storageKey || (row.expiresAt && row.expiresAt <= now)) throw errors.notFound('Export');
    const obj = await deps.storage.get(row.storageKey);
    if (!obj) throw errors.notFound('Export');
    return { stream: obj.stream, size: obj.size, filename: `atelier-export-${row.createdAt.toISOString().slice(0, 10)}.zip` };
  }

  /**
   * The export_ready email, with a download link of its own (valid an hour, like any link: asking
   * GET /me/exports again gives a fresh one for the week the zip is kept). A failed send is logged;
   * the export stays completed.
   */
  async function tellOwner(row: q.ExportRow, ctx: Pick<JobContext, 'log'>): Promise<void> {
    try {
      const user = await findUserById(deps.db, row.userId);
      const link = await downloadUrl(row);
      if (!user?.email || !link) return;
      // A mail client needs the whole address: this server's own when the link is a path.
      const url = link.startsWith('/') ? `${(deps.config.publicUrl ?? `http://localhost:${deps.config.port}`).replace(/\/+$/, '')}${link}` : link;
      const linkExpires = new Date(deps.clock.now().getTime() + LINK_TTL_SEC * 1000);
      await deps.mailer.send({
        to: user.email,
        locale: user.locale,
        template: 'export_ready',
        variables: { download_url: url, expires_at: `${linkExpires.toISOString().slice(0, 16).replace('T', ' ')} UTC` },
      });
    } catch (err) {
      ctx.log.error({ err, exportId: row.id }, 'privacy: export_ready email failed');
    }
  }

  /** The job: builds the zip into storage, then marks the export completed (or failed after the last try). */
  async function run(exportId: string, ctx: Pick<JobContext, 'retryCount' | 'log'>): Promise<void> {
    const started = await q.moveExport(deps.db, exportId, ['pending', 'processing'], { status: 'processing', updatedAt: deps.clock.now() });
    if (!started) return; // finished already, or the account was erased meanwhile
    const key = `${exportFolderOf(started.userId)}${started.id}.zip`;
    try {
      const archive = await buildExportArchive({ db: deps.db, storage: deps.storage, now: deps.clock.now() }, started.userId);
      const size = await deps.storage.put(key, archive.stream, { contentType: 'application/zip' });
      const now = deps.clock.now();
      const done = await q.moveExport(deps.db, exportId, ['processing'], {
        status: 'completed',
        storageKey: key,
        sizeBytes: size,
        completedAt: now,
        expiresAt: new Date(now.getTime() + EXPORT_KEEP_DAYS * DAY),
        updatedAt: now,
      });
      // The account was erased while the zip was being made: its copy must not outlive it.
      if (!done) await deps.storage.delete(key);
      else {
        ctx.log.info({ exportId, files: archive.files, size }, 'privacy: export ready');
        await tellOwner(done, ctx);
      }
    } catch (err) {
      await deps.storage.delete(key).catch(() => undefined);
      if (ctx.retryCount >= (exportJob.options.retryLimit ?? 0)) {
        ctx.log.error({ err, exportId }, 'privacy: export failed for good');
        await q.moveExport(deps.db, exportId, ['processing'], { status: 'failed', error: err instanceof Error ? err.message : String(err), updatedAt: deps.clock.now() });
        return;
      }
      throw err;
    }
  }

  /** Deletes expired zips (file after row, so a link never points at a missing file) and old failed rows. */
  async function sweepExpired(): Promise<number> {
    const now = deps.clock.now();
    const rows = await q.findExpiredExports(deps.db, now, new Date(now.getTime() - EXPORT_KEEP_DAYS * DAY), 500);
    for (const row of rows) {
      const gone = await q.deleteExport(deps.db, row.id);
      if (gone?.storageKey) await deps.storage.delete(gone.storageKey).catch((err: unknown) => deps.log.warn({ err, exportId: row.id }, 'privacy: expired export file left behind'));
    }
    return rows.length;
  }

  return { request, get, download, run, sweepExpired };
}
export type ExportService = ReturnType<typeof createExportService>;
