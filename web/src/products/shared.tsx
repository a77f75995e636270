/**
 * Pieces the product screens share: reading a refusal into per-field messages, following a set of
 * generations until each is final (polling `GET /generations/{id}`, the same path the Studio falls
 * back to when its event stream fails), a grid of results, and the toman/rial money of a problem.
 */
import { useQueries } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, FINAL_STATUSES, type Generation } from '../api.ts';
import { Alert, Link, useFormat } from '../ui.tsx';

const POLL_MS = 1500;

/** Each of `ids` read again every 1.5 s until it is final; the list keeps the order of `ids`. */
export function useSettling(ids: readonly string[]): { generations: Array<Generation | undefined>; done: boolean; error: unknown } {
  const results = useQueries({
    queries: ids.map((gid) => ({
      queryKey: ['generation', gid] as const,
      queryFn: () => api.generation(gid),
      staleTime: 0,
      refetchInterval: (q: { state: { data?: Generation | undefined } }) => (q.state.data && FINAL_STATUSES.has(q.state.data.status) ? false : POLL_MS),
    })),
  });
  const generations = results.map((r) => r.data);
  return {
    generations,
    done: generations.length > 0 && generations.every((g) => g && FINAL_STATUSES.has(g.status)),
    error: results.find((r) => r.error)?.error,
  };
}

/** `403 quota_exceeded`'s numbers, when the error is one. */
export function quotaOf(err: unknown): { limit: number; used: number; resetsAt: string } | null {
  if (!(err instanceof ApiError) || err.code !== 'quota_exceeded') return null;
  const p = err.problem;
  const limit = typeof p.limit === 'number' ? p.limit : 0;
  const used = typeof p.used === 'number' ? p.used : limit;
  return { limit, used, resetsAt: typeof p.resets_at === 'string' ? p.resets_at : '' };
}

/** The finished images of some generations, each with a link to its full size. */
export function ResultsGrid({ generations, label, testId }: { generations: Array<Generation | undefined>; label: string; testId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const outputs = generations.flatMap((g) => (g?.status === 'completed' ? g.outputs : []));
  const failed = generations.filter((g) => g && (g.status === 'failed' || g.status === 'cancelled'));
  const waiting = generations.filter((g) => !g || !FINAL_STATUSES.has(g.status)).length;
  return (
    <div className="product-results" data-testid={testId}>
      {waiting > 0 && (
        <p className="muted" role="status" aria-live="polite">
          <span className="spinner spinner-inline" aria-hidden="true" /> {t('productShared.working', { count: waiting })}
        </p>
      )}
      {failed.map((g) => (
        <p key={g!.id} className="field-error">
          {g!.error?.message ?? t('productShared.failed')}
        </p>
      ))}
      {outputs.length > 0 && (
        <ul className="result-grid" aria-label={label}>
          {outputs.map((a, i) => (
            <li key={a.id} className="asset-tile">
              <a className="asset-thumb" href={a.url} target="_blank" rel="noreferrer" data-testid="result-image">
                <img src={a.thumbnail_url ?? a.url} alt={t('productShared.resultAlt', { n: i + 1 })} />
              </a>
              <a className="button button-link button-small" href={`${a.url}${a.url.includes('?') ? '&' : '?'}download=1`} download={a.filename}>
                {t('productShared.download')} <span className="visually-hidden">{format.number(i + 1)}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The heading block of a product screen. */
export function ProductHero({ eyebrow, title, intro }: { eyebrow: ReactNode; title: string; intro?: string }) {
  return (
    <section className="hero">
      <div>
        <p className="eyebrow">{eyebrow}</p>
        <h1>{title}</h1>
        {intro && <p className="muted">{intro}</p>}
      </div>
    </section>
  );
}

/** A refusal shown above a form's button: `402` (too few credits, with the way to billing) or another message. */
export function SubmitProblems({ short, error, shortText, billingText, testId }: { short: boolean; error: string | null; shortText: string; billingText: string; testId: string }) {
  return (
    <>
      {short && (
        <Alert testId={testId}>
          {shortText} <Link to="/billing">{billingText}</Link>
        </Alert>
      )}
      {error && <Alert testId="form-error">{error}</Alert>}
    </>
  );
}
