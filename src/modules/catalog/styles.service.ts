/** Styles, backgrounds and scenes the studios offer: public reads, admin writes (audited). */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Principal } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { createAdminWrite } from '../../platform/audit/admin-write.ts';
import type { RequestMeta as AdminMeta } from '../../platform/http/request-meta.ts';
import { styles, type StyleKind } from './catalog.tables.ts';
import type * as dto from './templates.dto.ts';
import * as q from './styles.queries.ts';
import { defined } from '../../platform/defined.ts';

const fields = (b: dto.TPatchStyleBody) =>
  defined({ key: b.key, name: b.name, kind: b.kind, studio: b.studio, prompt: b.prompt, previewUrl: b.preview_url, params: b.params, sortOrder: b.sort_order, isActive: b.is_active });

const view = (s: q.StyleRow) => ({
  id: s.id,
  key: s.key,
  name: s.name,
  kind: s.kind,
  studio: s.studio,
  prompt: s.prompt,
  preview_url: s.previewUrl,
  params: s.params,
  sort_order: s.sortOrder,
  is_active: s.isActive,
});

export function createStylesService(deps: { db: Db; clock: Clock }) {
  const write = createAdminWrite(deps);
  return {
    list: async (f: { studio?: string; kind?: StyleKind; includeInactive?: boolean }) => ({ data: (await q.listStyles(deps.db, f)).map(view) }),
    create: (admin: Principal, body: dto.TCreateStyleBody, meta: AdminMeta) =>
      write(admin, meta, 'catalog.style.create', { type: 'style', table: styles }, body, async (tx) => {
        const now = deps.clock.now();
        const row = await q.insertStyle(tx, { ...fields(body), key: body.key, name: body.name, kind: body.kind, studio: body.studio, createdAt: now, updatedAt: now });
        if (!row) throw errors.conflict('A style with this key exists.');
        return { id: row.id, view: view(row) };
      }),
    update: (admin: Principal, id: string, body: dto.TPatchStyleBody, meta: AdminMeta) =>
      write(admin, meta, 'catalog.style.update', { type: 'style', table: styles, id }, body, async (tx) => {
        const row = await q.updateStyle(tx, id, { ...fields(body), updatedAt: deps.clock.now() });
        if (!row) throw errors.notFound('Style');
        return { id, view: view(row) };
      }),
    remove: (admin: Principal, id: string, meta: AdminMeta) =>
      write(admin, meta, 'catalog.style.delete', { type: 'style', table: styles, id }, {}, async (tx) => {
        if (!(await q.deleteStyle(tx, id))) throw errors.notFound('Style');
        return { id, view: undefined };
      }),
  };
}
export type StylesService = ReturnType<typeof createStylesService>;
