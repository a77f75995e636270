/**
 * Sends one message: picks its template, renders it, writes its email_logs row as `queued`, hands
 * it to the transport and records `sent` (with the provider's message id) or `failed`. Runs outside
 * any transaction (the log rows are written on the database handle, and the transport is a network call).
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EmailRequest, EmailSender } from '../../platform/mail/email-sender.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import { finishEmailLog, insertEmailLogIfNew } from './email-logs.queries.ts';
import { renderTemplate, type TemplateValues } from './render.ts';
import type { TemplateStore } from './template-store.ts';

export interface SenderDeps {
  db: Db;
  clock: Clock;
  transport: Mailer;
  templates: TemplateStore;
  log: Logger;
  app: { name: string; url: string };
}

export interface OutgoingEmail {
  to: string;
  templateKey: string;
  locale: string | null | undefined;
  values: TemplateValues;
  code?: string;
  campaignId?: string;
  /** Values and headers that need the log row's id (a campaign's unsubscribe link). */
  perMessage?: (logId: string) => { values: TemplateValues; headers: Record<string, string> };
}

export function createMessageSender(deps: SenderDeps) {
  /**
   * Renders, logs and sends one message; returns the log row's id, or undefined when this campaign
   * has already logged (and so sent) a message to this address: the log row is the claim.
   */
  async function deliver(m: OutgoingEmail): Promise<string | undefined> {
    const template = await deps.templates.resolve(m.templateKey, m.locale);
    if (!template) throw new Error(`No active email template for ${m.templateKey}.`);
    const now = deps.clock.now();
    const row = await insertEmailLogIfNew(deps.db, { to: m.to, templateKey: m.templateKey, locale: template.locale, campaignId: m.campaignId, createdAt: now, updatedAt: now });
    if (!row) return undefined;
    try {
      const extra = m.perMessage?.(row.id);
      const rendered = await renderTemplate(template, { app_name: deps.app.name, app_url: deps.app.url, ...m.values, ...extra?.values });
      const sent = await deps.transport.send({ to: m.to, ...rendered, code: m.code, headers: extra?.headers, logId: row.id });
      await finishEmailLog(deps.db, row.id, { status: 'sent', providerMessageId: sent.id }, deps.clock.now());
    } catch (err) {
      await finishEmailLog(deps.db, row.id, { status: 'failed', error: err instanceof Error ? err.message : 'delivery failed' }, deps.clock.now());
      throw err;
    }
    return row.id;
  }

  const emails: EmailSender = {
    async send(m: EmailRequest) {
      await deliver({ to: m.to, templateKey: m.template, locale: m.locale, values: m.variables as unknown as TemplateValues, code: m.code });
    },
  };

  return { deliver, emails };
}

export type MessageSender = ReturnType<typeof createMessageSender>;
