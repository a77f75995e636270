/**
 * The library: upload images (several at once, or dropped on the page), see them as a grid of
 * thumbnails, mark favourites, open, download or delete them.
 */
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { api, describeError, type Asset } from '../api.ts';
import { Alert, Spinner, useDocumentTitle } from '../ui.tsx';

type Filter = 'all' | 'favorites';

/** The API's own links count a download with `download=1`; a bucket's presigned link must not be changed. */
const downloadUrl = (url: string) => (url.includes('/api/v1/assets/') ? `${url}${url.includes('?') ? '&' : '?'}download=1` : url);

const sizeText = (bytes: number) => (bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

export function Library() {
  useDocumentTitle('Library');
  const [assets, setAssets] = useState<Asset[] | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [uploading, setUploading] = useState<string[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setAssets((await api.assets(filter === 'favorites')).data);
    } catch (err) {
      setErrors([describeError(err, []).message]);
    }
  }, [filter]);

  useEffect(() => {
    void load();
  }, [load]);

  async function uploadFiles(files: File[]) {
    if (files.length === 0) return;
    setErrors([]);
    setUploading(files.map((f) => f.name));
    const failed: string[] = [];
    // One at a time: the server checks and re-encodes each image, and the order stays the user's.
    for (const file of files) {
      try {
        const asset = await api.upload(file);
        setAssets((list) => [asset, ...(list ?? [])]);
      } catch (err) {
        failed.push(`${file.name}: ${describeError(err, []).message}`);
      }
      setUploading((names) => names.filter((n) => n !== file.name));
    }
    setErrors(failed);
    if (input.current) input.current.value = '';
  }

  async function toggleFavorite(asset: Asset) {
    try {
      const updated = await api.updateAsset(asset.id, { is_favorite: !asset.is_favorite });
      setAssets((list) => (list ?? []).map((a) => (a.id === asset.id ? updated : a)).filter((a) => filter === 'all' || a.is_favorite));
    } catch (err) {
      setErrors([describeError(err, []).message]);
    }
  }

  async function remove(asset: Asset) {
    if (!window.confirm(`Delete ${asset.filename}? This cannot be undone.`)) return;
    try {
      await api.deleteAsset(asset.id);
      setAssets((list) => (list ?? []).filter((a) => a.id !== asset.id));
    } catch (err) {
      setErrors([describeError(err, []).message]);
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
          <p className="eyebrow">Library</p>
          <h1>Your images</h1>
          <p className="muted">JPEG, PNG, WebP, AVIF, GIF or TIFF. Location data is removed from every upload.</p>
        </div>
        <div className="library-actions">
          <label className="button button-primary">
            Upload images
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

      <div className="segmented" role="radiogroup" aria-label="Show">
        {(['all', 'favorites'] as const).map((f) => (
          <button key={f} type="button" role="radio" aria-checked={filter === f} className={filter === f ? 'active' : ''} onClick={() => setFilter(f)}>
            {f === 'all' ? 'All' : 'Favourites'}
          </button>
        ))}
      </div>

      {uploading.length > 0 && <Alert kind="info">Uploading {uploading.join(', ')}…</Alert>}
      {errors.length > 0 && (
        <Alert testId="library-error">
          {errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </Alert>
      )}

      {!assets ? (
        <Spinner label="Loading your images…" />
      ) : assets.length === 0 ? (
        <div className="card empty" data-testid="library-empty">
          <p>{filter === 'favorites' ? 'No favourites yet.' : 'No images yet. Upload one, or drop files anywhere on this page.'}</p>
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
                  {a.filename}
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
                  aria-label={a.is_favorite ? 'Remove from favourites' : 'Add to favourites'}
                  onClick={() => void toggleFavorite(a)}
                >
                  {a.is_favorite ? '★' : '☆'}
                </button>
                <a className="icon-button" href={downloadUrl(a.url)} aria-label="Download" download>
                  ⤓
                </a>
                <button type="button" className="icon-button" aria-label={`Delete ${a.filename}`} onClick={() => void remove(a)}>
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
