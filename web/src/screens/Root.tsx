/**
 * The root route: nothing is shown until the installation's config (GET /config) is in, because it
 * decides the product's name, its language and direction, its studios and its sign-up methods.
 * It also turns an unrecoverable 401 (refresh failed) into the sign-in screen.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useRouteError } from 'react-router';
import { describeError, setSessionExpiredHandler } from '../api.ts';
import { initialLanguage, switchLanguage } from '../i18n/index.ts';
import { configQuery } from '../queries.ts';
import { useSessionMoves } from '../session.ts';
import { Alert, FullPageSpinner } from '../ui.tsx';

export function Root() {
  const { t } = useTranslation();
  const config = useQuery(configQuery);
  const [languageSet, setLanguageSet] = useState(false);
  const moves = useSessionMoves();

  useEffect(() => {
    if (config.data) void switchLanguage(initialLanguage(config.data)).then(() => setLanguageSet(true));
  }, [config.data]);

  useEffect(() => {
    setSessionExpiredHandler(() => void moves.signedOut('pleaseSignIn', true));
    return () => setSessionExpiredHandler(null);
  }, [moves]);

  if (config.error) {
    return (
      <div className="center-page">
        <div className="card narrow">
          <Alert>
            {t('session.configFailed')} {describeError(config.error, [], t('common.genericError')).message}
          </Alert>
          <button type="button" className="button button-primary" onClick={() => void config.refetch()}>
            {t('common.tryAgain')}
          </button>
        </div>
      </div>
    );
  }
  if (!config.data || !languageSet) return <FullPageSpinner />;
  return <Outlet />;
}

/** A screen that failed to load (a chunk lost to a new deployment, say): say so and offer a reload. */
export function RootError() {
  const { t } = useTranslation();
  const error = useRouteError();
  return (
    <div className="center-page">
      <div className="card narrow">
        <Alert>{error instanceof Error ? error.message : t('common.genericError')}</Alert>
        <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
          {t('common.tryAgain')}
        </button>
      </div>
    </div>
  );
}
