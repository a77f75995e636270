/**
 * The library: upload images (several at once, or dropped on the page), see them as a grid of
 * thumbnails, mark favourites, open, download or delete them.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError, type Asset } from '../api.ts';
import { keys } from '../queries.ts';
import { Alert, Spinner, useDocumentTitle } from '../ui.tsx';

type Filter = 'all' | 'favorites';

/** The API's own links count a download with `download=1`; a bucket's presigned link must not be changed. */
const downloadUrl = (url: string) => (url.includes('/api/v1/assets/') ? `${url}${url.includes('?') ? '&' : '?'}download=1` : url);


export function Library() {
  const { t } = useTranslation();
  useDocumentTitle(t('library.title'));
  const client = useQueryClient();
  const [filter, setFilter] = useState<Filter>('all');
  const [uploading, setUploading] = useState<string[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const generic = t('common.genericError');
  const favorite = filter === 'favorites';
  const listed = useQuery({ queryKey: keys.assets(favorite), queryFn: () => api.assets(favorite), select: (page) => page.data });
  const assets = listed.data ?? null;
  const loadError = listed.error ? describeError(listed.error, [], generic).message : null;

  // The list after a change: this filter's cached copy now, every copy read again later.
  const setAssets = (change: (list: Asset[]) => Asset[]) => {
    client.setQueryData(keys.assets(favorite), (page: Awaited<ReturnType<typeof api.assets>> | undefined) => page && { ...page, data: change(page.data) });
    void client.invalidateQueries({ queryKey: ['assets'] });
  };
  const sizeText = (bytes: number) =>
    bytes >= 1_048_576 ? t('library.mb', { n: Math.round(bytes / 104_857.6) / 10 }) : t('library.kb', { n: Math.max(1, Math.round(bytes / 1024)) });

  async function uploadFiles(files: File[]) {
    if (files.length === 0) return;
    setErrors([]);
    setUploading(files.map((f) => f.name));
    const failed: string[] = [];
    // One at a time: the server checks and re-encodes each image, and the order stays the user's.
    for (const file of files) {
      try {
        const asset = await api.upload(file);
        setAssets((list) => [asset, ...list]);
      } catch (err) {
        failed.push(`${file.name}: ${describeError(err, [], generic).message}`);
      }
      setUploading((names) => names.filter((n) => n !== file.name));
    }
    setErrors(failed);
    if (input.current) input.current.value = '';
  }

  async function toggleFavorite(asset: Asset) {
    try {
      const updated = await api.updateAsset(asset.id, { is_favorite: !asset.is_favorite });
      setAssets((list) => list.map((a) => (a.id === asset.id ? updated : a)).filter((a) => filter === 'all' || a.is_favorite));
    } catch (err) {
      setErrors([describeError(err, [], generic).message]);
    }
  }

  async function remove(asset: Asset) {
    if (!window.confirm(t('library.confirmDelete', { name: asset.filename }))) return;
    try {
      await api.deleteAsset(asset.id);
      setAssets((list) => list.filter((a) => a.id !== asset.id));
    } catch (err) {
      setErrors([describeError(err, [], generic).message]);
    }
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    void uploadFiles([...e.dataTransfer.files]);
  }

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

      <div className="segmented" role="radiogroup" aria-label={t('library.show')}>
        {(['all', 'favorites'] as const).map((f) => (
          <button key={f} type="button" role="radio" aria-checked={filter === f} className={filter === f ? 'active' : ''} onClick={() => setFilter(f)}>
            {f === 'all' ? t('library.all') : t('library.favourites')}
          </button>
        ))}
      </div>

      {uploading.length > 0 && <Alert kind="info">{t('library.uploading', { names: uploading.join(', ') })}</Alert>}
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
          <p>{filter === 'favorites' ? t('library.noFavourites') : t('library.empty')}</p>
        </div>
      ) : (
        <ul className="asset-grid" data-testid="asset-grid">
          {assets.map((a) => (
            <li key={a.id} className="asset-tile" data-testid="asset-tile">
              <a href={a.url} target="_blank" rel="noreferrer" className="asset-thumb">
                <img src={a.thumbnail_url ?? a.url} alt={a.filename} loading="lazy" />
              </a>
              <div className="asset-meta">
                <span className="asset-name" title={a.filename}>
                  <bdi>{a.filename}</bdi>
                </span>
                <span className="muted small">
                  {a.width && a.height ? `${a.width}×${a.height} · ` : ''}
                  {sizeText(a.size_bytes)}
                </span>
              </div>
              <div className="asset-buttons">
                <button
                  type="button"
                  className={`icon-button${a.is_favorite ? ' on' : ''}`}
                  aria-pressed={a.is_favorite}
                  aria-label={a.is_favorite ? t('library.removeFavourite') : t('library.addFavourite')}
                  onClick={() => void toggleFavorite(a)}
                >
                  {a.is_favorite ? '★' : '☆'}
                </button>
                <a className="icon-button" href={downloadUrl(a.url)} aria-label={t('library.download')} download>
                  ⤓
                </a>
                <button type="button" className="icon-button" aria-label={t('library.delete', { name: a.filename })} onClick={() => void remove(a)}>
                  ✕
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
