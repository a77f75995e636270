/**
 * Email campaigns: a campaign template sent to an audience of users who turned marketing mail on.
 * `send` moves a draft to `sending` and queues its first batch in one transaction (a second send is
 * a 409); each batch mails at most `campaignBatch` recipients not yet logged for the campaign and
 * queues the next one `campaignIntervalSec` later, so the rate is bounded. The log row is written
 * before a message leaves and is unique per campaign and address, so a batch delivered twice, or
 * two workers racing, mail nobody twice (a crash between the row and the send loses that message
 * rather than sending it twice).
 */
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import { campaignBatchJob } from './campaigns.jobs.ts';
import * as q from './campaigns.queries.ts';
import type { CampaignStatus } from './notifications.tables.ts';
import type { TCampaign, TCreateCampaignBody, TPatchCampaignBody } from './notifications.dto.ts';
import type { MessageSender } from './sender.ts';
import { isSystemKey } from './template-store.ts';
import { findTemplate } from './templates.queries.ts';
import type { AdminActor } from './templates.service.ts';
import { unsubscribeToken } from './unsubscribe-token.ts';

export interface CampaignsDeps {
  db: Db;
  clock: Clock;
  queue: Queue;
  sender: MessageSender;
  secret: string;
  app: { name: string; url: string };
  rate: { campaignBatch: number; campaignIntervalSec: number };
}

