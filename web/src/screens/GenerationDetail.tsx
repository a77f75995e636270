/**
 * One generation as its owner sees it after it ran (`/library/generations/:id`): what it was, its
 * outputs, and the owner's review of it — a favourite, a rating of one to five stars and notes —
 * sent together with `PATCH /generations/{id}` and shown as the server kept them. The stars are
 * native radio buttons in a fieldset, so arrows move between them and a screen reader names each.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { z } from 'zod';
import { api, describeError, type Generation } from '../api.ts';
import { Alert, describedBy, FieldMessages, Link, Spinner, useDocumentTitle, useFormat } from '../ui.tsx';
import { userApi } from '../userApi.ts';
import { STATUS_BADGE } from './RecentGenerations.tsx';

const NOTES_MAX = 2000;
const STARS = ['1', '2', '3', '4', '5'] as const;
const reviewSchema = z.object({
  favourite: z.boolean(),
  rating: z.enum(['', ...STARS]),
  notes: z.string().max(NOTES_MAX),
});
type Review = z.infer<typeof reviewSchema>;

const generationKey = (id: string) => ['generation', id] as const;
const reviewOf = (g: Generation): Review => ({ favourite: g.is_favorited, rating: g.user_rating ? (String(g.user_rating) as Review['rating']) : '', notes: g.user_notes ?? '' });

export function GenerationDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const generation = useQuery({ queryKey: generationKey(id), queryFn: () => api.generation(id) });
  const typeName = generation.data ? t(`types.${generation.data.type}`) : t('generationDetail.title');
  useDocumentTitle(typeName);

  return (
    <section className="card generation-detail" data-testid="generation-detail">
      <p>
        <Link to="/library">{t('generationDetail.back')}</Link>
      </p>
      {generation.error ? (
        <Alert>{describeError(generation.error, [], t('common.genericError')).message}</Alert>
      ) : !generation.data ? (
        <Spinner label={t('common.loading')} />
      ) : (
        <GenerationView generation={generation.data} typeName={typeName} />
      )}
    </section>
  );
}

function GenerationView({ generation: g, typeName }: { generation: Generation; typeName: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <p className="eyebrow">{t('generationDetail.title')}</p>
      <h1>{typeName}</h1>
      <p className="generation-head">
        <span className={STATUS_BADGE[g.status]} data-testid="generation-status">
          {t(`generations.status.${g.status}`)}
        </span>{' '}
        <span className="muted small">{format.date(g.created_at, { dateStyle: 'medium', timeStyle: 'short' })}</span>
      </p>
      <p className="muted small">
        {t('generations.outputs', { count: g.num_outputs })} · {t('generations.used', { credits: t('common.credits', { count: g.credits_used }) })}
        {g.prompt && <> · “{g.prompt}”</>}
      </p>
      {g.status === 'failed' && g.error && <p className="field-error">{g.error.message}</p>}
      {g.outputs.length > 0 && (
        <ul className="output-grid" aria-label={t('generationDetail.outputs')}>
          {g.outputs.map((a, i) => (
            <li key={a.id}>
              <a href={a.url} target="_blank" rel="noreferrer" className="asset-thumb">
                <img src={a.thumbnail_url ?? a.url} alt={t('generations.output', { type: typeName, n: i + 1 })} loading="lazy" />
              </a>
            </li>
          ))}
        </ul>
      )}
      <ReviewForm generation={g} />
    </>
  );
}

function ReviewForm({ generation: g }: { generation: Generation }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  // A flag, not the text: the message follows a change of language.
  const [saved, setSaved] = useState(false);
  const form = useForm<Review>({ resolver: zodResolver(reviewSchema), values: reviewOf(g) });
  const save = useMutation({
    mutationFn: (r: Review) =>
      userApi.reviewGeneration(g.id, { is_favorited: r.favourite, user_rating: r.rating === '' ? null : Number(r.rating), user_notes: r.notes.trim() === '' ? null : r.notes }),
    onSuccess: (kept) => {
      client.setQueryData(generationKey(g.id), kept);
      setSaved(true);
    },
    onError: () => setSaved(false),
  });
  const notesError = form.formState.errors.notes ? t('gallery.notesTooLong', { n: NOTES_MAX }) : undefined;

  return (
    <form className="review-form" noValidate onSubmit={form.handleSubmit((r) => save.mutate(r))} aria-labelledby="review-heading" data-testid="generation-review">
      <h2 id="review-heading">{t('generationDetail.review')}</h2>
      {saved && (
        <Alert kind="success" testId="generation-review-saved">
          {t('generationDetail.saved')}
        </Alert>
      )}
      {save.error && <Alert>{describeError(save.error, ['user_rating', 'user_notes'], t('common.genericError')).message}</Alert>}
      <label className="checkbox">
        <input type="checkbox" {...form.register('favourite')} data-testid="generation-favourite" />
        {t('generationDetail.favourite')}
      </label>
      <fieldset className="star-choice">
        <legend>{t('generationDetail.rating')}</legend>
        <label>
          <input type="radio" value="" {...form.register('rating')} />
          {t('generationDetail.noRating')}
        </label>
        {STARS.map((n) => (
          <label key={n}>
            <input type="radio" value={n} {...form.register('rating')} />
            <span aria-hidden="true">{'★'.repeat(Number(n))}</span>
            <span className="visually-hidden">{t('generationDetail.stars', { count: Number(n) })}</span>
          </label>
        ))}
      </fieldset>
      <div className={`field${notesError ? ' has-error' : ''}`}>
        <label htmlFor="generation-notes">{t('generationDetail.notes')}</label>
        <textarea
          id="generation-notes"
          rows={3}
          maxLength={NOTES_MAX}
          aria-invalid={notesError ? true : undefined}
          aria-describedby={describedBy('generation-notes', null, notesError)}
          {...form.register('notes')}
        />
        <FieldMessages id="generation-notes" error={notesError} />
      </div>
      <button type="submit" className="button button-primary" disabled={save.isPending} data-testid="generation-review-save">
        {save.isPending ? t('generationDetail.saving') : t('generationDetail.save')}
      </button>
    </form>
  );
}
