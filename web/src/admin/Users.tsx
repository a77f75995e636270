/**
 * Users: search by email, phone or name, filter by role and status (kept in the address, so Back
 * returns to the same results), keyset-paged; each row leads to the user's detail.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle, useFormat } from '../ui.tsx';
import { adminApi, type AdminUserRow, type UserQuery } from './api.ts';
import { AdminHeader, FilterForm, PagedTable, SelectField, TextFilter, useAddressFilters, usePaged, withCursor, type Column } from './kit.tsx';

const ROLES = ['user', 'vendor', 'admin'] as const;
const STATUSES = ['true', 'false'] as const;

export function Users() {
  const { t } = useTranslation();
  const format = useFormat();
  useDocumentTitle(t('admin.users.title'));
  const { draft, set, apply, query } = useAddressFilters<'q' | 'role' | 'is_active', UserQuery>(['q', 'role', 'is_active']);
  const list = usePaged(['admin', 'users', query], (cursor) => adminApi.users(withCursor(query, cursor)));

  const columns: Column<AdminUserRow>[] = [
    {
      key: 'who',
      header: t('admin.users.who'),
      cell: (u) => (
        <Link to={`/admin/users/${u.id}`} data-testid="admin-user-link">
          <bdi>{u.email ?? u.phone ?? u.id}</bdi>
        </Link>
      ),
    },
    { key: 'name', header: t('admin.users.name'), cell: (u) => u.full_name ?? '—' },
    { key: 'role', header: t('admin.users.role'), cell: (u) => <span className={`badge badge-role-${u.role}`}>{t(`admin.roles.${u.role}`)}</span> },
    {
      key: 'status',
      header: t('admin.users.status'),
      cell: (u) => <span className={`badge ${u.is_active ? 'badge-success' : 'badge-danger'}`}>{u.is_active ? t('admin.users.active') : t('admin.users.disabled')}</span>,
    },
    { key: 'created', header: t('admin.users.joined'), cell: (u) => format.date(u.created_at) },
    { key: 'login', header: t('admin.users.lastLogin'), cell: (u) => (u.last_login_at ? format.date(u.last_login_at) : '—') },
  ];

  return (
    <section className="card">
      <AdminHeader title={t('admin.users.title')} lead={t('admin.users.lead')} />
      <FilterForm onSubmit={apply} submit={t('admin.search')} testId="admin-user-search">
        <TextFilter id="admin-users-q" search label={t('admin.users.search')} value={draft.q} onChange={(v) => set('q', v)} />
        <SelectField
          id="admin-users-role"
          label={t('admin.users.role')}
          value={draft.role as (typeof ROLES)[number] | ''}
          options={ROLES}
          optionLabel={(r) => t(`admin.roles.${r}`)}
          any={t('admin.any')}
          onChange={(v) => set('role', v)}
        />
        <SelectField
          id="admin-users-status"
          label={t('admin.users.status')}
          value={draft.is_active as (typeof STATUSES)[number] | ''}
          options={STATUSES}
          optionLabel={(s) => (s === 'true' ? t('admin.users.active') : t('admin.users.disabled'))}
          any={t('admin.any')}
          onChange={(v) => set('is_active', v)}
        />
      </FilterForm>
      <PagedTable list={list} label={t('admin.users.title')} columns={columns} rowKey={(u) => u.id} empty={t('admin.users.empty')} testId="admin-users" />
    </section>
  );
}
