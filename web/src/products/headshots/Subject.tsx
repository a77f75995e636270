/**
 * Headshots, steps 2–4 for one subject: its preparation followed live (the subject is read again
 * every 1.5 s while it trains: the API reports the training as the subject's status), the photos it
 * refused when it failed, then the batch builder (reference photos, backgrounds and styles from the
 * catalogue, aspect ratio, images per reference, the price against the balance) and the results
 * grid of the batch (`?batch=<id>` keeps it across a reload).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useParams, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api.ts';
import { generationTypesQuery } from '../../queries.ts';
import { useSignedIn } from '../../session.ts';
import { Alert, Link, Spinner, useDocumentTitle } from '../../ui.tsx';
import { flowsApi, type BatchInput, type Subject as SubjectView } from '../flows-api.ts';
import { ResultsGrid, SubmitProblems, useSettling } from '../shared.tsx';
import { reasonText, refusalsByAsset } from './feedback.ts';
import { SUBJECT_BADGE, subjectsKey } from './Headshots.tsx';

const POLL_MS = 1500;
type Aspect = NonNullable<NonNullable<BatchInput['params']>['aspect_ratio']>;
const ASPECTS: Aspect[] = ['1:1', '9:16', '16:9'];

export function Subject() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const subject = useQuery({
    queryKey: ['subject', id],
    queryFn: () => flowsApi.subject(id),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'pending' || q.state.data.status === 'training') ? POLL_MS : false),
  });
  useDocumentTitle(subject.data?.name ?? t('headshots.title'));
  const status = subject.data?.status;
  // When it settles, the list of subjects and the balance (the hold captured or released) move.
  const { reload } = useSignedIn();
  const reloadMe = useRef(reload);
  reloadMe.current = reload;
  useEffect(() => {
    if (status !== 'ready' && status !== 'failed') return;
    void queryClient.invalidateQueries({ queryKey: subjectsKey });
    void reloadMe.current();
  }, [status, queryClient]);

  if (subject.isPending) return <Spinner label={t('common.loading')} />;
  if (subject.error) {
    return (
      <Alert>
        {describeError(subject.error, [], t('common.genericError')).message} <Link to="/headshots">{t('headshots.back')}</Link>
      </Alert>
    );
  }
  const s = subject.data;
  return (
    <div className="product-page" data-testid="subject-page">
      <section className="hero">
        <div>
          <p className="eyebrow">
            <Link to="/headshots">{t('headshots.title')}</Link>
          </p>
          <h1>{s.name}</h1>
          <p>
            <span className={SUBJECT_BADGE[s.status]} data-testid="subject-status">
              {t(`headshots.status.${s.status}`)}
            </span>
          </p>
        </div>
      </section>
      {(s.status === 'pending' || s.status === 'training') && <Training subject={s} />}
      {s.status === 'failed' && <Refused subject={s} />}
      {s.status === 'ready' && <BatchBuilder subject={s} />}
    </div>
  );
}

function Training({ subject }: { subject: SubjectView }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="training-title" data-testid="training">
      <h2 id="training-title">{t('headshots.preparing')}</h2>
      <div className="progress-indeterminate" aria-hidden="true" />
      <p role="status" aria-live="polite">
        {subject.status === 'pending' ? t('headshots.queued') : t('headshots.checking', { count: subject.images_count })}
      </p>
      <PhotoStrip ids={subject.image_asset_ids} />
    </section>
  );
}

function PhotoStrip({ ids, refused }: { ids: string[]; refused?: Map<string, string> }) {
  const { t } = useTranslation();
  return (
    <ul className="photo-list" aria-label={t('headshots.chosenPhotos')}>
      {ids.map((a, i) => {
        const why = refused?.get(a);
        return (
          <li key={a} className={`photo-item${why ? ' refused' : ''}`} data-testid="photo-item">
            <img src={`/api/v1/assets/${a}/thumbnail`} alt="" />
            <span className="photo-text">
              <span className="photo-name">{t('headshots.photoN', { n: i + 1 })}</span>
              {refused &&
                (why ? (
                  <span className="field-error" data-testid="photo-problem">
                    {reasonText(why, t)}
                  </span>
                ) : (
                  <span className="muted small">{t('headshots.accepted')}</span>
                ))}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function Refused({ subject }: { subject: SubjectView }) {
  const { t } = useTranslation();
  const refused = refusalsByAsset(subject.error?.message ?? '');
  return (
    <section className="card" aria-labelledby="refused-title" data-testid="subject-failed">
      <h2 id="refused-title">{t('headshots.failedTitle')}</h2>
      <Alert>{refused.size > 0 ? t('headshots.failedPhotos') : (subject.error?.message ?? t('common.genericError'))}</Alert>
      <PhotoStrip ids={subject.image_asset_ids} refused={refused} />
      <p className="muted small">{t('headshots.refunded')}</p>
      <p>
        <RouterLink className="button button-primary" to={`/headshots?from=${subject.id}`}>
          {t('headshots.startAgain')}
        </RouterLink>
      </p>
    </section>
  );
}

function BatchBuilder({ subject }: { subject: SubjectView }) {
  const { t, i18n } = useTranslation();
  const { user, reload } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const batchId = params.get('batch');
  const backgrounds = useQuery({ queryKey: ['styles', 'headshots', 'background'], queryFn: () => flowsApi.styles('headshots', 'background') });
  const looks = useQuery({ queryKey: ['styles', 'headshots', 'style'], queryFn: () => flowsApi.styles('headshots', 'style') });
  const headshot = useQuery({ ...generationTypesQuery(i18n.language), select: (list) => list.find((x) => x.type === 'headshot') });
  const [refs, setRefs] = useState<string[]>(subject.image_asset_ids.slice(0, 1));
  const [chosenBackgrounds, setBackgrounds] = useState<string[]>([]);
  const [chosenStyles, setStyles] = useState<string[]>([]);
  const [aspect, setAspect] = useState<Aspect>('1:1');
  const [perRef, setPerRef] = useState(4);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [short, setShort] = useState(false);

  const unit = headshot.data?.credits_per_output ?? 1;
  const cost = refs.length * perRef * unit;
  const toggle = (list: string[], key: string) => (list.includes(key) ? list.filter((k) => k !== key) : [...list, key]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setShort(false);
    if (refs.length === 0) {
      setError(t('headshots.pickReference'));
      return;
    }
    setBusy(true);
    try {
      const batch = await flowsApi.createBatch({
        subject_id: subject.id,
        reference_asset_ids: refs,
        images_per_reference: perRef,
        params: { aspect_ratio: aspect, backgrounds: chosenBackgrounds, styles: chosenStyles },
      });
      setParams({ batch: batch.id });
      await reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 402) setShort(true);
      else setError(describeError(err, [], t('common.genericError')).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="grid">
      <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="batch-title" data-testid="batch-builder">
        <h2 id="batch-title">{t('headshots.batchTitle')}</h2>
        <fieldset className="field">
          <legend className="field-legend">{t('headshots.references')}</legend>
          <div className="choice-grid">
            {subject.image_asset_ids.map((a, i) => (
              <label key={a} className="choice-image">
                <input type="checkbox" checked={refs.includes(a)} onChange={() => setRefs((r) => toggle(r, a))} />
                <img src={`/api/v1/assets/${a}/thumbnail`} alt="" />
                <span>{t('headshots.photoN', { n: i + 1 })}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <StyleChoices legend={t('headshots.backgrounds')} query={backgrounds} chosen={chosenBackgrounds} onToggle={(k) => setBackgrounds((l) => toggle(l, k))} testId="backgrounds" />
        <StyleChoices legend={t('headshots.styles')} query={looks} chosen={chosenStyles} onToggle={(k) => setStyles((l) => toggle(l, k))} testId="looks" />
        <fieldset className="field">
          <legend className="field-legend">{t('headshots.aspect')}</legend>
          <div className="choice-row">
            {ASPECTS.map((a) => (
              <label key={a} className="choice">
                <input type="radio" name="aspect" checked={aspect === a} onChange={() => setAspect(a)} /> <bdi dir="ltr">{a}</bdi> {t(`headshots.aspects.${a.replace(':', 'x') as '1x1'}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="batch-count">{t('headshots.perReference')}</label>
          <select id="batch-count" value={perRef} onChange={(e) => setPerRef(Number(e.target.value))}>
            {[1, 2, 4, 6, 8].map((n) => (
              <option key={n} value={n}>
                {t('headshots.images', { count: n })}
              </option>
            ))}
          </select>
        </div>
        <p className={`studio-cost${cost > user.credits.available ? ' over' : ''}`} aria-live="polite" data-testid="batch-cost">
          {t('headshots.batchCost', { count: cost, balance: user.credits.available })}
        </p>
        <SubmitProblems short={short} error={error} shortText={t('headshots.notEnough')} billingText={t('headshots.getCredits')} testId="headshots-short" />
        <button type="submit" className="button button-primary" disabled={busy} data-testid="batch-submit">
          {busy ? t('headshots.starting') : t('headshots.makeHeadshots', { count: refs.length * perRef })}
        </button>
      </form>
      <section className="card" aria-labelledby="results-title">
        <h2 id="results-title">{t('headshots.results')}</h2>
        {batchId ? <BatchResults batchId={batchId} onDone={reload} /> : <p className="muted" data-testid="results-empty">{t('headshots.noResults')}</p>}
      </section>
    </div>
  );
}

function StyleChoices(props: {
  legend: string;
  query: { isPending: boolean; error: unknown; data?: { data: Array<{ key: string; name: string; preview_url: string | null }> } | undefined };
  chosen: string[];
  onToggle: (key: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const list = props.query.data?.data ?? [];
  return (
    <fieldset className="field" data-testid={props.testId}>
      <legend className="field-legend">{t('common.optional', { label: props.legend })}</legend>
      {props.query.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : props.query.error ? (
        <p className="field-error">{describeError(props.query.error, [], t('common.genericError')).message}</p>
      ) : list.length === 0 ? (
        <p className="muted small">{t('headshots.noneOffered')}</p>
      ) : (
        <div className="choice-row">
          {list.map((s) => (
            <label key={s.key} className="choice">
              <input type="checkbox" checked={props.chosen.includes(s.key)} onChange={() => props.onToggle(s.key)} /> {s.name}
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

function BatchResults({ batchId, onDone }: { batchId: string; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const batch = useQuery({ queryKey: ['batch', batchId], queryFn: () => flowsApi.batch(batchId) });
  const live = useSettling(batch.data?.generation_ids ?? []);
  // The batch's final statuses capture or release its holds: the balance moves.
  const after = useRef(onDone);
  after.current = onDone;
  useEffect(() => {
    if (live.done) void after.current();
  }, [live.done]);
  if (batch.isPending) return <Spinner label={t('common.loading')} />;
  if (batch.error) return <Alert>{describeError(batch.error, [], t('common.genericError')).message}</Alert>;
  return (
    <>
      {live.done && (
        <p role="status" data-testid="batch-done">
          {t('headshots.batchDone', { count: live.generations.reduce((n, g) => n + (g?.outputs.length ?? 0), 0) })}
        </p>
      )}
      <ResultsGrid generations={live.generations} label={t('headshots.results')} testId="headshot-results" />
    </>
  );
}
