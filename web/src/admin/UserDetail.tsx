/**
 * One user: the account, balance and plan, the writes an administrator makes (disable or enable,
 * role, vendor verification, a credit adjustment with its reason) and the user's activity (sign-ins,
 * generations, payments, downloads, newest first). Each write answers the changed user, which
 * replaces the one on screen; a refusal (the last admin, a bad amount) is shown where it was made.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { describeError } from '../api.ts';
import { Alert, Field, useDocumentTitle, useFormat } from '../ui.tsx';
import { adminApi, type ActivityRow, type AdminUser, type UserPatch } from './api.ts';
import { AdminHeader, PagedTable, QueryGate, SelectField, usePaged, type Column } from './kit.tsx';

const ROLES = ['user', 'vendor', 'admin'] as const;

export function UserDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const user = useQuery({ queryKey: ['admin', 'user', id], queryFn: () => adminApi.user(id) });
  useDocumentTitle(user.data?.email ?? user.data?.phone ?? t('admin.users.title'));
  return (
    <>
      <p>
        <Link to="/admin/users">{t('admin.users.back')}</Link>
      </p>
      <QueryGate pending={user.isPending} error={user.error} retry={() => user.refetch()}>
        {user.data && <UserView user={user.data} />}
      </QueryGate>
    </>
  );
}

function UserView({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const [confirmDisable, setConfirmDisable] = useState(false);
  const [role, setRole] = useState<AdminUser['role']>(user.role);
  const patch = useMutation({
    mutationFn: (body: UserPatch) => adminApi.patchUser(user.id, body),
    onSuccess: async () => {
      setConfirmDisable(false);
      await client.invalidateQueries({ queryKey: ['admin'] });
    },
  });
  const who = user.email ?? user.phone ?? user.id;
  const yesNo = (b: boolean) => (b ? t('admin.yes') : t('admin.no'));

  return (
    <>
      <AdminHeader title={who}>
        <div className="admin-actions">
          <span className={`badge badge-role-${user.role}`}>{t(`admin.roles.${user.role}`)}</span>
          <span className={`badge ${user.is_active ? 'badge-success' : 'badge-danger'}`} data-testid="admin-user-status">
            {user.is_active ? t('admin.users.active') : t('admin.users.disabled')}
          </span>
        </div>
      </AdminHeader>

      <div className="grid">
        <section className="card">
          <h2>{t('admin.users.account')}</h2>
          <dl className="admin-kv">
            <dt>{t('common.email')}</dt>
            <dd>
              <bdi>{user.email ?? '—'}</bdi> {user.email && `(${user.email_verified ? t('admin.users.verified') : t('admin.users.unverified')})`}
            </dd>
            <dt>{t('common.phone')}</dt>
            <dd>
              <bdi>{user.phone ?? '—'}</bdi> {user.phone && `(${user.phone_verified ? t('admin.users.verified') : t('admin.users.unverified')})`}
            </dd>
            <dt>{t('admin.users.name')}</dt>
            <dd>{user.full_name ?? '—'}</dd>
            <dt>{t('admin.users.joined')}</dt>
            <dd>{format.date(user.created_at)}</dd>
            <dt>{t('admin.users.lastLogin')}</dt>
            <dd>{user.last_login_at ? format.date(user.last_login_at, { dateStyle: 'medium', timeStyle: 'short' }) : '—'}</dd>
            <dt>{t('admin.users.locale')}</dt>
            <dd>{user.locale ?? '—'}</dd>
          </dl>
        </section>

        <section className="card">
          <h2>{t('admin.users.balanceAndPlan')}</h2>
          <dl className="admin-stats">
            <div>
              <dt>{t('admin.users.available')}</dt>
              <dd data-testid="admin-user-available">{format.number(user.credits.available)}</dd>
            </div>
            <div>
              <dt>{t('admin.users.held')}</dt>
              <dd>{format.number(user.credits.held)}</dd>
            </div>
            <div>
              <dt>{t('admin.sections.payments')}</dt>
              <dd>{format.number(user.payments_count)}</dd>
            </div>
            <div>
              <dt>{t('admin.sections.generations')}</dt>
              <dd>{format.number(user.generations_count)}</dd>
            </div>
          </dl>
          <p>
            {user.plan
              ? t('admin.users.plan', { plan: user.plan.display_name, source: t(`admin.users.planSource.${user.plan.source}`) })
              : t('admin.users.noPlan')}
            {user.plan?.current_period_end && ` · ${t('admin.users.periodEnds', { date: format.date(user.plan.current_period_end) })}`}
          </p>
          <p className="admin-actions">
            <Link to={`/admin/payments?user_id=${user.id}`}>{t('admin.users.seePayments')}</Link>
            <Link to={`/admin/generations?user_id=${user.id}`}>{t('admin.users.seeGenerations')}</Link>
          </p>
        </section>

        <section className="card" data-testid="admin-user-actions">
          <h2>{t('admin.users.manage')}</h2>
          {patch.error && <Alert>{describeError(patch.error, [], t('common.genericError')).message}</Alert>}
          <div className="admin-actions">
            {user.is_active ? (
              confirmDisable ? (
                <>
                  <span>{t('admin.users.disableConfirm')}</span>
                  <button type="button" className="button button-danger" disabled={patch.isPending} onClick={() => patch.mutate({ is_active: false })} data-testid="admin-disable-confirm">
                    {t('admin.users.disable')}
                  </button>
                  <button type="button" className="button button-secondary" onClick={() => setConfirmDisable(false)}>
                    {t('admin.cancel')}
                  </button>
                </>
              ) : (
                <button type="button" className="button button-secondary" onClick={() => setConfirmDisable(true)} data-testid="admin-disable">
                  {t('admin.users.disable')}
                </button>
              )
            ) : (
              <button type="button" className="button button-primary" disabled={patch.isPending} onClick={() => patch.mutate({ is_active: true })} data-testid="admin-enable">
                {t('admin.users.enable')}
              </button>
            )}
          </div>
          <div className="admin-filters">
            <SelectField id="admin-user-role" label={t('admin.users.role')} value={role} options={ROLES} optionLabel={(r) => t(`admin.roles.${r}`)} onChange={(r) => r && setRole(r)} />
            <button type="button" className="button button-secondary" disabled={patch.isPending || role === user.role} onClick={() => patch.mutate({ role })}>
              {t('admin.users.saveRole')}
            </button>
          </div>
          {user.vendor_profile && (
            <div className="admin-actions">
              <span>
                {t('admin.users.vendor', { name: user.vendor_profile.business_name })}: {yesNo(user.vendor_profile.is_verified)}
              </span>
              <button
                type="button"
                className="button button-secondary"
                disabled={patch.isPending}
                onClick={() => patch.mutate({ vendor_verified: !user.vendor_profile?.is_verified })}
                data-testid="admin-vendor-verify"
              >
                {user.vendor_profile.is_verified ? t('admin.users.unverifyVendor') : t('admin.users.verifyVendor')}
              </button>
            </div>
          )}
          <CreditsForm userId={user.id} />
        </section>
      </div>

      <Activity userId={user.id} />
    </>
  );
}

function CreditsForm({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const schema = z.object({
    amount: z.coerce
      .number({ error: t('admin.credits.amountInvalid') })
      .int(t('admin.credits.amountInvalid'))
      .refine((n) => n !== 0, t('admin.credits.amountInvalid')),
    reason: z.string().trim().min(1, t('admin.credits.reasonRequired')).max(500),
  });
  const form = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { amount: '', reason: '' } });
  const grant = useMutation({
    mutationFn: (body: z.output<typeof schema>) => adminApi.grantCredits(userId, body),
    onSuccess: async () => {
      form.reset();
      await client.invalidateQueries({ queryKey: ['admin'] });
    },
  });
  const errors = form.formState.errors;
  const server = grant.error ? describeError(grant.error, ['amount', 'reason'], t('common.genericError')) : null;
  return (
    <form className="admin-form" noValidate onSubmit={form.handleSubmit((v) => grant.mutate(v))} data-testid="admin-credits-form">
      <h3 className="wide">{t('admin.credits.title')}</h3>
      <Field
        id="admin-credits-amount"
        label={t('admin.credits.amount')}
        inputMode="numeric"
        hint={t('admin.credits.amountHint')}
        error={errors.amount?.message ?? server?.fields.amount}
        {...form.register('amount')}
      />
      <Field id="admin-credits-reason" label={t('admin.credits.reason')} error={errors.reason?.message ?? server?.fields.reason} {...form.register('reason')} />
      {server && !server.fields.amount && !server.fields.reason && (
        <div className="wide">
          <Alert>{server.message}</Alert>
        </div>
      )}
      {grant.isSuccess && (
        <div className="wide">
          <Alert kind="success">{t('admin.credits.done', { available: grant.data.available })}</Alert>
        </div>
      )}
      <div className="form-buttons">
        <button type="submit" className="button button-primary" disabled={grant.isPending}>
          {t('admin.credits.submit')}
        </button>
      </div>
    </form>
  );
}

function Activity({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const list = usePaged(['admin', 'user-activity', userId], (cursor) => adminApi.activity(userId, cursor));
  const what = (a: ActivityRow): string => {
    switch (a.kind) {
      case 'login':
        return a.ip ?? '';
      case 'generation':
        return `${a.type} · ${a.status} · ${t('common.credits', { count: a.credits_used })}`;
      case 'payment':
        return `${format.money(a.amount_minor, a.currency)} · ${a.provider} · ${a.status}`;
      case 'download':
        return `${a.filename} (${format.number(a.download_count)})`;
    }
  };
  const columns: Column<ActivityRow>[] = [
    { key: 'when', header: t('admin.when'), cell: (a) => format.date(a.created_at, { dateStyle: 'medium', timeStyle: 'short' }) },
    { key: 'kind', header: t('admin.activity.kind'), cell: (a) => t(`admin.activity.kinds.${a.kind}`) },
    { key: 'what', header: t('admin.activity.what'), cell: (a) => <bdi>{what(a)}</bdi> },
  ];
  return (
    <section className="card">
      <h2>{t('admin.activity.title')}</h2>
      <PagedTable list={list} label={t('admin.activity.title')} columns={columns} rowKey={(a) => `${a.kind}-${a.id}`} empty={t('admin.activity.empty')} />
    </section>
  );
}
