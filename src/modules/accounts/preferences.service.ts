/**
 * The signed-in user's preferences: locale (kept on the user, where PATCH /me writes it too),
 * marketing mail (opt-in; campaigns reach only those who turned it on), a default studio and which
 * notifications to send. A user who never saved any has the defaults.
 */
import { errors } from '../../platform/http/errors.ts';
import * as uq from './accounts.queries.ts';
import type { AccountsContext } from './context.ts';
import type { TPatchPreferencesBody, TPreferences } from './preferences.dto.ts';
import { findPreferences, upsertPreferences, type PreferencesPatch, type PreferencesRow } from './preferences.queries.ts';

export function createPreferencesService(ctx: AccountsContext) {
  async function get(userId: string): Promise<TPreferences> {
    const user = await uq.findUserById(ctx.db, userId);
    if (!user) throw errors.notFound('User');
    return toView(user.locale, await findPreferences(ctx.db, userId));
  }

  async function update(userId: string, body: TPatchPreferencesBody): Promise<TPreferences> {
    const studios: readonly string[] = ctx.config.generation.studios;
    if (body.default_studio && !studios.includes(body.default_studio)) {
      throw errors.validation([{ path: 'default_studio', message: `must be one of ${studios.join(', ')} or null` }]);
    }
    const now = ctx.clock.now();
    const patch: PreferencesPatch = {};
    if (body.marketing_emails !== undefined) {
      patch.marketingEmails = body.marketing_emails;
      if (!body.marketing_emails) patch.marketingOptedOutAt = now;
    }
    if (body.default_studio !== undefined) patch.defaultStudio = body.default_studio;
    if (body.notifications?.generation_completed !== undefined) patch.notifyGenerationCompleted = body.notifications.generation_completed;
    if (body.notifications?.low_balance !== undefined) patch.notifyLowBalance = body.notifications.low_balance;

    return ctx.db.transaction(async (tx) => {
      const user = body.locale !== undefined ? await uq.updateUser(tx, userId, { locale: body.locale, updatedAt: now }) : await uq.findUserById(tx, userId);
      if (!user) throw errors.notFound('User');
      const row = Object.keys(patch).length > 0 ? await upsertPreferences(tx, userId, patch, now) : await findPreferences(tx, userId);
      return toView(user.locale, row);
    });
  }

  return { get, update };
}

function toView(locale: string | null, row: PreferencesRow | undefined): TPreferences {
  return {
    locale,
    marketing_emails: row?.marketingEmails ?? false,
    default_studio: row?.defaultStudio ?? null,
    notifications: { generation_completed: row?.notifyGenerationCompleted ?? true, low_balance: row?.notifyLowBalance ?? true },
    updated_at: row?.updatedAt.toISOString() ?? null,
  };
}
