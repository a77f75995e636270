/**
 * A user's marks on something they made, shared by the library's image tiles and a finished
 * generation: a one-to-five star rating (pressing the chosen star again clears it) and a notes form.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';

export const NOTES_MAX = 2000;
const notesSchema = z.object({ notes: z.string().max(NOTES_MAX) });

export function Stars({ value, label, onRate, testId }: { value: number | null; label: string; onRate: (rating: number | null) => void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className="rating" role="group" aria-label={label} data-testid={testId}>
      {[1, 2, 3, 4, 5].map((n) => {
        const on = (value ?? 0) >= n;
        return (
          <button key={n} type="button" className={`star${on ? ' on' : ''}`} aria-pressed={value === n} aria-label={t('gallery.rate', { n })} onClick={() => onRate(value === n ? null : n)}>
            {on ? '★' : '☆'}
          </button>
        );
      })}
    </div>
  );
}

/** Notes to edit; an empty text saves as null. `onSave` says whether the server took them. */
export function NotesForm({ id, notes, onSave, onClose }: { id: string; notes: string | null; onSave: (notes: string | null) => Promise<boolean>; onClose: () => void }) {
  const { t } = useTranslation();
  const form = useForm({ resolver: zodResolver(notesSchema), values: { notes: notes ?? '' } });
  const save = form.handleSubmit(async ({ notes: text }) => {
    if (await onSave(text.trim() === '' ? null : text)) onClose();
  });
  return (
    <form className="notes-form" onSubmit={(e) => void save(e)} noValidate>
      <label htmlFor={id}>{t('gallery.notes')}</label>
      <textarea id={id} rows={3} maxLength={NOTES_MAX} {...form.register('notes')} />
      {form.formState.errors.notes && <p className="field-error">{t('gallery.notesTooLong', { n: NOTES_MAX })}</p>}
      <div className="verify-actions">
        <button type="submit" className="button button-secondary" disabled={form.formState.isSubmitting}>
          {t('gallery.saveNotes')}
        </button>
        <button type="button" className="button button-link" onClick={onClose}>
          {t('gallery.cancel')}
        </button>
      </div>
    </form>
  );
}
