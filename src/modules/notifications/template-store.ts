/**
 * Which template a message is written with: the active row of its key in the recipient's locale,
 * else in the product's default locale, else in English. The defaults are written into the table
 * once per process before the first read, so a fresh installation has them to edit.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import { systemEmailKeys, systemEmailVariableNames, type SystemEmailKey } from '../../platform/mail/email-sender.ts';
import { campaignVariableNames, commonVariableNames, defaultTemplates, FALLBACK_LOCALE } from './default-templates.ts';
import { findActiveTemplates, insertMissingTemplates, type EmailTemplateRow } from './templates.queries.ts';

export const isSystemKey = (key: string): key is SystemEmailKey => (systemEmailKeys as readonly string[]).includes(key);

/** The variables a template of this key may use. */
export function variablesOf(key: string): string[] {
  return [...commonVariableNames, ...(isSystemKey(key) ? systemEmailVariableNames[key] : campaignVariableNames)];
}

export function createTemplateStore(deps: { db: Db; clock: Clock; defaultLocale: string }) {
  let seeded: Promise<void> | undefined;

  function ensureDefaults(): Promise<void> {
    seeded ??= (async () => {
      const now = deps.clock.now();
      const rows = Object.entries(defaultTemplates).flatMap(([locale, byKey]) =>
        systemEmailKeys.map((key) => ({ key, locale, ...byKey[key], createdAt: now, updatedAt: now })),
      );
      await insertMissingTemplates(deps.db, rows);
    })().catch((err: unknown) => {
      seeded = undefined;
      throw err;
    });
    return seeded;
  }

  async function resolve(key: string, locale: string | null | undefined): Promise<EmailTemplateRow | undefined> {
    await ensureDefaults();
    const wanted = [...new Set([locale, locale?.split('-')[0], deps.defaultLocale, FALLBACK_LOCALE].filter((l): l is string => Boolean(l)))];
    const rows = await findActiveTemplates(deps.db, key, wanted);
    for (const l of wanted) {
      const row = rows.find((r) => r.locale === l);
      if (row) return row;
    }
    return undefined;
  }

  return { ensureDefaults, resolve };
}

export type TemplateStore = ReturnType<typeof createTemplateStore>;
