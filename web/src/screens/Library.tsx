/**
 * The library (the gallery): upload images (several at once, or dropped on the page), see them as a
 * grid of thumbnails, mark favourites, rate them, keep notes, open, download or delete them; gather
 * them into albums (collections); select several to download as one zip, add to an album or take out
 * of the one shown.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useRef, useState, type DragEvent } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, describeError, type Asset, type AssetPatch } from '../api.ts';
import { showServerError } from '../forms.ts';
import { ITEMS_PER_ADD, saveBlob, userApi, type Collection } from '../userApi.ts';
import { Alert, Field, Spinner, useDocumentTitle } from '../ui.tsx';
import { AssetTile } from './AssetTile.tsx';

/** What the grid shows: everything, the favourites, or one album (`album:<id>`). */
type View = 'all' | 'favorites' | `album:${string}`;
type AssetPages = InfiniteData<Awaited<ReturnType<typeof userApi.assetPage>>, string | null>;

const collectionsKey = ['collections'] as const;
/** Under `assets`, so every change to images reads these again; `gallery` keeps the paged shape apart. */
const assetsKey = (view: View) => ['assets', 'gallery', view] as const;
const filterOf = (view: View) => (view.startsWith('album:') ? { collection_id: view.slice(6) } : { favorite: view === 'favorites' });

