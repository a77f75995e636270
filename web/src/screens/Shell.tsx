/** The frame of every signed-in screen: the top bar with navigation and the account's identity. */
import { useState, type ReactNode } from 'react';
import type { User } from '../api.ts';
import { usePath, type Route } from '../router.ts';
import { Brand, Link } from '../ui.tsx';

const NAV: Array<{ to: Route; label: string }> = [
  { to: '/dashboard', label: 'Dashboard' },
  { to: '/studio', label: 'Studio' },
  { to: '/library', label: 'Library' },
  { to: '/billing', label: 'Credits & billing' },
  { to: '/account', label: 'Account' },
];

export function Shell({ user, onSignOut, children, testId }: { user: User; onSignOut: () => Promise<void>; children: ReactNode; testId: string }) {
  const path = usePath();
  const [signingOut, setSigningOut] = useState(false);
  async function signOut() {
    setSigningOut(true);
    await onSignOut();
  }
  return (
    <div className="app-shell" data-testid={testId}>
      <header className="topbar">
        <div className="topbar-inner">
          <Brand />
          <nav className="topnav" aria-label="Main">
            {NAV.map((item) => (
              <Link key={item.to} to={item.to} className={`topnav-link${path === item.to ? ' active' : ''}`} aria-current={path === item.to ? 'page' : undefined}>
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="topbar-user">
            <span className="topbar-credits" data-testid="topbar-credits" title="Credits available">
              {user.credits.available} {user.credits.available === 1 ? 'credit' : 'credits'}
            </span>
            <span className="topbar-identity" title={user.email ?? user.phone ?? ''}>
              {user.email ?? user.phone}
            </span>
            <button type="button" className="button button-secondary" onClick={() => void signOut()} disabled={signingOut} data-testid="sign-out">
              {signingOut ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
        </div>
      </header>
      <main className="dashboard">{children}</main>
    </div>
  );
}
