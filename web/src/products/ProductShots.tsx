/**
 * Product shots: the catalog (search by name or SKU, filter by tag, add a product) and a product's
 * page (edit it, run the preset's shot types on it, see the shots arrive live). A shot is one
 * `POST /generations` per type with the product's id: the server takes the product's images as
 * the sources. Each click sends a fresh Idempotency-Key, so a retried request never holds twice.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate, useParams } from 'react-router';
import { api, ApiError, describeError, FINAL_STATUSES, type Generation } from '../api.ts';
import { RecentGenerations } from '../screens/RecentGenerations.tsx';
import { useSignedIn } from '../session.ts';
import { Alert, Link, Spinner, useDocumentTitle } from '../ui.tsx';
import { productKeys, productsApi, type Product } from './api.ts';
import { TypeChoices, useStudioTypes } from './parts.tsx';
import { ProductForm } from './ProductForm.tsx';

const productPath = (id: string) => `/products/${encodeURIComponent(id)}`;

/** `/products`: the catalog. */
export function ProductCatalog() {
  const { t } = useTranslation();
  useDocumentTitle(t('productShots.title'));
  const navigate = useNavigate();
  const client = useQueryClient();
  const [q, setQ] = useState('');
  const [tag, setTag] = useState('');
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: productKeys.products(q.trim(), tag),
    queryFn: () => productsApi.products({ ...(q.trim() ? { q: q.trim() } : {}), ...(tag ? { tag } : {}) }),
    select: (page) => page.data,
    placeholderData: (previous) => previous,
  });
  // Every tag of the products listed without a filter, for the tag filter.
  const all = useQuery({ queryKey: productKeys.products('', ''), queryFn: () => productsApi.products({}), select: (page) => page.data });
  const tags = [...new Set((all.data ?? []).flatMap((p) => p.tags))].sort();
  const products = list.data ?? null;

  return (
    <div className="product-shots">
      <section className="hero library-head">
        <div>
          <p className="eyebrow">{t('studios.product-shots')}</p>
          <h1>{t('productShots.heading')}</h1>
          <p className="muted">{t('productShots.intro')}</p>
        </div>
        {!creating && (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)} data-testid="new-product">
            {t('productShots.newProduct')}
          </button>
        )}
      </section>

      {creating && (
        <ProductForm
          save={productsApi.createProduct}
          onCancel={() => setCreating(false)}
          onSaved={(p) => {
            void client.invalidateQueries({ queryKey: ['products'] });
            client.setQueryData(productKeys.product(p.id), p);
            void navigate(productPath(p.id));
          }}
        />
      )}

      <form className="catalog-filters studio-form" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t('productShots.searchLabel')}>
        <div className="field">
          <label htmlFor="catalog-q">{t('productShots.search')}</label>
          <input id="catalog-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="catalog-tag">{t('productShots.tag')}</label>
          <select id="catalog-tag" value={tag} onChange={(e) => setTag(e.target.value)}>
            <option value="">{t('productShots.allTags')}</option>
            {tags.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </div>
      </form>

      {list.error && <Alert>{describeError(list.error, [], t('common.genericError')).message}</Alert>}
      {!products ? (
        !list.error && <Spinner label={t('productShots.loading')} />
      ) : products.length === 0 ? (
        <div className="card empty" data-testid="catalog-empty">
          <p>{q || tag ? t('productShots.noMatch') : t('productShots.empty')}</p>
        </div>
      ) : (
        <ul className="product-grid" data-testid="product-list">
          {products.map((p) => (
            <ProductCard key={p.id} product={p} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ProductCard({ product: p }: { product: Product }) {
  const { t } = useTranslation();
  const primary = p.images.find((i) => i.is_primary) ?? p.images[0];
  return (
    <li className="asset-tile product-card" data-testid="product-card">
      <RouterLink to={productPath(p.id)} className="asset-thumb">
        {primary ? <img src={primary.url} alt="" loading="lazy" /> : <span className="thumb-empty">{t('productShots.noImages')}</span>}
        <span className="visually-hidden">{p.name}</span>
      </RouterLink>
      <div className="asset-meta">
        <RouterLink to={productPath(p.id)} className="asset-name">
          <bdi>{p.name}</bdi>
        </RouterLink>
        {p.sku && (
          <span className="muted small">
            <bdi>{p.sku}</bdi>
          </span>
        )}
      </div>
      {p.tags.length > 0 && (
        <ul className="tag-list" aria-label={t('productShots.tags')}>
          {p.tags.map((x) => (
            <li key={x} className="badge badge-muted">
              <bdi>{x}</bdi>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** `/products/:productId`: edit the product, run shots on it, see them arrive. */
export function ProductPage() {
  const { t } = useTranslation();
  const { productId = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const product = useQuery({ queryKey: productKeys.product(productId), queryFn: () => productsApi.product(productId) });
  useDocumentTitle(product.data?.name ?? t('productShots.title'));
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  if (!product.data) {
    return (
      <div className="product-shots">
        <Link to="/products">{t('productShots.back')}</Link>
        {product.error ? (
          <Alert>{product.error instanceof ApiError && product.error.status === 404 ? t('productShots.notFound') : describeError(product.error, [], t('common.genericError')).message}</Alert>
        ) : (
          <Spinner label={t('productShots.loadingProduct')} />
        )}
      </div>
    );
  }
  const p = product.data;

  async function remove() {
    if (!window.confirm(t('productShots.confirmDelete', { name: p.name }))) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await productsApi.deleteProduct(p.id);
      void client.invalidateQueries({ queryKey: ['products'] });
      await navigate('/products');
    } catch (err) {
      setDeleteError(describeError(err, [], t('common.genericError')).message);
      setDeleting(false);
    }
  }

  return (
    <div className="product-shots">
      <Link to="/products">{t('productShots.back')}</Link>
      <section className="hero library-head">
        <div>
          <p className="eyebrow">{t('studios.product-shots')}</p>
          <h1 data-testid="product-name-heading">
            <bdi>{p.name}</bdi>
          </h1>
          {p.sku && (
            <p className="muted">
              {t('productShots.sku')}: <bdi>{p.sku}</bdi>
            </p>
          )}
        </div>
        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={() => setEditing((v) => !v)} aria-expanded={editing} data-testid="edit-product">
            {t('productShots.edit')}
          </button>
          <button type="button" className="button button-secondary" onClick={() => void remove()} disabled={deleting}>
            {deleting ? t('productShots.deleting') : t('productShots.delete')}
          </button>
        </div>
      </section>
      {deleteError && <Alert>{deleteError}</Alert>}

      {editing ? (
        <ProductForm
          key={p.updated_at}
          product={p}
          save={(body) => productsApi.updateProduct(p.id, body)}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            client.setQueryData(productKeys.product(saved.id), saved);
            void client.invalidateQueries({ queryKey: ['products'] });
            setEditing(false);
          }}
        />
      ) : (
        <ProductSummary product={p} />
      )}

      <ShotRunner product={p} />
    </div>
  );
}

function ProductSummary({ product: p }: { product: Product }) {
  const { t } = useTranslation();
  const fields = Object.entries(p.custom_fields);
  return (
    <section className="card" aria-labelledby="product-summary-title" data-testid="product-summary">
      <h2 id="product-summary-title">{t('productShots.details')}</h2>
      {p.description && <p>{p.description}</p>}
      {p.images.length > 0 ? (
        <ul className="output-grid">
          {p.images.map((img) => (
            <li key={img.asset_id}>
              <span className="asset-thumb">
                <img src={img.url} alt={img.is_primary ? t('productShots.primaryImage', { name: img.filename }) : img.filename} loading="lazy" />
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <Alert kind="info">{t('productShots.addImagesFirst')}</Alert>
      )}
      {p.tags.length > 0 && (
        <ul className="tag-list" aria-label={t('productShots.tags')}>
          {p.tags.map((x) => (
            <li key={x} className="badge">
              <bdi>{x}</bdi>
            </li>
          ))}
        </ul>
      )}
      {fields.length > 0 && (
        <dl className="details" data-testid="custom-fields">
          {fields.map(([k, v]) => (
            <div key={k}>
              <dt>
                <bdi>{k}</bdi>
              </dt>
              <dd>
                <bdi>{typeof v === 'string' ? v : JSON.stringify(v)}</bdi>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** The preset's shot types as checkboxes, an optional scene, the price, and the product's shots. */
function ShotRunner({ product }: { product: Product }) {
  const { t } = useTranslation();
  const { user, reload } = useSignedIn();
  const client = useQueryClient();
  const types = useStudioTypes('product-shots');
  const scenes = useQuery({ queryKey: productKeys.scenes, queryFn: productsApi.scenes, select: (page) => page.data });
  const shots = useQuery({ queryKey: productKeys.productGenerations(product.id), queryFn: () => productsApi.productGenerations(product.id), select: (page) => page.data });
  const [chosen, setChosen] = useState<string[]>([]);
  const [scene, setScene] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [short, setShort] = useState(false);

  const list = types.data ?? [];
  const picked = list.filter((x) => chosen.includes(x.type) && x.providers.length > 0);
  const cost = picked.reduce((sum, x) => sum + x.credits_per_output, 0);
  const balance = user.credits.available;
  const setShots = (change: (gs: Generation[]) => Generation[]) =>
    client.setQueryData(productKeys.productGenerations(product.id), (page: Awaited<ReturnType<typeof productsApi.productGenerations>> | undefined) => page && { ...page, data: change(page.data) });

  async function run(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy || picked.length === 0) return;
    setBusy(true);
    setError(null);
    setShort(false);
    try {
      for (const type of picked) {
        const g = await api.generate({ type: type.type, product_id: product.id, ...(scene ? { params: { scene_type: scene } } : {}) });
        setShots((gs) => [g, ...gs.filter((x) => x.id !== g.id)]);
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 402) setShort(true);
      else setError(describeError(err, [], t('common.genericError')).message);
    } finally {
      setBusy(false);
      await reload();
    }
  }

  return (
    <div className="studio-layout">
      <form className="card studio-form" onSubmit={(e) => void run(e)} noValidate aria-labelledby="shots-title" data-testid="shot-form">
        <h2 id="shots-title">{t('productShots.runShots')}</h2>
        <TypeChoices
          types={types}
          legend={t('productShots.shotTypes')}
          input="checkbox"
          selected={chosen}
          onPick={(x) => setChosen((c) => (c.includes(x.type) ? c.filter((n) => n !== x.type) : [...c, x.type]))}
          testIdPrefix="shot"
        />
        {scenes.data && scenes.data.length > 0 && (
          <div className="field">
            <label htmlFor="shot-scene">{t('common.optional', { label: t('productShots.scene') })}</label>
            <select id="shot-scene" value={scene} onChange={(e) => setScene(e.target.value)}>
              <option value="">{t('productShots.anyScene')}</option>
              {scenes.data.map((s) => (
                <option key={s.id} value={s.key}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {product.images.length === 0 && <Alert kind="info">{t('productShots.addImagesFirst')}</Alert>}
        <p className={`studio-cost${cost > balance ? ' over' : ''}`} aria-live="polite" data-testid="shot-cost">
          {picked.length === 0 ? t('productShots.pickTypes') : t('studio.cost', { count: cost, balance })}
        </p>
        {short && (
          <Alert testId="shots-insufficient">
            {t('productShots.notEnough')} <Link to="/billing">{t('studio.buyInBilling')}</Link>.
          </Alert>
        )}
        {error && <Alert testId="shots-error">{error}</Alert>}
        <button type="submit" className="button button-primary" disabled={busy || picked.length === 0 || product.images.length === 0} data-testid="run-shots">
          {busy ? t('studio.starting') : t('productShots.run', { count: picked.length })}
        </button>
      </form>
      <RecentGenerations
        generations={shots.data ?? (shots.error ? [] : null)}
        error={shots.error ? describeError(shots.error, [], t('common.genericError')).message : null}
        onUpdate={(g) => {
          setShots((gs) => gs.map((x) => (x.id === g.id ? g : x)));
          if (FINAL_STATUSES.has(g.status)) void reload();
        }}
      />
    </div>
  );
}
