/**
 * One image of the gallery: a box to select it for bulk actions, favourite, a rating of one to five
 * stars, notes, download and delete. Every change is sent at once; the tile shows the server's answer.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Asset, AssetPatch } from '../api.ts';
import { NotesForm, Stars } from './Marks.tsx';

/** The API's own links count a download with `download=1`; a bucket's presigned link must not be changed. */
export const downloadUrl = (url: string) => (url.includes('/api/v1/assets/') ? `${url}${url.includes('?') ? '&' : '?'}download=1` : url);

interface AssetTileProps {
  asset: Asset;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onChange: (patch: AssetPatch) => Promise<boolean>;
  onDelete: () => void;
  sizeText: string;
}

export function AssetTile({ asset: a, selected, onSelect, onChange, onDelete, sizeText }: AssetTileProps) {
  const { t } = useTranslation();
  const [notesOpen, setNotesOpen] = useState(false);
  return (
    <li className={`asset-tile${selected ? ' selected' : ''}`} data-testid="asset-tile">
      <a href={a.url} target="_blank" rel="noreferrer" className="asset-thumb">
        <img src={a.thumbnail_url ?? a.url} alt={a.filename} loading="lazy" />
      </a>
      <div className="asset-meta">
        <span className="asset-select">
          <input id={`select-${a.id}`} type="checkbox" checked={selected} onChange={(e) => onSelect(e.target.checked)} data-testid="asset-select" />
          <label htmlFor={`select-${a.id}`} className="asset-name" title={a.filename}>
            <span className="visually-hidden">{t('gallery.select')} </span>
            <bdi>{a.filename}</bdi>
          </label>
        </span>
        <span className="muted small">
          {a.width && a.height ? `${a.width}×${a.height} · ` : ''}
          {sizeText}
        </span>
      </div>
      <Stars value={a.rating} label={t('gallery.rating')} onRate={(rating) => void onChange({ rating })} testId="asset-rating" />
      {a.notes && !notesOpen && (
        <p className="asset-notes small" data-testid="asset-notes">
          {a.notes}
        </p>
      )}
      {notesOpen && <NotesForm id={`notes-${a.id}`} notes={a.notes} onSave={(notes) => onChange({ notes })} onClose={() => setNotesOpen(false)} />}
      <div className="asset-buttons">
        <button
          type="button"
          className={`icon-button${a.is_favorite ? ' on' : ''}`}
          aria-pressed={a.is_favorite}
          aria-label={a.is_favorite ? t('library.removeFavourite') : t('library.addFavourite')}
          onClick={() => void onChange({ is_favorite: !a.is_favorite })}
        >
          {a.is_favorite ? '★' : '☆'}
        </button>
        <button type="button" className="icon-button" aria-expanded={notesOpen} aria-label={t('gallery.editNotes', { name: a.filename })} onClick={() => setNotesOpen((o) => !o)}>
          ✎
        </button>
        <a className="icon-button" href={downloadUrl(a.url)} aria-label={t('library.download')} download>
          ⤓
        </a>
        <button type="button" className="icon-button" aria-label={t('library.delete', { name: a.filename })} onClick={onDelete}>
          ✕
        </button>
      </div>
    </li>
  );
}
