/**
 * GET /admin/users (search and filters), /admin/users/{id} (the user with balance, plan and the
 * counts of payments and generations) and /admin/users/{id}/activity (decision 060). Changes to a
 * user are accounts' (PATCH /admin/users/{id}); this side only reads.
 */
import { findUserById, type TUser } from '../accounts/index.ts';
import type { Db } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage, type TListQuery } from '../../platform/http/pagination.ts';
import type { TAdminUserActivity, TAdminUserDetail, TAdminUserListItem, TAdminUserQuery } from './users.dto.ts';
import { countUserRecords, listUserActivity, listUsers, type ActivityRow, type AdminUserRow } from './users.queries.ts';

export interface AdminUsersDeps {
  db: Db;
  /** Accounts' view of one user (as GET /me shows it), 404 when there is none. */
  userView: (userId: string) => Promise<TUser>;
}

const toListItem = (u: AdminUserRow): TAdminUserListItem => ({
  id: u.id,
  email: u.email,
  phone: u.phone,
  full_name: u.fullName,
  role: u.role,
  is_active: u.isActive,
  email_verified: u.emailVerifiedAt !== null,
  phone_verified: u.phoneVerifiedAt !== null,
  last_login_at: u.lastLoginAt?.toISOString() ?? null,
  created_at: u.createdAt.toISOString(),
});

function toActivity(r: ActivityRow): TAdminUserActivity {
  const base = { id: r.id, created_at: new Date(r.created_at).toISOString() };
  switch (r.kind) {
    case 'login':
      return { kind: 'login', ...base, ip: r.text1, user_agent: r.text2 };
    case 'generation':
      return { kind: 'generation', ...base, type: r.text1 ?? '', status: r.text2 ?? '', credits_used: Number(r.num ?? 0) };
    case 'payment':
      return { kind: 'payment', ...base, provider: r.text1 ?? '', status: r.text2 ?? '', amount_minor: Number(r.num ?? 0), currency: r.text3 ?? '' };
    case 'download':
      return { kind: 'download', ...base, filename: r.text1 ?? '', download_count: Number(r.num ?? 0) };
  }
}

export function createAdminUsersService(deps: AdminUsersDeps) {
  async function list(query: TAdminUserQuery) {
    const rows = await listUsers(deps.db, { q: query.q, role: query.role, isActive: query.is_active }, decodeCursor(query.cursor), query.limit);
    const page = toPage(rows, query.limit, (u) => u);
    return { data: page.data.map(toListItem), next_cursor: page.next_cursor };
  }

  async function detail(userId: string): Promise<TAdminUserDetail> {
    const user = await deps.userView(userId);
    const counts = await countUserRecords(deps.db, userId);
    return { ...user, payments_count: counts.payments, generations_count: counts.generations };
  }

  async function activity(userId: string, query: TListQuery) {
    // Nobody is a 404, not an empty page.
    if (!(await findUserById(deps.db, userId))) throw errors.notFound('User');
    const rows = await listUserActivity(deps.db, userId, decodeCursor(query.cursor), query.limit);
    const page = toPage(rows, query.limit, (r) => ({ createdAt: new Date(r.created_at), id: r.id }));
    return { data: page.data.map(toActivity), next_cursor: page.next_cursor };
  }

  return { list, detail, activity };
}

export type AdminUsersService = ReturnType<typeof createAdminUsersService>;
