/** The notifications module: email templates, the sender every module mails through, email logs. */
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import { createCampaignsService } from './campaigns.service.ts';
import { createUnsubscribeService } from './unsubscribe.service.ts';
import { createSendGridEvents } from './sendgrid-events.service.ts';
import { sendGridVerificationKey } from './sendgrid-signature.ts';
import { createEmailLogsService } from './email-logs.service.ts';
import { createMessageSender } from './sender.ts';
import { createSystemEmails } from './system-emails.service.ts';
import { createTemplateStore } from './template-store.ts';
import { createEmailTemplatesService } from './templates.service.ts';

export interface NotificationsDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'preset' | 'publicUrl' | 'port' | 'mail'>;
  queue: Queue;
  /** Server secret: signs unsubscribe links. */
  secret: string;
  /** The mail transport (SMTP, the outbox, …). */
  transport: Mailer;
  log: Logger;
}

export function createNotificationsModule(deps: NotificationsDeps) {
  const app = { name: deps.config.preset.productName, url: (deps.config.publicUrl ?? `http://localhost:${deps.config.port}`).replace(/\/+$/, '') };
  const store = createTemplateStore({ db: deps.db, clock: deps.clock, defaultLocale: deps.config.preset.defaultLocale });
  const sender = createMessageSender({ db: deps.db, clock: deps.clock, transport: deps.transport, templates: store, log: deps.log, app });
  return {
    /** What the modules below send through (the `EmailSender` port). */
    emails: sender.emails,
    sender,
    /** The worker side of system emails raised inside a transaction (`systemEmailJob`). */
    systemEmails: createSystemEmails({ db: deps.db, clock: deps.clock, emails: sender.emails, app }),
    templates: createEmailTemplatesService({ db: deps.db, clock: deps.clock, store, app }),
    logs: createEmailLogsService({ db: deps.db }),
    campaigns: createCampaignsService({ db: deps.db, clock: deps.clock, queue: deps.queue, sender, secret: deps.secret, app, rate: deps.config.mail }),
    unsubscribe: createUnsubscribeService({ db: deps.db, clock: deps.clock, secret: deps.secret }),
    /** SendGrid's Event Webhook, when its verification key is configured. */
    sendgridEvents: deps.config.mail.sendgrid.webhookPublicKey
      ? createSendGridEvents({ db: deps.db, clock: deps.clock, key: sendGridVerificationKey(deps.config.mail.sendgrid.webhookPublicKey) })
      : undefined,
  };
}

export type NotificationsModule = ReturnType<typeof createNotificationsModule>;
