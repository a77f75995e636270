import { useCallback, useEffect, useState } from 'react';
import { api, hasSessionHint, setSessionExpiredHandler, type User } from './api.ts';
import { isRoute, navigate, usePath } from './router.ts';
import { SignedIn } from './screens/SignedIn.tsx';
import { SignIn } from './screens/SignIn.tsx';
import { SignUp } from './screens/SignUp.tsx';
import { Spinner } from './ui.tsx';

export function App() {
  const path = usePath();
  const [user, setUser] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // When a 401 cannot be fixed by a refresh, the session is gone: back to sign-in.
  useEffect(() => {
    setSessionExpiredHandler(() => {
      setUser(null);
      setNotice('Please sign in to continue.');
      navigate('/signin', { replace: true });
    });
    return () => setSessionExpiredHandler(null);
  }, []);

  // `/` and unknown paths pick a screen: the dashboard when a session may exist, else sign-in.
  // Signed-in users who open the sign-in or sign-up screen go to the dashboard.
  useEffect(() => {
    if (path === '/' || !isRoute(path)) {
      navigate(user || hasSessionHint() ? '/dashboard' : '/signin', { replace: true });
    } else if (user && (path === '/signin' || path === '/signup')) {
      navigate('/dashboard', { replace: true });
    }
  }, [path, user]);

  const signedIn = useCallback((u: User) => {
    setUser(u);
    setNotice(null);
    navigate('/dashboard');
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // The server clears what it can; locally we sign out regardless.
    }
    setUser(null);
    setNotice('You have signed out.');
    navigate('/signin');
  }, []);

  // After DELETE /me the sessions are gone already; only the local state is left to clear.
  const erased = useCallback(async () => {
    setUser(null);
    setNotice('Your account has been deleted. Thank you for using Atelier.');
    navigate('/signin');
  }, []);

  switch (path) {
    case '/signin':
      return <SignIn onSignedIn={signedIn} notice={notice} />;
    case '/signup':
      return <SignUp onSignedIn={signedIn} />;
    case '/dashboard':
    case '/studio':
    case '/library':
    case '/billing':
    case '/account':
      return <SignedIn path={path} user={user} onUser={setUser} onSignOut={signOut} onErased={erased} />;
    default:
      return (
        <div className="center-page">
          <Spinner label="Loading…" />
        </div>
      );
  }
}
