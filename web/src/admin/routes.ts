/**
 * The admin console's routes, below the signed-in layout: the console's layout (its section
 * navigation and the role check) and each section are lazy chunks of their own, so neither the
 * console nor its charting library is part of what a first visit downloads.
 */
import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';

const lazy = (load: () => Promise<ComponentType>): Pick<RouteObject, 'lazy'> => ({ lazy: async () => ({ Component: await load() }) });

export const adminRoute: RouteObject = {
  path: 'admin',
  ...lazy(() => import('./AdminLayout.tsx').then((m) => m.AdminLayout)),
  children: [
    { index: true, ...lazy(() => import('./Users.tsx').then((m) => m.Users)) },
    { path: 'users', ...lazy(() => import('./Users.tsx').then((m) => m.Users)) },
    { path: 'users/:id', ...lazy(() => import('./UserDetail.tsx').then((m) => m.UserDetail)) },
    { path: 'payments', ...lazy(() => import('./Payments.tsx').then((m) => m.Payments)) },
    { path: 'catalogue/:kind?', ...lazy(() => import('./Catalogue.tsx').then((m) => m.Catalogue)) },
    { path: 'generations', ...lazy(() => import('./Generations.tsx').then((m) => m.Generations)) },
    { path: 'analytics', ...lazy(() => import('./Analytics.tsx').then((m) => m.Analytics)) },
    { path: 'emails', ...lazy(() => import('./Emails.tsx').then((m) => m.Emails)) },
    { path: 'audit', ...lazy(() => import('./Audit.tsx').then((m) => m.Audit)) },
    { path: 'system', ...lazy(() => import('./System.tsx').then((m) => m.System)) },
  ],
};
