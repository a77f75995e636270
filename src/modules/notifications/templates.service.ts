/**
 * Admins' email templates: list, read, create, change, delete, preview. A template that does not
 * parse or names a variable its message does not have is refused at save (400), so a broken
 * template can never reach a send. The English row of a system message is the last fallback: it
 * cannot be deleted or turned off.
 */
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage, type TListQuery } from '../../platform/http/pagination.ts';
import { FALLBACK_LOCALE, sampleValues } from './default-templates.ts';
import type { TCreateEmailTemplateBody, TEmailTemplate, TPatchEmailTemplateBody } from './notifications.dto.ts';
import { renderTemplate, templateProblems, type Rendered, type TemplateSource } from './render.ts';
import { isSystemKey, variablesOf, type TemplateStore } from './template-store.ts';
import * as q from './templates.queries.ts';
import { templateInUse } from './campaigns.queries.ts';

export interface AdminActor {
  userId: string;
  ip?: string;
  userAgent?: string;
}

export function createEmailTemplatesService(deps: { db: Db; clock: Clock; store: TemplateStore; app: { name: string; url: string } }) {
  function check(key: string, source: TemplateSource): void {
    const problems = templateProblems(source, variablesOf(key));
    if (problems.length > 0) throw errors.validation(problems, 'The template does not parse or uses a variable its message does not have.');
  }

  async function load(id: string): Promise<q.EmailTemplateRow> {
    const row = await q.findTemplate(deps.db, id);
    if (!row) throw errors.notFound('Email template');
    return row;
  }

  async function list(query: TListQuery & { key?: string; locale?: string }) {
    await deps.store.ensureDefaults();
    const rows = await q.listTemplates(deps.db, query, decodeCursor(query.cursor), query.limit);
    const page = toPage(rows, query.limit, (r) => r);
    return { data: page.data.map(toView), next_cursor: page.next_cursor };
  }

  async function get(id: string): Promise<TEmailTemplate> {
    return toView(await load(id));
  }

  async function create(body: TCreateEmailTemplateBody, actor: AdminActor): Promise<TEmailTemplate> {
    check(body.key, body);
    await deps.store.ensureDefaults();
    const now = deps.clock.now();
    return deps.db.transaction(async (tx) => {
      const row = await q.insertTemplateIfFree(tx, { key: body.key, locale: body.locale, subject: body.subject, html: body.html, text: body.text, isActive: body.is_active, createdAt: now, updatedAt: now });
      if (!row) throw errors.conflict(`A ${body.key} template in ${body.locale} exists; change that one.`);
      const view = toView(row);
      await recordAuditTx(tx, actor, 'email_template.created', row.id, null, view, now);
      return view;
    });
  }

  async function update(id: string, body: TPatchEmailTemplateBody, actor: AdminActor): Promise<TEmailTemplate> {
    const before = await load(id);
    if (body.is_active === false && isFallback(before)) throw errors.conflict('The English template of a system message is the last fallback; it cannot be turned off.');
    const next = { subject: body.subject ?? before.subject, html: body.html ?? before.html, text: body.text ?? before.text };
    check(before.key, next);
    const now = deps.clock.now();
    return deps.db.transaction(async (tx) => {
      const row = await q.updateTemplate(tx, id, { ...next, ...(body.is_active !== undefined ? { isActive: body.is_active } : {}), updatedAt: now });
      if (!row) throw errors.notFound('Email template');
      const view = toView(row);
      await recordAuditTx(tx, actor, 'email_template.updated', id, toView(before), view, now);
      return view;
    });
  }

  async function remove(id: string, actor: AdminActor): Promise<void> {
    const before = await load(id);
    if (isFallback(before)) throw errors.conflict('The English template of a system message is the last fallback; it cannot be deleted.');
    if (await templateInUse(deps.db, id)) throw errors.conflict('A campaign uses this template; delete or change the campaign first.');
    const now = deps.clock.now();
    await deps.db.transaction(async (tx) => {
      if (!(await q.deleteTemplate(tx, id))) throw errors.notFound('Email template');
      await recordAuditTx(tx, actor, 'email_template.deleted', id, toView(before), null, now);
    });
  }

  /** Renders with the given values over samples for the rest; a variable the message does not have is a 400. */
  async function preview(id: string, variables: Record<string, string | number>): Promise<Rendered> {
    const row = await load(id);
    const allowed = variablesOf(row.key);
    const unknown = Object.keys(variables).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) throw errors.validation(unknown.map((k) => ({ path: `body.variables.${k}`, message: `not a variable of ${row.key}; it has ${allowed.join(', ')}` })));
    const samples = Object.fromEntries(allowed.map((k) => [k, sampleValues[k] ?? '']));
    try {
      return await renderTemplate(row, { ...samples, app_name: deps.app.name, app_url: deps.app.url, ...variables });
    } catch (err) {
      throw errors.validation([{ path: 'body.variables', message: `the template could not be rendered: ${err instanceof Error ? err.message.split('\n')[0] : 'error'}` }]);
    }
  }

  return { list, get, create, update, remove, preview };
}

const isFallback = (row: q.EmailTemplateRow) => isSystemKey(row.key) && row.locale === FALLBACK_LOCALE;

async function recordAuditTx(tx: Parameters<typeof recordAudit>[0], actor: AdminActor, action: string, id: string, before: TEmailTemplate | null, after: TEmailTemplate | null, at: Date) {
  await recordAudit(tx, { actorType: 'admin', actorId: actor.userId, action, targetType: 'email_template', targetId: id, details: { before, after }, ip: actor.ip, userAgent: actor.userAgent, at });
}

export function toView(row: q.EmailTemplateRow): TEmailTemplate {
  return {
    id: row.id,
    key: row.key,
    locale: row.locale,
    subject: row.subject,
    html: row.html,
    text: row.text,
    variables: variablesOf(row.key),
    is_active: row.isActive,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
