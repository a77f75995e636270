/**
 * A vendor's public page, open to anyone without signing in (`GET /public/vendors/{slug}` and its
 * public albums, each album's images from `GET /public/collections/{id}`). Each image offers "Use
 * this look": the style conversion with that image as its reference (sign-in first when needed).
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useParams } from 'react-router';
import { ApiError, describeError } from '../../api.ts';
import { hasSessionHint } from '../../api/client.ts';
import { useConfig } from '../../queries.ts';
import { Brand, LanguageSwitcher, Link, Spinner, useDocumentTitle, Alert } from '../../ui.tsx';
import { flowsApi } from '../flows-api.ts';

export function PublicVendor() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const config = useConfig();
  const vendor = useQuery({ queryKey: ['public-vendor', slug], queryFn: () => flowsApi.publicVendor(slug) });
  const albums = useQuery({ queryKey: ['public-albums', slug], queryFn: () => flowsApi.publicAlbums(slug), enabled: vendor.isSuccess });
  const list = albums.data?.data ?? [];
  const contents = useQueries({ queries: list.map((a) => ({ queryKey: ['public-album', a.id], queryFn: () => flowsApi.publicAlbum(a.id) })) });
  useDocumentTitle(vendor.data?.business_name ?? t('vendor.publicTitle'));
  const converts = config.studios.includes('style-studio');
  const signedIn = hasSessionHint();
  const contact = (vendor.data?.contact_info ?? {}) as { email?: string; website?: string; phone?: string };

  let body;
  if (vendor.isPending) body = <Spinner label={t('common.loading')} />;
  else if (vendor.error) {
    body = <Alert testId="vendor-missing">{vendor.error instanceof ApiError && vendor.error.status === 404 ? t('vendor.notFound') : describeError(vendor.error, [], t('common.genericError')).message}</Alert>;
  } else {
    const v = vendor.data;
    body = (
      <>
        <section className="hero">
          <div>
            <p className="eyebrow">{v.is_verified ? t('vendor.verifiedBadge') : t('vendor.publicTitle')}</p>
            <h1 data-testid="vendor-name">{v.business_name}</h1>
            {v.bio && <p className="muted">{v.bio}</p>}
            <p className="muted small">
              {[v.location, contact.email, contact.phone].filter(Boolean).map((x) => (
                <bdi key={x as string} className="vendor-contact">
                  {x as string}
                </bdi>
              ))}
              {contact.website && (
                <a href={contact.website} rel="noreferrer nofollow" target="_blank" className="vendor-contact">
                  {t('vendor.website')}
                </a>
              )}
            </p>
          </div>
        </section>
        {albums.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : albums.error ? (
          <Alert>{describeError(albums.error, [], t('common.genericError')).message}</Alert>
        ) : list.length === 0 ? (
          <p className="muted" data-testid="public-albums-empty">
            {t('vendor.noPublicAlbums')}
          </p>
        ) : (
          list.map((a, i) => {
            const c = contents[i];
            return (
              <section key={a.id} className="card" aria-labelledby={`album-${a.id}`} data-testid="public-album">
                <h2 id={`album-${a.id}`}>
                  {a.name} <span className="muted small">{t('vendor.images', { count: a.item_count })}</span>
                </h2>
                {a.description && <p className="muted">{a.description}</p>}
                {!c || c.isPending ? (
                  <Spinner label={t('common.loading')} />
                ) : c.error ? (
                  <Alert>{describeError(c.error, [], t('common.genericError')).message}</Alert>
                ) : c.data.items.length === 0 ? (
                  <p className="muted small">{t('vendor.albumEmpty')}</p>
                ) : (
                  <ul className="result-grid" aria-label={a.name}>
                    {c.data.items.map((x, n) => (
                      <li key={x.id} className="asset-tile">
                        <img className="asset-thumb" src={x.thumbnail_url ?? x.url} alt={t('vendor.imageAlt', { album: a.name, n: n + 1 })} loading="lazy" />
                        {converts && (
                          <RouterLink
                            className="button button-secondary button-small"
                            to={`/convert?${new URLSearchParams({ reference: x.id, preview: x.thumbnail_url ?? x.url }).toString()}`}
                            data-testid="use-look"
                          >
                            {t('vendor.useLook')} <span className="visually-hidden">{t('vendor.imageAlt', { album: a.name, n: n + 1 })}</span>
                          </RouterLink>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })
        )}
      </>
    );
  }

  return (
    <div className="app-shell">
      <header className="topbar">
        <div className="topbar-inner public-topbar">
          <Brand />
          <span className="public-tools">
            <LanguageSwitcher />
            {signedIn ? <Link to="/dashboard">{t('nav.dashboard')}</Link> : <Link to="/signin">{t('signin.title')}</Link>}
          </span>
        </div>
      </header>
      <main className="dashboard" id="main" data-testid="public-vendor">
        {body}
      </main>
    </div>
  );
}
