/**
 * A vendor's own corner: the profile the public page shows (`PATCH /me/vendor-profile`, a form
 * checked with the same rules as the server's before it is sent), and the albums — public
 * collections — with the plan's gallery quota (distinct images across the vendor's albums, as the
 * server counts them) and images published into them; a `403 quota_exceeded` says the gallery is full.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { z } from 'zod';
import { api, ApiError, describeError, fieldName } from '../../api.ts';
import { useSignedIn } from '../../session.ts';
import { Alert, Field, Link, Spinner, useDocumentTitle, useFormat } from '../../ui.tsx';
import { userApi } from '../../userApi.ts';
import { flowsApi, type Album } from '../flows-api.ts';
import { uploadRefusal } from '../headshots/feedback.ts';

const albumsKey = ['albums'] as const;
const itemsKey = (id: string) => ['album-items', id] as const;

export function VendorStudio() {
  const { t } = useTranslation();
  useDocumentTitle(t('vendor.title'));
  const { user } = useSignedIn();
  if (user.role !== 'vendor' || !user.vendor_profile) {
    return (
      <Alert kind="info" testId="not-vendor">
        {t('vendor.notVendor')}
      </Alert>
    );
  }
  return (
    <div className="product-page" data-testid="vendor-page">
      <section className="hero">
        <div>
          <p className="eyebrow">{t('vendor.eyebrow')}</p>
          <h1>{user.vendor_profile.business_name}</h1>
          <p>
            <RouterLink to={`/vendors/${user.vendor_profile.slug}`} data-testid="public-page-link">
              {t('vendor.viewPublic')}
            </RouterLink>
          </p>
        </div>
      </section>
      <div className="grid">
        <ProfileForm />
        <Albums />
      </div>
    </div>
  );
}

const ZProfile = z.object({
  business_name: z.string().trim().min(1).max(200),
  slug: z
    .string()
    .trim()
    .min(3)
    .max(60)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  bio: z.string().max(2000),
  location: z.string().max(200),
  email: z.union([z.literal(''), z.email()]),
  website: z.union([z.literal(''), z.url()]),
});
type Profile = z.infer<typeof ZProfile>;
const PROFILE_FIELDS = ['business_name', 'slug', 'bio', 'location', 'email', 'website'] as const;

function ProfileForm() {
  const { t } = useTranslation();
  const { user, reload } = useSignedIn();
  const p = user.vendor_profile!;
  const contact = p.contact_info as { email?: string; website?: string };
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState, setError: setFieldError } = useForm<Profile>({
    resolver: zodResolver(ZProfile),
    defaultValues: { business_name: p.business_name, slug: p.slug, bio: p.bio ?? '', location: p.location ?? '', email: contact.email ?? '', website: contact.website ?? '' },
  });
  const fieldError = (name: (typeof PROFILE_FIELDS)[number]) => (formState.errors[name] ? (formState.errors[name].type === 'custom' ? formState.errors[name].message : t(`vendor.invalid.${name}`)) : undefined);

  const submit = handleSubmit(async (v) => {
    setSaved(false);
    setError(null);
    try {
      await flowsApi.updateVendorProfile({
        business_name: v.business_name,
        slug: v.slug,
        bio: v.bio || null,
        location: v.location || null,
        contact_info: { ...(v.email ? { email: v.email } : {}), ...(v.website ? { website: v.website } : {}) },
      });
      await reload();
      setSaved(true);
    } catch (err) {
      const d = describeError(err, [...PROFILE_FIELDS, 'contact_info.email', 'contact_info.website'], t('common.genericError'));
      let placed = false;
      for (const [path, message] of Object.entries(d.fields)) {
        const name = fieldName(path).replace('contact_info.', '') as (typeof PROFILE_FIELDS)[number];
        setFieldError(name, { type: 'custom', message });
        placed = true;
      }
      if (!placed || d.other.length > 0) setError(err instanceof ApiError && err.status === 409 ? t('vendor.slugTaken') : d.message);
    }
  });

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="profile-title" data-testid="vendor-profile">
      <h2 id="profile-title">{t('vendor.profile')}</h2>
      <p className="muted small">{p.is_verified ? t('vendor.verified') : t('vendor.unverified')}</p>
      <Field id="vendor-business" label={t('vendor.businessName')} {...register('business_name')} error={fieldError('business_name')} />
      <Field id="vendor-slug" label={t('vendor.slug')} dir="ltr" hint={t('vendor.slugHint')} {...register('slug')} error={fieldError('slug')} />
      <div className={`field${formState.errors.bio ? ' has-error' : ''}`}>
        <label htmlFor="vendor-bio">{t('vendor.bio')}</label>
        <textarea id="vendor-bio" rows={3} {...register('bio')} />
      </div>
      <Field id="vendor-location" label={t('vendor.location')} {...register('location')} error={fieldError('location')} />
      <Field id="vendor-email" label={t('vendor.contactEmail')} type="email" dir="ltr" {...register('email')} error={fieldError('email')} />
      <Field id="vendor-website" label={t('vendor.website')} type="url" dir="ltr" placeholder="https://" {...register('website')} error={fieldError('website')} />
      {saved && (
        <Alert kind="success" testId="profile-saved">
          {t('vendor.saved')}
        </Alert>
      )}
      {error && <Alert testId="form-error">{error}</Alert>}
      <button type="submit" className="button button-primary" disabled={formState.isSubmitting} data-testid="profile-save">
        {formState.isSubmitting ? t('vendor.saving') : t('vendor.save')}
      </button>
    </form>
  );
}

function Albums() {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  const format = useFormat();
  const queryClient = useQueryClient();
  const albums = useQuery({ queryKey: albumsKey, queryFn: userApi.collections });
  const list = albums.data?.data ?? [];
  const items = useQueries({ queries: list.map((a) => ({ queryKey: itemsKey(a.id), queryFn: () => userApi.collectionAssets(a.id) })) });
  const distinct = new Set(items.flatMap((q) => q.data?.data.map((x) => x.id) ?? [])).size;
  const limit = user.plan?.gallery_limit ?? null;
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setError(t('vendor.albumNameRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await userApi.createCollection({ name: name.trim(), is_public: true });
      setName('');
      await queryClient.invalidateQueries({ queryKey: albumsKey });
    } catch (err) {
      setError(describeError(err, [], t('common.genericError')).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="albums-title" data-testid="vendor-albums">
      <h2 id="albums-title">{t('vendor.albums')}</h2>
      <p className="quota-line" data-testid="gallery-quota">
        {limit === null ? t('vendor.galleryUnlimited', { count: distinct }) : t('vendor.galleryQuota', { used: distinct, limit })}
      </p>
      {limit !== null && <progress className="quota-bar" max={limit} value={Math.min(distinct, limit)} aria-label={t('vendor.galleryQuota', { used: distinct, limit })} />}
      <form className="inline-form" onSubmit={(e) => void create(e)} noValidate>
        <Field id="album-name" label={t('vendor.newAlbum')} value={name} onChange={(e) => setName(e.target.value)} error={error ?? undefined} />
        <button type="submit" className="button button-secondary" disabled={busy} data-testid="album-create">
          {busy ? t('vendor.creating') : t('vendor.createAlbum')}
        </button>
      </form>
      {albums.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : albums.error ? (
        <Alert>{describeError(albums.error, [], t('common.genericError')).message}</Alert>
      ) : list.length === 0 ? (
        <p className="muted" data-testid="albums-empty">
          {t('vendor.noAlbums')}
        </p>
      ) : (
        list.map((a, i) => <AlbumCard key={a.id} album={a} items={items[i]?.data?.data ?? null} date={format.date(a.created_at)} />)
      )}
    </section>
  );
}

function AlbumCard({ album, items, date }: { album: Album; items: Array<{ id: string; thumbnail_url: string | null; url: string; filename: string }> | null; date: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function publish(files: FileList | null) {
    const file = files?.[0];
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const asset = await api.upload(file);
      try {
        await userApi.addToCollection(album.id, asset.id);
      } catch (err) {
        // The upload is of no use outside the album: it goes again, as the refusal leaves things.
        await api.deleteAsset(asset.id).catch(() => {});
        throw err;
      }
      await queryClient.invalidateQueries({ queryKey: itemsKey(album.id) });
      await queryClient.invalidateQueries({ queryKey: albumsKey });
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'quota_exceeded' ? t('vendor.galleryFull') : err instanceof ApiError && err.status !== 400 ? uploadRefusal(err, t) : describeError(err, [], t('common.genericError')).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="album" data-testid="album">
      <h3>
        {album.name} <span className="muted small">{t('vendor.albumMeta', { count: album.item_count, date })}</span>
      </h3>
      {items === null ? (
        <Spinner label={t('common.loading')} />
      ) : items.length === 0 ? (
        <p className="muted small">{t('vendor.albumEmpty')}</p>
      ) : (
        <ul className="result-grid small-grid" aria-label={album.name}>
          {items.map((x) => (
            <li key={x.id} className="asset-tile">
              <img className="asset-thumb" src={x.thumbnail_url ?? x.url} alt={x.filename} />
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={inputId}>{t('vendor.publishImage')}</label>
        <input id={inputId} type="file" accept="image/*" disabled={busy} onChange={(e) => void publish(e.target.files)} data-testid="album-publish" />
        {busy && <Spinner label={t('vendor.publishing')} />}
        {error && (
          <p className="field-error" role="alert" data-testid="album-error">
            {error} {error === t('vendor.galleryFull') && <Link to="/billing">{t('vendor.upgrade')}</Link>}
          </p>
        )}
      </div>
    </article>
  );
}