export function Library() {
  const { t } = useTranslation();
  useDocumentTitle(t('library.title'));
  const client = useQueryClient();
  const [view, setView] = useState<View>('all');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [uploading, setUploading] = useState<string[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [target, setTarget] = useState('');
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const generic = t('common.genericError');
  // An avatar is the account's picture, not a gallery image.
  const listed = useInfiniteQuery({
    queryKey: assetsKey(view),
    queryFn: ({ pageParam }) => userApi.assetPage(filterOf(view), pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    select: (data) => data.pages.flatMap((page) => page.data).filter((a) => a.kind !== 'avatar'),
  });
  const albums = useQuery({ queryKey: collectionsKey, queryFn: userApi.collections, select: (page) => page.data });
  const assets = listed.data ?? null;
  const album = view.startsWith('album:') ? (albums.data?.find((c) => c.id === view.slice(6)) ?? null) : null;
  const loadError = listed.error ? describeError(listed.error, [], generic).message : null;
  const chosen = assets?.filter((a) => selected.has(a.id)) ?? [];
  const fail = (err: unknown) => setErrors([describeError(err, [], generic).message]);

  // The list after a change: this view's cached pages now (`first` is the newest page), every copy read again later.
  const setAssets = (change: (list: Asset[], first: boolean) => Asset[]) => {
    client.setQueryData<AssetPages>(assetsKey(view), (d) => d && { ...d, pages: d.pages.map((page, i) => ({ ...page, data: change(page.data, i === 0) })) });
    void client.invalidateQueries({ queryKey: ['assets'] });
  };
  const refreshAlbums = () => client.invalidateQueries({ queryKey: collectionsKey });
  const sizeText = (bytes: number) =>
    bytes >= 1_048_576 ? t('library.mb', { n: Math.round(bytes / 104_857.6) / 10 }) : t('library.kb', { n: Math.max(1, Math.round(bytes / 1024)) });

  function show(next: View) {
    setView(next);
    setSelected(new Set());
    setNotice(null);
    setErrors([]);
  }

  async function uploadFiles(files: File[]) {
    if (files.length === 0) return;
    setErrors([]);
    setUploading(files.map((f) => f.name));
    const failed: string[] = [];
    // One at a time: the server checks and re-encodes each image, and the order stays the user's.
    for (const file of files) {
      try {
        const asset = await api.upload(file);
        if (view === 'all') setAssets((list, first) => (first ? [asset, ...list] : list));
        else void client.invalidateQueries({ queryKey: ['assets'] });
      } catch (err) {
        failed.push(`${file.name}: ${describeError(err, [], generic).message}`);
      }
      setUploading((names) => names.filter((n) => n !== file.name));
    }
    setErrors(failed);
    if (input.current) input.current.value = '';
  }

  async function change(asset: Asset, patch: AssetPatch): Promise<boolean> {
    try {
      const updated = await api.updateAsset(asset.id, patch);
      setAssets((list) => list.map((a) => (a.id === asset.id ? updated : a)).filter((a) => view !== 'favorites' || a.is_favorite));
      return true;
    } catch (err) {
      fail(err);
      return false;
    }
  }

  async function remove(asset: Asset) {
    if (!window.confirm(t('library.confirmDelete', { name: asset.filename }))) return;
    try {
      await api.deleteAsset(asset.id);
      setAssets((list) => list.filter((a) => a.id !== asset.id));
      void refreshAlbums();
    } catch (err) {
      fail(err);
    }
  }

  /** Runs one bulk action with its busy state, its error and its closing notice. */
  async function bulk(name: string, run: () => Promise<string | null>) {
    setBusy(name);
    setErrors([]);
    setNotice(null);
    try {
      setNotice(await run());
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  }

  const downloadZip = (body: { asset_ids: string[] } | { collection_id: string }, name: string) =>
    bulk('zip', async () => {
      saveBlob(await userApi.zip(body), name);
      return t('gallery.zipReady');
    });

  const addToAlbum = () =>
    bulk('add', async () => {
      const into = albums.data?.find((c) => c.id === target);
      if (!into) return null;
      // One request per hundred images (the server's batch limit), each all or nothing.
      let added = 0;
      for (let i = 0; i < chosen.length; i += ITEMS_PER_ADD) {
        added += (await userApi.addManyToCollection(into.id, chosen.slice(i, i + ITEMS_PER_ADD).map((a) => a.id))).added_asset_ids.length;
      }
      setSelected(new Set());
      await Promise.all([refreshAlbums(), client.invalidateQueries({ queryKey: ['assets'] })]);
      return t('gallery.added', { count: added, album: into.name });
    });

  const removeFromAlbum = (from: Collection) =>
    bulk('remove', async () => {
      for (const a of chosen) await userApi.removeFromCollection(from.id, a.id);
      setAssets((list) => list.filter((a) => !selected.has(a.id)));
      setSelected(new Set());
      await refreshAlbums();
      return t('gallery.removed', { count: chosen.length, album: from.name });
    });

  const deleteAlbum = (doomed: Collection) =>
    bulk('delete-album', async () => {
      if (!window.confirm(t('gallery.confirmDeleteAlbum', { name: doomed.name }))) return null;
      await userApi.deleteCollection(doomed.id);
      client.setQueryData(collectionsKey, (page: Awaited<ReturnType<typeof userApi.collections>> | undefined) => page && { ...page, data: page.data.filter((c) => c.id !== doomed.id) });
      show('all');
      return t('gallery.albumDeleted', { name: doomed.name });
    });

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    void uploadFiles([...e.dataTransfer.files]);
  }

  const toggle = (asset: Asset, on: boolean) =>
    setSelected((old) => {
      const next = new Set(old);
      if (on) next.add(asset.id);
      else next.delete(asset.id);
      return next;
    });

  return (
    <div
      className={`library${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <section className="hero library-head">
        <div>
          <p className="eyebrow">{t('library.title')}</p>
          <h1>{t('library.heading')}</h1>
          <p className="muted">{t('library.formats')}</p>
        </div>
        <div className="library-actions">
          <label className="button button-primary">
            {t('library.upload')}
            <input
              ref={input}
              type="file"
              accept="image/*"
              multiple
              className="visually-hidden"
              data-testid="upload-input"
              onChange={(e) => void uploadFiles([...(e.target.files ?? [])])}
            />
          </label>
        </div>
      </section>

      <div className="segmented wrap" role="radiogroup" aria-label={t('library.show')} data-testid="gallery-views">
        {(['all', 'favorites'] as const).map((f) => (
          <button key={f} type="button" role="radio" aria-checked={view === f} className={view === f ? 'active' : ''} onClick={() => show(f)}>
            {f === 'all' ? t('library.all') : t('library.favourites')}
          </button>
        ))}
        {albums.data?.map((c) => (
          <button key={c.id} type="button" role="radio" aria-checked={view === `album:${c.id}`} className={view === `album:${c.id}` ? 'active' : ''} onClick={() => show(`album:${c.id}`)}>
            <bdi>{c.name}</bdi> ({t('gallery.count', { n: c.item_count })})
          </button>
        ))}
      </div>
      {albums.error && <Alert>{describeError(albums.error, [], generic).message}</Alert>}

      <NewAlbum
        onCreated={(c) => {
          void refreshAlbums();
          show(`album:${c.id}`);
        }}
      />

      {album && (
        <div className="album-bar" data-testid="album-bar">
          <h2>
            <bdi>{album.name}</bdi>
          </h2>
          <button type="button" className="button button-secondary" disabled={busy !== null || album.item_count === 0} onClick={() => void downloadZip({ collection_id: album.id }, `${album.name}.zip`)}>
            {t('gallery.downloadAlbum')}
          </button>
          <button type="button" className="button button-link" disabled={busy !== null} onClick={() => void deleteAlbum(album)}>
            {t('gallery.deleteAlbum')}
          </button>
        </div>
      )}

      {assets && assets.length > 0 && (
        <div className="bulk-bar" role="region" aria-label={t('gallery.bulk')} data-testid="bulk-bar">
          <span aria-live="polite" data-testid="selected-count">
            {t('gallery.selected', { n: chosen.length })}
          </span>
          <button type="button" className="button button-link" onClick={() => setSelected(new Set(chosen.length === assets.length ? [] : assets.map((a) => a.id)))}>
            {chosen.length === assets.length ? t('gallery.selectNone') : t('gallery.selectAll')}
          </button>
          <button type="button" className="button button-secondary" disabled={chosen.length === 0 || busy !== null} onClick={() => void downloadZip({ asset_ids: chosen.map((a) => a.id) }, 'images.zip')} data-testid="bulk-zip">
            {busy === 'zip' ? t('gallery.zipping') : t('gallery.downloadZip')}
          </button>
          {albums.data && albums.data.length > 0 && (
            <span className="inline-form">
              <label htmlFor="bulk-album" className="visually-hidden">
                {t('gallery.album')}
              </label>
              <select id="bulk-album" value={target} onChange={(e) => setTarget(e.target.value)} data-testid="bulk-album">
                <option value="">{t('gallery.chooseAlbum')}</option>
                {albums.data.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              <button type="button" className="button button-secondary" disabled={chosen.length === 0 || target === '' || busy !== null} onClick={() => void addToAlbum()} data-testid="bulk-add">
                {t('gallery.addToAlbum')}
              </button>
            </span>
          )}
          {album && (
            <button type="button" className="button button-secondary" disabled={chosen.length === 0 || busy !== null} onClick={() => void removeFromAlbum(album)} data-testid="bulk-remove">
              {t('gallery.removeFromAlbum')}
            </button>
          )}
        </div>
      )}

      {uploading.length > 0 && <Alert kind="info">{t('library.uploading', { names: uploading.join(', ') })}</Alert>}
      {notice && (
        <Alert kind="success" testId="gallery-notice">
          {notice}
        </Alert>
      )}
      {loadError && <Alert>{loadError}</Alert>}
      {errors.length > 0 && (
        <Alert testId="library-error">
          {errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </Alert>
      )}

      {!assets ? (
        !loadError && <Spinner label={t('library.loading')} />
      ) : assets.length === 0 ? (
        <div className="card empty" data-testid="library-empty">
          <p>{view === 'favorites' ? t('library.noFavourites') : album ? t('gallery.emptyAlbum') : t('library.empty')}</p>
        </div>
      ) : (
        <ul className="asset-grid" data-testid="asset-grid">
          {assets.map((a) => (
            <AssetTile
              key={a.id}
              asset={a}
              selected={selected.has(a.id)}
              onSelect={(on) => toggle(a, on)}
              onChange={(patch) => change(a, patch)}
              onDelete={() => void remove(a)}
              sizeText={sizeText(a.size_bytes)}
            />
          ))}
        </ul>
      )}
      {listed.hasNextPage && (
        <button type="button" className="button button-secondary" onClick={() => void listed.fetchNextPage()} disabled={listed.isFetchingNextPage} data-testid="load-more">
          {listed.isFetchingNextPage ? t('library.loading') : t('gallery.loadMore')}
        </button>
      )}
    </div>
  );
}

const albumSchema = z.object({ name: z.string().trim().min(1).max(100) });

/** A new album: a name, created at once and then shown. */
function NewAlbum({ onCreated }: { onCreated: (c: Collection) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ resolver: zodResolver(albumSchema), defaultValues: { name: '' } });
  const submit = form.handleSubmit(async ({ name }) => {
    setError(null);
    try {
      const created = await userApi.createCollection({ name });
      form.reset();
      setOpen(false);
      onCreated(created);
    } catch (err) {
      setError(showServerError(err, ['name'], form.setError, t('common.genericError')));
    }
  });
  if (!open) {
    return (
      <button type="button" className="button button-link" onClick={() => setOpen(true)} data-testid="new-album">
        {t('gallery.newAlbum')}
      </button>
    );
  }
  return (
    <form className="card inline-card" onSubmit={(e) => void submit(e)} noValidate aria-label={t('gallery.newAlbum')} data-testid="new-album-form">
      {error && <Alert>{error}</Alert>}
      <Field id="album-name" label={t('gallery.albumName')} autoComplete="off" error={form.formState.errors.name && t('gallery.albumNameRule')} {...form.register('name')} />
      <div className="verify-actions">
        <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting}>
          {t('gallery.create')}
        </button>
        <button type="button" className="button button-link" onClick={() => setOpen(false)}>
          {t('gallery.cancel')}
        </button>
      </div>
    </form>
  );
}
