/**
 * One image of the gallery: a box to select it for bulk actions, favourite, a rating of one to five
 * stars, notes, download and delete. Every change is sent at once; the tile shows the server's answer.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Asset, AssetPatch } from '../api.ts';
import { Link } from '../ui.tsx';

/** The API's own links count a download with `download=1`; a bucket's presigned link must not be changed. */
export const downloadUrl = (url: string) => (url.includes('/api/v1/assets/') ? `${url}${url.includes('?') ? '&' : '?'}download=1` : url);

const NOTES_MAX = 2000;
const notesSchema = z.object({ notes: z.string().max(NOTES_MAX) });

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
  const form = useForm({ resolver: zodResolver(notesSchema), values: { notes: a.notes ?? '' } });
  const notesId = `notes-${a.id}`;
  const saveNotes = form.handleSubmit(async ({ notes }) => {
    if (await onChange({ notes: notes.trim() === '' ? null : notes })) setNotesOpen(false);
  });
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
      {a.generation_id && (
        <Link to={`/library/generations/${a.generation_id}`} className="small" data-testid="asset-generation">
          {t('generationDetail.details')}
          <span className="visually-hidden"> · {a.filename}</span>
        </Link>
      )}
      <div className="rating" role="group" aria-label={t('gallery.rating')} data-testid="asset-rating">
        {[1, 2, 3, 4, 5].map((n) => {
          const on = (a.rating ?? 0) >= n;
          return (
            <button
              key={n}
              type="button"
              className={`star${on ? ' on' : ''}`}
              aria-pressed={a.rating === n}
              aria-label={t('gallery.rate', { n })}
              onClick={() => void onChange({ rating: a.rating === n ? null : n })}
            >
              {on ? '★' : '☆'}
            </button>
          );
        })}
      </div>
      {a.notes && !notesOpen && (
        <p className="asset-notes small" data-testid="asset-notes">
          {a.notes}
        </p>
      )}
      {notesOpen && (
        <form className="notes-form" onSubmit={(e) => void saveNotes(e)} noValidate>
          <label htmlFor={notesId}>{t('gallery.notes')}</label>
          <textarea id={notesId} rows={3} maxLength={NOTES_MAX} {...form.register('notes')} />
          {form.formState.errors.notes && <p className="field-error">{t('gallery.notesTooLong', { n: NOTES_MAX })}</p>}
          <div className="verify-actions">
            <button type="submit" className="button button-secondary" disabled={form.formState.isSubmitting}>
              {t('gallery.saveNotes')}
            </button>
            <button type="button" className="button button-link" onClick={() => setNotesOpen(false)}>
              {t('gallery.cancel')}
            </button>
          </div>
        </form>
      )}
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
