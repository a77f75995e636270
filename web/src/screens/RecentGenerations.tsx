/**
 * The Studio's "Recent generations": each unfinished one follows its server-sent event stream
 * (`GET /generations/{id}/events`) and, if the stream fails (a proxy that buffers, an expired
 * access cookie), polls `GET /generations/{id}` instead — the request path refreshes the session.
 * Status changes are announced through one polite live region.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, FINAL_STATUSES, generationEventsUrl, type Generation } from '../api.ts';
import { Link, useFormat } from '../ui.tsx';

const POLL_MS = 2000;
/** The stream speaks on status changes only; a waiting one's queue position is re-read this often. */
const QUEUE_MS = 5000;

/** Each status wears one of the shared badge colours. */
export const STATUS_BADGE: Record<Generation['status'], string> = {
  pending: 'badge',
  processing: 'badge badge-warning',
  completed: 'badge badge-success',
  failed: 'badge badge-danger',
  cancelled: 'badge badge-muted',
};

const STAGE: Record<Generation['status'], number> = { pending: 0, processing: 1, completed: 2, failed: 2, cancelled: 2 };


/** Keeps `generation` current until it reaches a final status; `onUpdate` gets every new state. */
export function useLive(generation: Generation, onUpdate: (g: Generation) => void): void {
  const final = FINAL_STATUSES.has(generation.status);
  const update = useRef(onUpdate);
  update.current = onUpdate;

  useEffect(() => {
    if (final) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let source: EventSource | null = null;

    const poll = async () => {
      if (stopped) return;
      try {
        const g = await api.generation(generation.id);
        if (stopped) return;
        update.current(g);
        if (FINAL_STATUSES.has(g.status)) return;
      } catch {
        // A network blip: try again on the next tick.
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };

    if (typeof EventSource === 'function') {
      source = new EventSource(generationEventsUrl(generation.id), { withCredentials: true });
      source.addEventListener('status', (e) => {
        const g = JSON.parse((e as MessageEvent<string>).data) as Generation;
        update.current(g);
        // The stream ends after a final status; closing first keeps EventSource from reconnecting.
        if (FINAL_STATUSES.has(g.status)) source?.close();
      });
      source.onerror = () => {
        source?.close();
        source = null;
        void poll();
      };
    } else {
      void poll();
    }
    return () => {
      stopped = true;
      source?.close();
      if (timer) clearTimeout(timer);
    };
  }, [generation.id, final]);

  const waiting = generation.status === 'pending';
  useEffect(() => {
    if (!waiting) return;
    const every = setInterval(() => {
      api.generation(generation.id).then(
        (g) => update.current(g),
        () => {},
      );
    }, QUEUE_MS);
    return () => clearInterval(every);
  }, [generation.id, waiting]);
}

interface ListProps {
  generations: Generation[] | null;
  onUpdate: (g: Generation) => void;
  error: string | null;
}

export function RecentGenerations({ generations, onUpdate, error }: ListProps) {
  const { t, i18n } = useTranslation();
  const [announcement, setAnnouncement] = useState('');
  const last = useRef(new Map<string, Generation['status']>());

  const changed = (g: Generation) => {
    const before = last.current.get(g.id) ?? generations?.find((x) => x.id === g.id)?.status;
    // Answers can cross (a slow read after a stream event): a status never moves backwards.
    if (before && STAGE[g.status] < STAGE[before]) return;
    last.current.set(g.id, g.status);
    if (before && before !== g.status) {
      setAnnouncement(t('generations.announce', { type: t(`types.${g.type}`), status: t(`generations.status.${g.status}`).toLocaleLowerCase(i18n.language) }));
    }
    onUpdate(g);
  };

  return (
    <section className="card recent-generations" aria-labelledby="recent-title">
      <h2 id="recent-title">{t('generations.recent')}</h2>
      <p className="visually-hidden" aria-live="polite" data-testid="generation-announcer">
        {announcement}
      </p>
      {error && <p className="field-error">{error}</p>}
      {!generations ? (
        <p className="muted">{t('common.loading')}</p>
      ) : generations.length === 0 ? (
        <p className="muted" data-testid="generations-empty">
          {t('generations.empty')}
        </p>
      ) : (
        <ul className="generation-list" data-testid="generation-list">
          {generations.map((g) => (
            <GenerationItem key={g.id} generation={g} onUpdate={changed} />
          ))}
        </ul>
      )}
    </section>
  );
}

function GenerationItem({ generation: g, onUpdate }: { generation: Generation; onUpdate: (g: Generation) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const credits = (count: number) => t('common.credits', { count });
  const typeName = t(`types.${g.type}`);
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);
  useLive(g, onUpdate);

  async function cancel() {
    setCancelling(true);
    setCancelError(null);
    try {
      onUpdate(await api.cancelGeneration(g.id));
    } catch (err) {
      setCancelError(err instanceof Error ? err.message : t('generations.cancelFailed'));
    } finally {
      setCancelling(false);
    }
  }

  const running = g.status === 'pending' || g.status === 'processing';
  return (
    <li className="generation-item" data-testid="generation-item" data-generation-id={g.id} data-status={g.status}>
      <div className="generation-head">
        <strong>{typeName}</strong>
        <span className={STATUS_BADGE[g.status]} data-testid="generation-status">
          {t(`generations.status.${g.status}`)}
        </span>
        {g.status === 'pending' && g.queue_position !== null && <span className="muted small">{t('generations.inQueue', { n: g.queue_position })}</span>}
        <span className="muted small generation-time">{format.date(g.created_at, { dateStyle: 'medium', timeStyle: 'short' })}</span>
      </div>
      <p className="muted small">
        {t('generations.outputs', { count: g.num_outputs })} ·{' '}
        <span data-testid="generation-credits">
          {running ? t('generations.onHold', { credits: credits(g.credits_reserved) }) : t('generations.used', { credits: credits(g.credits_used) })}
        </span>
        {g.prompt && <> · “{g.prompt}”</>}
      </p>
      {g.status === 'failed' && g.error && (
        <p className="field-error" data-testid="generation-error">
          {g.error.message}
        </p>
      )}
      {cancelError && <p className="field-error">{cancelError}</p>}
      {g.outputs.length > 0 && (
        <ul className="output-grid">
          {g.outputs.map((a, i) => (
            <li key={a.id}>
              <a href={a.url} target="_blank" rel="noreferrer" className="asset-thumb" data-testid="generation-output">
                <img src={a.thumbnail_url ?? a.url} alt={t('generations.output', { type: typeName, n: i + 1 })} loading="lazy" />
              </a>
            </li>
          ))}
        </ul>
      )}
      {!running && (
        <Link to={`/library/generations/${g.id}`} className="small" data-testid="generation-details">
          {t('generationDetail.details')}
          <span className="visually-hidden"> · {typeName}</span>
        </Link>
      )}
      {running && (
        <button type="button" className="button button-secondary button-small" onClick={() => void cancel()} disabled={cancelling} data-testid="generation-cancel">
          {cancelling ? t('generations.cancelling') : t('generations.cancel')}
        </button>
      )}
    </li>
  );
}
