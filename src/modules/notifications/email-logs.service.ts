/** GET /admin/email-logs: every message sent, newest first, filtered by recipient, status or campaign. */
import type { Db } from '../../platform/db/types.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import { listEmailLogs, type EmailLogRow } from './email-logs.queries.ts';
import type { TEmailLogQuery } from './notifications.dto.ts';

export function createEmailLogsService(deps: { db: Db }) {
  async function list(query: TEmailLogQuery) {
    const rows = await listEmailLogs(deps.db, { to: query.to, status: query.status, campaignId: query.campaign_id }, decodeCursor(query.cursor), query.limit);
    const page = toPage(rows, query.limit, (r) => r);
    return { data: page.data.map(toLogView), next_cursor: page.next_cursor };
  }
  return { list };
}

export function toLogView(r: EmailLogRow) {
  return {
    id: r.id,
    to: r.to,
    template_key: r.templateKey,
    locale: r.locale,
    campaign_id: r.campaignId,
    status: r.status,
    provider_message_id: r.providerMessageId,
    error: r.error,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
