/**
 * The owner's marks on a finished generation (`PATCH /generations/{id}`): a favourite, a rating of
 * one to five stars and notes — the generation's own, beside its images' marks in the library. Each
 * change is sent at once and the row shows the server's answer; a refusal is shown under it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Generation, type GenerationPatch } from '../api.ts';
import { NotesForm, Stars } from './Marks.tsx';

export function GenerationRating({ generation: g, onUpdate }: { generation: Generation; onUpdate: (g: Generation) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [notesOpen, setNotesOpen] = useState(false);

  async function send(patch: GenerationPatch): Promise<boolean> {
    setError(null);
    try {
      onUpdate(await api.rateGeneration(g.id, patch));
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : t('generations.rateFailed'));
      return false;
    }
  }
  return (
    <div className="generation-rating" data-testid="generation-rating">
      <Stars value={g.user_rating} label={t('generations.rating')} onRate={(user_rating) => void send({ user_rating })} />
      <button
        type="button"
        className={`icon-button${g.is_favorited ? ' on' : ''}`}
        aria-pressed={g.is_favorited}
        aria-label={g.is_favorited ? t('library.removeFavourite') : t('library.addFavourite')}
        onClick={() => void send({ is_favorited: !g.is_favorited })}
        data-testid="generation-favourite"
      >
        ♥
      </button>
      <button type="button" className="icon-button" aria-expanded={notesOpen} aria-label={t('generations.editNotes')} onClick={() => setNotesOpen((o) => !o)}>
        ✎
      </button>
      {g.user_notes && !notesOpen && (
        <p className="asset-notes small" data-testid="generation-notes">
          {g.user_notes}
        </p>
      )}
      {notesOpen && <NotesForm id={`generation-notes-${g.id}`} notes={g.user_notes} onSave={(user_notes) => send({ user_notes })} onClose={() => setNotesOpen(false)} />}
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
