/** A tiny path router: real paths with history.pushState, so reloads and the back button work. */
import { useEffect, useState } from 'react';

export type Route = '/' | '/signin' | '/signup' | '/dashboard' | '/studio' | '/library' | '/billing' | '/account';
const ROUTES: readonly Route[] = ['/', '/signin', '/signup', '/dashboard', '/studio', '/library', '/billing', '/account'];

/** Screens that need a signed-in user. */
export const SIGNED_IN_ROUTES: readonly Route[] = ['/dashboard', '/studio', '/library', '/billing', '/account'];

const ROUTE_CHANGE = 'atelier:navigate';

function normalize(pathname: string): string {
  const trimmed = pathname.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

export function currentPath(): string {
  return normalize(window.location.pathname);
}

export const isRoute = (path: string): path is Route => (ROUTES as readonly string[]).includes(path);

/** The current query string's value of `name` (e.g. `?payment=<id>` after a checkout). */
export function queryParam(name: string): string | null {
  return new URLSearchParams(window.location.search).get(name);
}

export function navigate(to: Route, opts: { replace?: boolean } = {}): void {
  if (currentPath() !== to || window.location.search) {
    if (opts.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
  }
  window.dispatchEvent(new Event(ROUTE_CHANGE));
  window.scrollTo(0, 0);
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('popstate', update);
    window.addEventListener(ROUTE_CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(ROUTE_CHANGE, update);
    };
  }, []);
  return path;
}
