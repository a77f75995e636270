/** Schemas of account export and erasure. */
import { z } from 'zod';
import { exportStatuses } from './privacy.tables.ts';

export const ZExport = z.object({
  id: z.uuid(),
  status: z.enum(exportStatuses),
  size_bytes: z.number().int().nullable(),
  /** A link that works without credentials for an hour; asking again gives a fresh one. */
  download_url: z.string().nullable(),
  error: z.string().nullable(),
  created_at: z.iso.datetime(),
  completed_at: z.iso.datetime().nullable(),
  /** When the zip is deleted. */
  expires_at: z.iso.datetime().nullable(),
});
export type TExport = z.infer<typeof ZExport>;

export const ZExportIdParams = z.object({ id: z.uuid() });

export const ZDownloadQuery = z.object({
  expires: z.coerce.number().int(),
  sig: z.string().min(1).max(128),
});

export const ZEraseBody = z.object({ password: z.string().min(1).max(1024) }).strict();

export const ZErasureAccepted = z.object({ status: z.literal('erasing') });
