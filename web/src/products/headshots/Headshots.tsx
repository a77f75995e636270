/**
 * Headshots, step 1: the person's subjects, and the wizard that makes a new one — a name, a gender
 * and 1–5 photos, each uploaded as soon as it is picked and marked with what the server said of it
 * (not an image, too large, too small for a face; after a failed training, no face, several faces
 * and so on — feedback.ts). Creating the subject holds the training price; a 402 says how to get
 * credits. `?from=<subject>` starts again from a failed subject with its accepted photos.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { api, ApiError, describeError } from '../../api.ts';
import { generationTypesQuery } from '../../queries.ts';
import { useSignedIn } from '../../session.ts';
import { Alert, Field, FieldMessages, Spinner, useDocumentTitle, useFormat } from '../../ui.tsx';
import { flowsApi, type Subject } from '../flows-api.ts';
import { ProductHero, SubmitProblems } from '../shared.tsx';
import { reasonText, refusalsByAsset, refusalsByIndex, uploadRefusal } from './feedback.ts';

const MAX_PHOTOS = 5;

interface Photo {
  key: string;
  name: string;
  assetId?: string;
  preview?: string;
  uploading: boolean;
  problem?: string;
}

export const subjectsKey = ['subjects'] as const;

export function Headshots() {
  const { t } = useTranslation();
  useDocumentTitle(t('headshots.title'));
  const subjects = useQuery({ queryKey: subjectsKey, queryFn: flowsApi.subjects });
  return (
    <div className="product-page" data-testid="headshots-page">
      <ProductHero eyebrow={t('headshots.eyebrow')} title={t('headshots.title')} intro={t('headshots.intro')} />
      <div className="grid">
        <SubjectWizard />
        <section className="card" aria-labelledby="subjects-title" data-testid="subjects">
          <h2 id="subjects-title">{t('headshots.yourSubjects')}</h2>
          {subjects.isPending ? (
            <Spinner label={t('common.loading')} />
          ) : subjects.error ? (
            <Alert>
              {describeError(subjects.error, [], t('common.genericError')).message}{' '}
              <button type="button" className="button button-link" onClick={() => void subjects.refetch()}>
                {t('common.tryAgain')}
              </button>
            </Alert>
          ) : subjects.data.length === 0 ? (
            <p className="muted" data-testid="subjects-empty">
              {t('headshots.noSubjects')}
            </p>
          ) : (
            <ul className="subject-list">
              {subjects.data.map((s) => (
                <SubjectRow key={s.id} subject={s} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

export const SUBJECT_BADGE: Record<Subject['status'], string> = {
  pending: 'badge',
  training: 'badge badge-warning',
  ready: 'badge badge-success',
  failed: 'badge badge-danger',
};

function SubjectRow({ subject }: { subject: Subject }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <li className="subject-row">
      {subject.preview_asset_id ? (
        <img className="subject-avatar" src={`/api/v1/assets/${subject.preview_asset_id}/thumbnail`} alt="" />
      ) : (
        <span className="subject-avatar" aria-hidden="true" />
      )}
      <span className="subject-name">
        <RouterLink to={`/headshots/${subject.id}`}>{subject.name}</RouterLink>
        <span className="muted small">{format.date(subject.created_at)}</span>
      </span>
      <span className={SUBJECT_BADGE[subject.status]}>{t(`headshots.status.${subject.status}`)}</span>
    </li>
  );
}

const ZSubjectForm = z.object({
  name: z.string().trim().min(1).max(100),
  gender: z.enum(['female', 'male']),
});
type SubjectForm = z.infer<typeof ZSubjectForm>;

function SubjectWizard() {
  const { t, i18n } = useTranslation();
  const { user, reload } = useSignedIn();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const from = params.get('from');
  const fileInput = useRef<HTMLInputElement>(null);
  const photosId = useId();
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [photosError, setPhotosError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [short, setShort] = useState(false);
  const training = useQuery({ ...generationTypesQuery(i18n.language), select: (list) => list.find((x) => x.type === 'subject_training') });
  const { register, handleSubmit, formState, reset } = useForm<SubjectForm>({ resolver: zodResolver(ZSubjectForm), defaultValues: { name: '', gender: 'female' } });

  // Starting again from a failed subject: its name, gender and the photos the check accepted.
  useEffect(() => {
    if (!from) return;
    flowsApi.subject(from).then(
      (s) => {
        reset({ name: s.name, gender: s.gender });
        const refused = refusalsByAsset(s.error?.message ?? '');
        setPhotos(
          s.image_asset_ids
            .filter((a) => !refused.has(a))
            .map((a, i) => ({ key: `from-${a}`, name: t('headshots.photoN', { n: i + 1 }), assetId: a, preview: `/api/v1/assets/${a}/thumbnail`, uploading: false })),
        );
      },
      () => {},
    );
  }, [from, reset, t]);

  function pick(files: FileList | null) {
    if (!files) return;
    setPhotosError(undefined);
    const room = MAX_PHOTOS - photos.length;
    const chosen = [...files].slice(0, Math.max(0, room));
    if (files.length > room) setPhotosError(t('headshots.tooMany', { max: MAX_PHOTOS }));
    for (const file of chosen) {
      const key = `${file.name}-${crypto.randomUUID()}`;
      setPhotos((list) => [...list, { key, name: file.name, uploading: true }]);
      // Training photos are kept while a subject uses them, and go a week after upload if none does (decision 110).
      api.upload(file, 'training').then(
        (asset) => setPhotos((list) => list.map((p) => (p.key === key ? { ...p, uploading: false, assetId: asset.id, preview: asset.thumbnail_url ?? asset.url } : p))),
        (err) => setPhotos((list) => list.map((p) => (p.key === key ? { ...p, uploading: false, problem: uploadRefusal(err, t) } : p))),
      );
    }
    if (fileInput.current) fileInput.current.value = '';
  }

  const usable = photos.filter((p) => p.assetId && !p.problem);
  const uploading = photos.some((p) => p.uploading);
  const price = training.data?.credits_per_output ?? null;

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    setShort(false);
    if (usable.length < 1) {
      setPhotosError(t('headshots.needPhotos', { max: MAX_PHOTOS }));
      return;
    }
    try {
      const subject = await flowsApi.createSubject({ name: values.name, gender: values.gender, image_asset_ids: usable.map((p) => p.assetId!) });
      await queryClient.invalidateQueries({ queryKey: subjectsKey });
      await reload();
      await navigate(`/headshots/${subject.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 402) {
        setShort(true);
        return;
      }
      const byIndex = refusalsByIndex(err);
      if (byIndex.size > 0) {
        const ids = usable.map((p) => p.assetId);
        setPhotos((list) => list.map((p) => {
          const i = ids.indexOf(p.assetId);
          const why = i >= 0 ? byIndex.get(i) : undefined;
          return why ? { ...p, problem: reasonText(why, t) } : p;
        }));
        return;
      }
      setFormError(describeError(err, [], t('common.genericError')).message);
    }
  });

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="wizard-title" data-testid="subject-wizard">
      <h2 id="wizard-title">{t('headshots.newSubject')}</h2>
      <p className="muted small">{t('headshots.wizardIntro', { max: MAX_PHOTOS })}</p>
      <Field id="subject-name" label={t('headshots.name')} autoComplete="off" {...register('name')} error={formState.errors.name ? t('headshots.nameRequired') : undefined} />
      <fieldset className="field">
        <legend className="field-legend">{t('headshots.gender')}</legend>
        <div className="choice-row">
          {(['female', 'male'] as const).map((g) => (
            <label key={g} className="choice">
              <input type="radio" value={g} {...register('gender')} /> {t(`headshots.genders.${g}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className={`field${photosError ? ' has-error' : ''}`}>
        <label htmlFor={photosId}>{t('headshots.photos', { n: photos.length, max: MAX_PHOTOS })}</label>
        <input
          ref={fileInput}
          id={photosId}
          type="file"
          accept="image/*"
          multiple
          disabled={photos.length >= MAX_PHOTOS}
          onChange={(e) => pick(e.target.files)}
          aria-describedby={`${photosId}-hint${photosError ? ` ${photosId}-error` : ''}`}
          data-testid="subject-photos"
        />
        <FieldMessages id={photosId} hint={t('headshots.photosHint')} error={photosError} />
      </div>
      {photos.length > 0 && (
        <ul className="photo-list" aria-label={t('headshots.chosenPhotos')} data-testid="photo-list">
          {photos.map((p) => (
            <li key={p.key} className={`photo-item${p.problem ? ' refused' : ''}`} data-testid="photo-item">
              {p.preview ? <img src={p.preview} alt="" /> : <span className="photo-placeholder" aria-hidden="true" />}
              <span className="photo-text">
                <bdi className="photo-name">{p.name}</bdi>
                {p.uploading ? (
                  <span className="muted small">{t('headshots.uploading')}</span>
                ) : p.problem ? (
                  <span className="field-error" data-testid="photo-problem">
                    {p.problem}
                  </span>
                ) : (
                  <span className="muted small">{t('headshots.uploaded')}</span>
                )}
              </span>
              <button type="button" className="button button-link button-small" onClick={() => setPhotos((list) => list.filter((x) => x.key !== p.key))}>
                {t('headshots.remove')} <span className="visually-hidden">{p.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {price !== null && (
        <p className="muted small" data-testid="training-price">
          {t('headshots.trainingPrice', { count: price, balance: user.credits.available })}
        </p>
      )}
      <SubmitProblems short={short} error={formError} shortText={t('headshots.notEnough')} billingText={t('headshots.getCredits')} testId="headshots-short" />
      <button type="submit" className="button button-primary" disabled={formState.isSubmitting || uploading} data-testid="subject-submit">
        {formState.isSubmitting ? t('headshots.creating') : t('headshots.create')}
      </button>
    </form>
  );
}