export function createCampaignsService(deps: CampaignsDeps) {
  async function load(id: string): Promise<q.CampaignRow> {
    const row = await q.findCampaign(deps.db, id);
    if (!row) throw errors.notFound('Email campaign');
    return row;
  }

  async function checkTemplate(templateId: string): Promise<void> {
    const template = await findTemplate(deps.db, templateId);
    if (!template) throw errors.validation([{ path: 'body.template_id', message: 'no such email template' }]);
    if (isSystemKey(template.key)) throw errors.validation([{ path: 'body.template_id', message: `${template.key} is a system message, not a campaign template` }]);
  }

  async function view(row: q.CampaignRow): Promise<TCampaign> {
    const { byStatus, unsubscribed } = await q.campaignLogCounts(deps.db, row.id);
    const n = (...statuses: string[]) => statuses.reduce((s, st) => s + (byStatus.get(st) ?? 0), 0);
    return {
      id: row.id,
      name: row.name,
      template_id: row.templateId,
      audience: row.audience,
      status: row.status,
      scheduled_at: row.scheduledAt?.toISOString() ?? null,
      stats: {
        recipients: row.recipients,
        sent: n('sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained'),
        delivered: n('delivered', 'opened', 'clicked'),
        opened: n('opened', 'clicked'),
        clicked: n('clicked'),
        bounced: n('bounced'),
        unsubscribed,
      },
      started_at: row.startedAt?.toISOString() ?? null,
      completed_at: row.completedAt?.toISOString() ?? null,
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    };
  }

  /** In the transaction of the change it records: the trail never shows a change rolled back, nor misses one made. */
  const audit = (tx: Tx, actor: AdminActor, action: string, id: string, details: Record<string, unknown>) =>
    recordAudit(tx, { actorType: 'admin', actorId: actor.userId, action, targetType: 'email_campaign', targetId: id, details, ip: actor.ip, userAgent: actor.userAgent, at: deps.clock.now() });

  async function list(query: { limit: number; cursor?: string; status?: CampaignStatus }) {
    const rows = await q.listCampaigns(deps.db, { status: query.status }, decodeCursor(query.cursor), query.limit);
    const page = toPage(rows, query.limit, (r) => r);
    return { data: await Promise.all(page.data.map(view)), next_cursor: page.next_cursor };
  }

  async function get(id: string): Promise<TCampaign> {
    return view(await load(id));
  }

  async function create(body: TCreateCampaignBody, actor: AdminActor): Promise<TCampaign> {
    await checkTemplate(body.template_id);
    const now = deps.clock.now();
    const row = await deps.db.transaction(async (tx) => {
      const created = await q.insertCampaign(tx, { name: body.name, templateId: body.template_id, audience: body.audience, scheduledAt: body.scheduled_at ? new Date(body.scheduled_at) : null, createdAt: now, updatedAt: now });
      await recordAudit(tx, { actorType: 'admin', actorId: actor.userId, action: 'email_campaign.created', targetType: 'email_campaign', targetId: created.id, details: { before: null, after: body }, ip: actor.ip, userAgent: actor.userAgent, at: now });
      return created;
    });
    return view(row);
  }

  async function update(id: string, body: TPatchCampaignBody, actor: AdminActor): Promise<TCampaign> {
    const before = await load(id);
    const now = deps.clock.now();
    if (body.status === 'cancelled') {
      const row = await deps.db.transaction(async (tx) => {
        const cancelled = await q.updateCampaignIn(tx, id, ['draft', 'sending'], { status: 'cancelled', completedAt: now, updatedAt: now });
        if (cancelled) await audit(tx, actor, 'email_campaign.cancelled', id, { before: { status: before.status }, after: { status: 'cancelled' } });
        return cancelled;
      });
      if (!row) throw errors.conflict(`The campaign is ${before.status}; only a draft or a campaign being sent can be cancelled.`);
      return view(row);
    }
    if (body.template_id) await checkTemplate(body.template_id);
    const row = await deps.db.transaction(async (tx) => {
      const updated = await q.updateCampaignIn(tx, id, ['draft'], {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.template_id !== undefined ? { templateId: body.template_id } : {}),
        ...(body.audience !== undefined ? { audience: body.audience } : {}),
        ...(body.scheduled_at !== undefined ? { scheduledAt: body.scheduled_at ? new Date(body.scheduled_at) : null } : {}),
        updatedAt: now,
      });
      if (updated) await audit(tx, actor, 'email_campaign.updated', id, { before: { name: before.name, template_id: before.templateId, audience: before.audience }, after: body });
      return updated;
    });
    if (!row) throw errors.conflict(`The campaign is ${before.status}; only a draft can be changed.`);
    return view(row);
  }

  async function remove(id: string, actor: AdminActor): Promise<void> {
    const before = await load(id);
    const deleted = await deps.db.transaction(async (tx) => {
      const gone = await q.deleteDraftCampaign(tx, id);
      if (gone) await audit(tx, actor, 'email_campaign.deleted', id, { before: { name: before.name, status: before.status }, after: null });
      return gone;
    });
    if (!deleted) throw errors.conflict(`The campaign is ${before.status}; only a draft can be deleted (cancel it instead).`);
  }

  /** draft → sending, the audience counted and the first batch queued (at `scheduled_at` when that is later), in one transaction. */
  async function send(id: string, actor: AdminActor): Promise<TCampaign> {
    const before = await load(id);
    const now = deps.clock.now();
    const row = await deps.db.transaction(async (tx) => {
      const recipients = await q.countAudience(tx, before.audience);
      const started = await q.updateCampaignIn(tx, id, ['draft'], { status: 'sending', recipients, startedAt: now, updatedAt: now });
      if (!started) return undefined;
      const startAfter = started.scheduledAt && started.scheduledAt > now ? started.scheduledAt : undefined;
      await deps.queue.send(campaignBatchJob, { campaign_id: id }, { tx, ...(startAfter ? { startAfter } : {}) });
      await recordAudit(tx, { actorType: 'admin', actorId: actor.userId, action: 'email_campaign.sent', targetType: 'email_campaign', targetId: id, details: { before: { status: 'draft' }, after: { status: 'sending', recipients } }, ip: actor.ip, userAgent: actor.userAgent, at: now });
      return started;
    });
    if (!row) throw errors.conflict(`The campaign is ${before.status}; only a draft can be sent.`);
    return view(row);
  }

  /** One batch (the queue's handler). Returns how many messages it sent. */
  async function runBatch(id: string): Promise<number> {
    const campaign = await q.findCampaign(deps.db, id);
    if (!campaign || campaign.status !== 'sending') return 0;
    const template = await findTemplate(deps.db, campaign.templateId);
    if (!template) return 0;
    const recipients = await q.nextRecipients(deps.db, id, campaign.audience, deps.rate.campaignBatch);
    let sent = 0;
    for (const r of recipients) {
      const unsubscribeUrl = (logId: string) => `${deps.app.url}/api/v1/email/unsubscribe?token=${encodeURIComponent(unsubscribeToken(deps.secret, logId))}`;
      try {
        const logged = await deps.sender.deliver({
          to: r.email,
          templateKey: template.key,
          locale: r.locale ?? template.locale,
          campaignId: id,
          values: { full_name: r.fullName ?? '', email: r.email },
          perMessage: (logId) => ({
            values: { unsubscribe_url: unsubscribeUrl(logId) },
            headers: { 'List-Unsubscribe': `<${unsubscribeUrl(logId)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          }),
        });
        if (logged) sent++;
      } catch {
        // The log row says `failed` with the reason; one bad address does not stop the campaign.
      }
    }
    const now = deps.clock.now();
    if (recipients.length < deps.rate.campaignBatch) {
      await q.updateCampaignIn(deps.db, id, ['sending'], { status: 'sent', completedAt: now, updatedAt: now });
    } else {
      await deps.queue.send(campaignBatchJob, { campaign_id: id }, { startAfter: deps.rate.campaignIntervalSec });
    }
    return sent;
  }

  return { list, get, create, update, remove, send, runBatch };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
