/**
 * The worker side of `systemEmailJob` (decision 059): the user's address and locale, the links, and
 * for the optional `low_balance` notice the user's preference and at most one a day (the email log
 * is the record of what was sent).
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { SystemEmailJobData } from '../../platform/mail/email-jobs.ts';
import type { EmailSender } from '../../platform/mail/email-sender.ts';
import { findPreferences, findUserById } from '../accounts/index.ts';
import { sentSince } from './email-logs.queries.ts';

const DAY = 86_400_000;

export function createSystemEmails(deps: { db: Db; clock: Clock; emails: EmailSender; app: { url: string } }) {
  /** Sends the message, or says why not. */
  async function send(job: SystemEmailJobData): Promise<'sent' | string> {
    const user = await findUserById(deps.db, job.user_id);
    if (!user?.email || !user.isActive) return 'no active user with an email address';
    if (job.template === 'training_ready') {
      await deps.emails.send({ to: user.email, locale: user.locale, template: 'training_ready', variables: { subject_name: job.subject_name, url: deps.app.url } });
      return 'sent';
    }
    const prefs = await findPreferences(deps.db, user.id);
    if (prefs && !prefs.notifyLowBalance) return 'low_balance notices are turned off';
    if (await sentSince(deps.db, user.email, 'low_balance', new Date(deps.clock.now().getTime() - DAY))) return 'a low_balance notice went out within a day';
    await deps.emails.send({ to: user.email, locale: user.locale, template: 'low_balance', variables: { available: job.available, url: `${deps.app.url}/billing` } });
    return 'sent';
  }
  return { send };
}
export type SystemEmails = ReturnType<typeof createSystemEmails>;
