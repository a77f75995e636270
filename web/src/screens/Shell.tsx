/**
 * The frame of every signed-in screen: the top bar with the product's name, the navigation, the
 * balance, the language switcher and sign-out. Below 820 px the navigation and the account's
 * controls fold into a menu behind one button (a disclosure: `aria-expanded` on the button, closed
 * again on every navigation and by Escape), so a 360 px phone sees every item without sideways
 * scrolling. An installation with one studio calls the Studio by that studio's name.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router';
import { api, type User } from '../api.ts';
import type { AppPath } from '../paths.ts';
import type { Language } from '../i18n/index.ts';
import { keys, useConfig } from '../queries.ts';
import { useSessionMoves } from '../session.ts';
import { Brand, LanguageSwitcher } from '../ui.tsx';

/** A product's own screens, shown when the installation offers its studio. */
const PRODUCT_SCREENS = [
  { studio: 'product-shots', to: '/products', label: 'productShots.nav' },
  { studio: 'print-prep', to: '/print-prep', label: 'printPrep.nav' },
  { studio: 'headshots', to: '/headshots', label: 'headshots.nav' },
  { studio: 'style-studio', to: '/convert', label: 'styleStudio.nav' },
  { studio: 'ad-creatives', to: '/ad-creatives', label: 'adCreatives.nav' },
] as const;

export function Shell({ user, children, testId }: { user: User; children: ReactNode; testId: string }) {
  const { t } = useTranslation();
  const config = useConfig();
  const moves = useSessionMoves();
  const { pathname } = useLocation();
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const menuId = useId();

  const queryClient = useQueryClient();
  /**
   * The account's language follows the switcher: the server picks its words by the preference
   * before Accept-Language (decision 104), so the two must agree. Then the server's words are read
   * again; a failed save leaves the screen in the chosen language all the same.
   */
  const keepLanguage = (lang: Language) => {
    if (user.locale === lang) return;
    void api
      .setLocale(lang)
      .then(() => Promise.all([queryClient.invalidateQueries({ queryKey: keys.me }), queryClient.invalidateQueries({ queryKey: ['generation-types'] })]))
      .catch(() => {});
  };

  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  async function signOut() {
    setSigningOut(true);
    try {
      await api.logout();
    } catch {
      // The server clears what it can; locally we sign out regardless.
    }
    await moves.signedOut('signedOut');
  }

  const onlyStudio = config.studios.length === 1 ? config.studios[0] : undefined;
  const nav: Array<{ to: AppPath; label: string }> = [
    { to: '/dashboard', label: t('nav.dashboard') },
    // Headshots need a prepared person, which the generic Studio cannot make: a headshots-only
    // installation shows its headshots screen in the Studio's place (decision 088).
    ...(onlyStudio === 'headshots' ? [] : [{ to: '/studio' as const, label: onlyStudio ? t(`studios.${onlyStudio}`) : t('nav.studio') }]),
    ...PRODUCT_SCREENS.filter((p) => config.studios.includes(p.studio)).map((p) => ({ to: p.to, label: t(p.label) })),
    ...(user.role === 'vendor' ? [{ to: '/vendor' as const, label: t('vendor.nav') }] : []),
    { to: '/library', label: t('nav.library') },
    { to: '/billing', label: t('nav.billing') },
    { to: '/account', label: t('nav.account') },
    ...(user.role === 'admin' ? [{ to: '/admin' as const, label: t('admin.nav') }] : []),
  ];
  const who = user.email ?? user.phone ?? '';

  return (
    <div className="app-shell" data-testid={testId}>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Brand />
          <button
            type="button"
            className="button button-secondary menu-button"
            aria-expanded={open}
            aria-controls={menuId}
            onClick={() => setOpen((v) => !v)}
            data-testid="menu-button"
          >
            <span aria-hidden="true" className="menu-icon" />
            {t('nav.menu')}
          </button>
          <div id={menuId} className={`topbar-menu${open ? ' open' : ''}`} data-testid="topbar-menu">
            <nav className="topnav" aria-label={t('nav.main')}>
              {nav.map((item) => (
                <NavLink key={item.to} to={item.to} className={({ isActive }) => `topnav-link${isActive ? ' active' : ''}`}>
                  {item.label}
                </NavLink>
              ))}
            </nav>
            <div className="topbar-user">
              <span className="topbar-credits" data-testid="topbar-credits" title={t('nav.creditsAvailable')}>
                {t('common.credits', { count: user.credits.available })}
              </span>
              <span className="topbar-identity" title={who}>
                <bdi>{who}</bdi>
              </span>
              <LanguageSwitcher onChosen={keepLanguage} />
              <button type="button" className="button button-secondary" onClick={() => void signOut()} disabled={signingOut} data-testid="sign-out">
                {signingOut ? t('nav.signingOut') : t('nav.signOut')}
              </button>
            </div>
          </div>
        </div>
      </header>
      <main className="dashboard" id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
