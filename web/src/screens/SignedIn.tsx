/**
 * The layout of every signed-in screen: reads the account (fresh each time a screen opens, since
 * balances move), then shows the screen inside the shell and hands it the account through the
 * outlet context. A 401 that a refresh cannot fix has already sent the reader to sign-in.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router';
import { ApiError, describeError } from '../api.ts';
import { meQuery, useReloadMe } from '../queries.ts';
import type { SignedInContext } from '../session.ts';
import { Alert, Spinner } from '../ui.tsx';
import { Shell } from './Shell.tsx';

export function SignedInLayout() {
  const { t } = useTranslation();
  const me = useQuery(meQuery);
  const reload = useReloadMe();
  const { pathname } = useLocation();

  // The first screen reads the account with the query itself; each next one reads it again
  // (once per screen opened, hence only `pathname` as the dependency).
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) void reload();
    opened.current = true;
  }, [pathname]);

  if (!me.data) {
    const expired = me.error instanceof ApiError && me.error.status === 401;
    return (
      <div className="center-page">
        {me.error && !expired ? (
          <div className="card narrow">
            <Alert>{describeError(me.error, [], t('session.loadFailed')).message}</Alert>
            <button type="button" className="button button-primary" onClick={() => void me.refetch()}>
              {t('common.tryAgain')}
            </button>
          </div>
        ) : (
          <Spinner label={t('session.loadingAccount')} />
        )}
      </div>
    );
  }

  const context: SignedInContext = { user: me.data, reload };
  return (
    <Shell user={me.data} testId={pathname.replace(/^\/+/, '') || 'dashboard'}>
      {me.error && !(me.error instanceof ApiError && me.error.status === 401) && <Alert>{describeError(me.error, [], t('session.loadFailed')).message}</Alert>}
      <Outlet context={context} />
    </Shell>
  );
}
