/** What the composition root may use of notifications. */
import type { FastifyInstance } from 'fastify';
import type { NotificationsModule } from './notifications.module.ts';
import { campaignsRoutes } from './campaigns.routes.ts';
import { sendGridWebhookRoutes } from './sendgrid-webhook.routes.ts';
import { campaignBatchJob } from './campaigns.jobs.ts';
import { jobHandler, type JobHandler } from '../../platform/queue/queue.ts';
import { systemEmailJob } from '../../platform/mail/email-jobs.ts';
import { emailTemplatesRoutes } from './templates.routes.ts';

export { createNotificationsModule, type NotificationsModule, type NotificationsDeps } from './notifications.module.ts';

export async function notificationsRoutes(app: FastifyInstance, m: NotificationsModule): Promise<void> {
  await emailTemplatesRoutes(app, m);
  await campaignsRoutes(app, m);
  if (m.sendgridEvents) await sendGridWebhookRoutes(app, m.sendgridEvents);
}

export { notificationsJobs } from './campaigns.jobs.ts';

/** The handlers a worker runs for this module. */
export function notificationsHandlers(m: NotificationsModule): JobHandler[] {
  return [
    {
      definition: campaignBatchJob,
      async handle(data: { campaign_id: string }, ctx) {
        ctx.log.info({ campaign: data.campaign_id, sent: await m.campaigns.runBatch(data.campaign_id) }, 'notifications: campaign batch sent');
      },
    } as JobHandler,
    jobHandler(systemEmailJob, async (data, ctx) => {
      ctx.log.info({ template: data.template, user: data.user_id, outcome: await m.systemEmails.send(data) }, 'notifications: system email');
    }),
  ];
}
