/**
 * System health: the version and runtime, the database and storage in use, the queues, the credit
 * invariants (every balance equals its ledger), and the recorded metrics snapshots, newest first.
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle, useFormat } from '../ui.tsx';
import { adminApi, type SystemMetric } from './api.ts';
import { AdminHeader, DataTable, PagedTable, QueryGate, ShortId, usePaged, type Column } from './kit.tsx';

export function System() {
  const { t } = useTranslation();
  const format = useFormat();
  useDocumentTitle(t('admin.system.title'));
  const status = useQuery({ queryKey: ['admin', 'system'], queryFn: adminApi.system, refetchInterval: 30_000 });
  const metrics = usePaged(['admin', 'system-metrics'], (cursor) => adminApi.systemMetrics(cursor ? { cursor } : {}));
  const mb = (bytes: number) => t('admin.system.mb', { n: Math.round(bytes / 1e5) / 10 });
  const s = status.data;

  const columns: Column<SystemMetric>[] = [
    { key: 'when', header: t('admin.when'), cell: (m) => format.date(m.recorded_at, { dateStyle: 'short', timeStyle: 'short' }) },
    { key: 'throughput', header: t('admin.system.throughput'), numeric: true, cell: (m) => format.number(m.generations.throughput_per_minute) },
    { key: 'errors', header: t('admin.system.errorRate'), numeric: true, cell: (m) => `${format.number(Math.round(m.generations.error_rate * 1000) / 10)}%` },
    { key: 'queued', header: t('admin.system.queued'), numeric: true, cell: (m) => format.number(m.queue.queued) },
    { key: 'calls', header: t('admin.system.providerCalls'), numeric: true, cell: (m) => `${format.number(m.provider_calls.errors)} / ${format.number(m.provider_calls.total)}` },
    { key: 'db', header: t('admin.system.database'), numeric: true, cell: (m) => mb(m.database_bytes) },
    { key: 'storage', header: t('admin.system.storage'), numeric: true, cell: (m) => mb(m.storage_bytes) },
  ];

  return (
    <>
      <section className="card" data-testid="admin-system">
        <AdminHeader title={t('admin.system.title')} lead={t('admin.system.lead')} />
        <QueryGate pending={status.isPending} error={status.error} retry={() => status.refetch()}>
          {s && (
            <>
              <dl className="admin-stats">
                <div>
                  <dt>{t('admin.system.version')}</dt>
                  <dd>{s.version}</dd>
                </div>
                <div>
                  <dt>{t('admin.system.uptime')}</dt>
                  <dd>{t('admin.system.hours', { n: Math.floor(s.uptime_seconds / 360) / 10 })}</dd>
                </div>
                <div>
                  <dt>{t('admin.system.database')}</dt>
                  <dd>{s.database.kind}</dd>
                </div>
                <div>
                  <dt>{t('admin.system.storage')}</dt>
                  <dd>{s.storage.driver}</dd>
                </div>
                <div>
                  <dt>{t('admin.system.queue')}</dt>
                  <dd>
                    <span className={`badge ${s.queue.status === 'ok' ? 'badge-success' : 'badge-danger'}`}>{t(`admin.system.health.${s.queue.status}`)}</span>
                  </dd>
                </div>
                <div>
                  <dt>{t('admin.system.invariants')}</dt>
                  <dd>
                    <span className={`badge ${s.credit_invariants.ok ? 'badge-success' : 'badge-danger'}`} data-testid="admin-invariants">
                      {s.credit_invariants.ok ? t('admin.system.health.ok') : t('admin.system.violations', { count: s.credit_invariants.violation_count })}
                    </span>
                  </dd>
                </div>
              </dl>
              <p className="muted small">
                Node {s.node_version} · {s.payment_providers.join(', ')}
              </p>
              <DataTable
                label={t('admin.system.queues')}
                rows={s.queue.queues}
                rowKey={(q) => q.name}
                columns={[
                  { key: 'name', header: t('admin.system.queue'), cell: (q) => <code>{q.name}</code> },
                  { key: 'queued', header: t('admin.system.queued'), numeric: true, cell: (q) => format.number(q.queued) },
                  { key: 'active', header: t('admin.system.active'), numeric: true, cell: (q) => format.number(q.active) },
                  { key: 'deferred', header: t('admin.system.deferred'), numeric: true, cell: (q) => format.number(q.deferred) },
                  { key: 'failed', header: t('admin.system.failed'), numeric: true, cell: (q) => format.number(q.failed) },
                ]}
              />
              {s.credit_invariants.violations.length > 0 && (
                <DataTable
                  label={t('admin.system.invariants')}
                  rows={s.credit_invariants.violations}
                  rowKey={(v) => v.user_id}
                  columns={[
                    { key: 'user', header: t('admin.payments.user'), cell: (v) => <Link to={`/admin/users/${v.user_id}`}><ShortId id={v.user_id} /></Link> },
                    { key: 'available', header: t('admin.users.available'), numeric: true, cell: (v) => format.number(v.available) },
                    { key: 'held', header: t('admin.users.held'), numeric: true, cell: (v) => format.number(v.held) },
                    { key: 'ledger', header: t('admin.system.ledgerSum'), numeric: true, cell: (v) => format.number(v.ledger_sum) },
                  ]}
                />
              )}
            </>
          )}
        </QueryGate>
      </section>
      <section className="card">
        <h2>{t('admin.system.snapshots')}</h2>
        <PagedTable list={metrics} label={t('admin.system.snapshots')} columns={columns} rowKey={(m) => m.id} empty={t('admin.system.noSnapshots')} />
      </section>
    </>
  );
}
