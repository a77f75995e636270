/**
 * The route table (React Router's data router, decision 081). Every screen is its own chunk, loaded
 * when its route is first opened (`lazy`), so the entry holds only the frame: the root (config,
 * language, session expiry), the signed-in layout and the shell.
 */
import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { adminRoute } from './admin/routes.ts';
import { hasSessionHint } from './api.ts';
import { keys, queryClient } from './queries.ts';
import { Root, RootError } from './screens/Root.tsx';
import { SignedInLayout } from './screens/SignedIn.tsx';
import { FullPageSpinner } from './ui.tsx';

const screen = (load: () => Promise<ComponentType>): Pick<RouteObject, 'lazy'> => ({ lazy: async () => ({ Component: await load() }) });

/** `/` and unknown paths: the dashboard when a session may exist, else sign-in. */
function Home() {
  const maybeSignedIn = Boolean(queryClient.getQueryData(keys.me)) || hasSessionHint();
  return <Navigate to={maybeSignedIn ? '/dashboard' : '/signin'} replace />;
}

export const routes: RouteObject[] = [
  {
    path: '/',
    Component: Root,
    ErrorBoundary: RootError,
    HydrateFallback: FullPageSpinner,
    children: [
      { index: true, Component: Home },
      { path: 'signin', ...screen(() => import('./screens/SignIn.tsx').then((m) => m.SignIn)) },
      { path: 'signup', ...screen(() => import('./screens/SignUp.tsx').then((m) => m.SignUp)) },
      {
        Component: SignedInLayout,
        children: [
          adminRoute,
          { path: 'dashboard', ...screen(() => import('./screens/Dashboard.tsx').then((m) => m.Dashboard)) },
          { path: 'studio', ...screen(() => import('./screens/Studio.tsx').then((m) => m.Studio)) },
          { path: 'library', ...screen(() => import('./screens/Library.tsx').then((m) => m.Library)) },
          { path: 'library/generations/:id', ...screen(() => import('./screens/GenerationDetail.tsx').then((m) => m.GenerationDetail)) },
          { path: 'billing', ...screen(() => import('./screens/Billing.tsx').then((m) => m.Billing)) },
          { path: 'account', ...screen(() => import('./screens/Account.tsx').then((m) => m.Account)) },
          { path: 'products', ...screen(() => import('./products/ProductShots.tsx').then((m) => m.ProductCatalog)) },
          { path: 'products/:productId', ...screen(() => import('./products/ProductShots.tsx').then((m) => m.ProductPage)) },
          { path: 'print-prep', ...screen(() => import('./products/PrintPrep.tsx').then((m) => m.PrintPrep)) },
          { path: 'ad-creatives', ...screen(() => import('./products/AdCreatives.tsx').then((m) => m.AdCreatives)) },
          { path: 'headshots', ...screen(() => import('./products/headshots/Headshots.tsx').then((m) => m.Headshots)) },
          { path: 'headshots/:id', ...screen(() => import('./products/headshots/Subject.tsx').then((m) => m.Subject)) },
          { path: 'convert', ...screen(() => import('./products/style-studio/Convert.tsx').then((m) => m.Convert)) },
          { path: 'vendor', ...screen(() => import('./products/vendor/VendorStudio.tsx').then((m) => m.VendorStudio)) },
        ],
      },
      { path: 'vendors/:slug', ...screen(() => import('./products/vendor/PublicVendor.tsx').then((m) => m.PublicVendor)) },
      { path: '*', Component: Home },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
