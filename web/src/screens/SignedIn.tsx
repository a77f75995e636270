/** Every signed-in screen: reads the account when it opens, then shows the screen inside the shell. */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, type User } from '../api.ts';
import type { Route } from '../router.ts';
import { Alert, Spinner } from '../ui.tsx';
import { Account } from './Account.tsx';
import { Billing } from './Billing.tsx';
import { Dashboard } from './Dashboard.tsx';
import { Library } from './Library.tsx';
import { Shell } from './Shell.tsx';
import { Studio } from './Studio.tsx';

interface SignedInProps {
  path: Route;
  user: User | null;
  onUser: (user: User) => void;
  onSignOut: () => Promise<void>;
  onErased: () => Promise<void>;
}

export function SignedIn({ path, user, onUser, onSignOut, onErased }: SignedInProps) {
  const [loadError, setLoadError] = useState<string | null>(null);

  const reload = useCallback(async (): Promise<void> => {
    try {
      onUser(await api.me());
      setLoadError(null);
    } catch (err) {
      // A 401 that could not be refreshed already sent us to sign-in.
      if (err instanceof ApiError && err.status === 401) return;
      setLoadError(err instanceof Error ? err.message : 'Could not load your account.');
    }
  }, [onUser]);

  // Read the account fresh whenever a screen opens (balances move).
  useEffect(() => {
    void reload();
  }, [path, reload]);

  if (!user) {
    return (
      <div className="center-page">
        {loadError ? (
          <div className="card narrow">
            <Alert>{loadError}</Alert>
            <button type="button" className="button button-primary" onClick={() => void reload()}>
              Try again
            </button>
          </div>
        ) : (
          <Spinner label="Loading your account…" />
        )}
      </div>
    );
  }

  const screens: Partial<Record<Route, { testId: string; node: ReactNode }>> = {
    '/dashboard': { testId: 'dashboard', node: <Dashboard user={user} reload={reload} /> },
    '/studio': { testId: 'studio', node: <Studio user={user} reload={reload} /> },
    '/library': { testId: 'library', node: <Library /> },
    '/billing': { testId: 'billing', node: <Billing audience={user.role === 'vendor' ? 'vendor' : 'user'} reload={reload} /> },
    '/account': { testId: 'account', node: <Account user={user} onErased={onErased} /> },
  };
  const screen = screens[path] ?? screens['/dashboard']!;
  return (
    <Shell user={user} onSignOut={onSignOut} testId={screen.testId}>
      {loadError && <Alert>{loadError}</Alert>}
      {screen.node}
    </Shell>
  );
}
