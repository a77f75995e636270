/**
 * The admin console's frame inside the shell: the section navigation (it wraps on a phone) and the
 * role check. Only an administrator sees the console; anyone else who types the address is told
 * so (the server refuses their calls with 403 in any case).
 */
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { useSignedIn } from '../session.ts';
import { Alert } from '../ui.tsx';
import './admin.css';

export const ADMIN_SECTIONS = ['users', 'payments', 'catalogue', 'generations', 'analytics', 'emails', 'audit', 'system'] as const;

export function AdminLayout() {
  const { t } = useTranslation();
  const context = useSignedIn();
  if (context.user.role !== 'admin') {
    return (
      <div className="card narrow" data-testid="admin-forbidden">
        <Alert>{t('admin.forbidden')}</Alert>
      </div>
    );
  }
  return (
    <div className="admin" data-testid="admin">
      <nav className="admin-nav" aria-label={t('admin.sectionsNav')}>
        {ADMIN_SECTIONS.map((s) => (
          <NavLink key={s} to={`/admin/${s}`} className={({ isActive }) => `admin-nav-link${isActive ? ' active' : ''}`}>
            {t(`admin.sections.${s}`)}
          </NavLink>
        ))}
      </nav>
      <div className="admin-body">
        <Outlet context={context} />
      </div>
    </div>
  );
}
