/**
 * Print prep: pick or upload a design, then run the preset's operations one after another — each
 * finished step's output is the next step's source (upscale, then cut the background out, then
 * trace it, say) — with a before/after compare of every step; then put the results in a collection
 * and download that collection as a zip (its files and metadata.json).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, describeError, FINAL_STATUSES, type Asset, type Generation, type GenerationType } from '../api.ts';
import { defaultValues, toParams, type ParamValues } from '../params-schema.ts';
import { ParamsForm } from '../screens/ParamsForm.tsx';
import { useLive } from '../screens/RecentGenerations.tsx';
import { useSignedIn } from '../session.ts';
import { Alert, FormErrorAlert, Link, Spinner, useDocumentTitle, type FormError } from '../ui.tsx';
import { saveBlob, userApi } from '../userApi.ts';
import { productKeys } from './api.ts';
import { Compare } from './Compare.tsx';
import { LibraryImages, TypeChoices, useLibrary, useStudioTypes } from './parts.tsx';

/** The image a step starts from: its id, where to show it, and a name for the screen. */
interface Source {
  id: string;
  url: string;
  name: string;
}

const sourceOf = (a: Asset): Source => ({ id: a.id, url: a.url, name: a.filename });

interface Step {
  before: Source;
  generation: Generation;
}

export function PrintPrep() {
  const { t } = useTranslation();
  useDocumentTitle(t('printPrep.title'));
  const { user, reload } = useSignedIn();
  const client = useQueryClient();
  // The operations on an image: the studio's types that take a source (not a prompt-only one).
  const types = useStudioTypes('print-prep', (x) => x.sources.min >= 1);
  const assets = useLibrary();
  const [picked, setPicked] = useState<string[]>([]);
  const [steps, setSteps] = useState<Step[]>([]);
  const [typeName, setTypeName] = useState('');
  const [values, setValues] = useState<ParamValues>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const [short, setShort] = useState(false);

  const ops = types.data ?? [];
  const type = ops.find((x) => x.type === typeName) ?? null;
  const last = steps.at(-1);
  const running = last !== undefined && !FINAL_STATUSES.has(last.generation.status);
  const lastOutput = last?.generation.status === 'completed' ? last.generation.outputs[0] : undefined;
  const chosen = (assets.data ?? []).find((a) => a.id === picked[0]);
  // The chain: after a finished step, its output is the source; before any, the chosen image.
  const source: Source | null = lastOutput ? sourceOf(lastOutput) : steps.length === 0 && chosen ? sourceOf(chosen) : null;
  const results = steps.flatMap((s) => (s.generation.status === 'completed' ? s.generation.outputs : []));

  const choose = (x: GenerationType) => {
    setTypeName(x.type);
    setValues(defaultValues(x.params_schema));
    setError(null);
  };

  async function run(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!type || !source || busy) return;
    setBusy(true);
    setError(null);
    setShort(false);
    try {
      const g = await api.generate({ type: type.type, source_asset_ids: [source.id], params: toParams(type.params_schema, values) });
      setSteps((s) => [...s, { before: source, generation: g }]);
    } catch (err) {
      if (err instanceof ApiError && err.status === 402) setShort(true);
      else setError(describeError(err, ['source_asset_ids', ...Object.keys(type.params_schema.properties ?? {}).map((n) => `params.${n}`)], t('common.genericError')));
    } finally {
      setBusy(false);
      await reload();
    }
  }

  const update = (g: Generation) => {
    setSteps((s) => s.map((x) => (x.generation.id === g.id ? { ...x, generation: g } : x)));
    if (FINAL_STATUSES.has(g.status)) {
      void reload();
      if (g.status === 'completed') void client.invalidateQueries({ queryKey: ['assets'] });
    }
  };

  const paramNames = Object.keys(type?.params_schema.properties ?? {});
  const paramErrors = Object.fromEntries(paramNames.map((n) => [n, error?.fields[`params.${n}`]]).filter(([, m]) => m)) as Record<string, string>;

  return (
    <div className="print-prep">
      <section className="hero">
        <p className="eyebrow">{t('studios.print-prep')}</p>
        <h1>{t('printPrep.heading')}</h1>
        <p className="muted">{t('printPrep.intro')}</p>
      </section>

      <div className="studio-layout">
        <form className="card studio-form" onSubmit={(e) => void run(e)} noValidate aria-labelledby="prep-form-title" data-testid="prep-form">
          <h2 id="prep-form-title">{steps.length === 0 ? t('printPrep.start') : t('printPrep.next', { n: steps.length + 1 })}</h2>
          {steps.length === 0 ? (
            <LibraryImages selected={picked} onSelected={setPicked} min={1} max={1} error={error?.fields.source_asset_ids} />
          ) : (
            <div className="chain-source" data-testid="chain-source">
              {source ? (
                <>
                  <img src={source.url} alt="" className="chain-thumb" />
                  <p>{t('printPrep.runsOn', { n: steps.length })}</p>
                </>
              ) : (
                <p className="muted">{running ? t('printPrep.waitForStep') : t('printPrep.stepDidNotFinish')}</p>
              )}
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => {
                  setSteps([]);
                  setPicked([]);
                }}
                disabled={running}
              >
                {t('printPrep.startOver')}
              </button>
            </div>
          )}

          <TypeChoices types={types} legend={t('printPrep.operation')} input="radio" selected={[typeName]} onPick={choose} testIdPrefix="op" />
          {type && <ParamsForm schema={type.params_schema} values={values} onChange={(n, v) => setValues((old) => ({ ...old, [n]: v }))} errors={paramErrors} />}
          {type && (
            <p className={`studio-cost${type.credits_per_output > user.credits.available ? ' over' : ''}`} aria-live="polite">
              {t('studio.cost', { count: type.credits_per_output, balance: user.credits.available })}
            </p>
          )}
          {short && (
            <Alert testId="prep-insufficient">
              {t('productShots.notEnough')} <Link to="/billing">{t('studio.buyInBilling')}</Link>.
            </Alert>
          )}
          <FormErrorAlert error={error} />
          <button type="submit" className="button button-primary" disabled={busy || running || !type || !source} data-testid="prep-run">
            {busy ? t('studio.starting') : t('printPrep.run')}
          </button>
        </form>

        <section className="card" aria-labelledby="prep-steps-title">
          <h2 id="prep-steps-title">{t('printPrep.steps')}</h2>
          {steps.length === 0 ? (
            <p className="muted" data-testid="prep-empty">
              {t('printPrep.noSteps')}
            </p>
          ) : (
            <ol className="generation-list prep-steps" data-testid="prep-steps">
              {steps.map((s, i) => (
                <StepItem key={s.generation.id} step={s} n={i + 1} onUpdate={update} />
              ))}
            </ol>
          )}
        </section>
      </div>

      <CollectionPanel results={results} />
    </div>
  );
}

function StepItem({ step, n, onUpdate }: { step: Step; n: number; onUpdate: (g: Generation) => void }) {
  const { t } = useTranslation();
  const g = step.generation;
  useLive(g, onUpdate);
  const output = g.outputs[0];
  const name = t(`types.${g.type}`);
  return (
    <li className="generation-item" data-testid="prep-step" data-status={g.status}>
      <div className="generation-head">
        <strong>{t('printPrep.stepName', { n, type: name })}</strong>
        <span className={`badge${g.status === 'completed' ? ' badge-success' : g.status === 'failed' ? ' badge-danger' : g.status === 'processing' ? ' badge-warning' : ''}`} data-testid="prep-step-status">
          {t(`generations.status.${g.status}`)}
        </span>
      </div>
      {g.status === 'failed' && g.error && <p className="field-error">{g.error.message}</p>}
      {!FINAL_STATUSES.has(g.status) && <Spinner label={t('printPrep.working', { type: name })} />}
      {output && <Compare before={step.before.url} after={output.url} label={name} />}
      {output && (
        <p className="muted small">
          {output.width && output.height ? `${output.width}×${output.height} · ` : ''}
          <bdi>{output.mime_type}</bdi>
        </p>
      )}
    </li>
  );
}

/** Adds the chain's results to a collection (a new one, or one of the reader's) and zips it. */
function CollectionPanel({ results }: { results: Asset[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const collections = useQuery({ queryKey: productKeys.collections, queryFn: userApi.collections, select: (page) => page.data });
  const [target, setTarget] = useState('new');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [zipping, setZipping] = useState<string | null>(null);
  const generic = t('common.genericError');
  const list = collections.data ?? [];

  async function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy || results.length === 0) return;
    if (target === 'new' && !name.trim()) {
      setError(t('printPrep.nameNeeded'));
      return;
    }
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      const collection = target === 'new' ? await userApi.createCollection({ name: name.trim() }) : list.find((c) => c.id === target)!;
      // One request; results already in the album are skipped by the server.
      await userApi.addManyToCollection(collection.id, results.map((asset) => asset.id));
      setTarget(collection.id);
      setName('');
      setAdded(collection.name);
      await client.invalidateQueries({ queryKey: productKeys.collections });
    } catch (err) {
      setError(describeError(err, [], generic).message);
    } finally {
      setBusy(false);
    }
  }

  async function download(id: string, filename: string) {
    setZipping(id);
    setError(null);
    try {
      saveBlob(await userApi.zip({ collection_id: id }), `${filename}.zip`);
    } catch (err) {
      setError(describeError(err, [], generic).message);
    } finally {
      setZipping(null);
    }
  }

  return (
    <section className="card" aria-labelledby="prep-collections-title" data-testid="collections">
      <h2 id="prep-collections-title">{t('printPrep.collections')}</h2>
      <form className="collection-form studio-form" onSubmit={(e) => void add(e)} noValidate>
        <div className="field">
          <label htmlFor="collection-target">{t('printPrep.addTo')}</label>
          <select id="collection-target" value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="new">{t('printPrep.newCollection')}</option>
            {list.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        {target === 'new' && (
          <div className="field">
            <label htmlFor="collection-name">{t('printPrep.collectionName')}</label>
            <input id="collection-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
          </div>
        )}
        <button type="submit" className="button button-primary" disabled={busy || results.length === 0} data-testid="collection-add">
          {busy ? t('printPrep.adding') : t('printPrep.addResults', { count: results.length })}
        </button>
      </form>
      {added && <Alert kind="success" testId="collection-added">{t('printPrep.added', { name: added })}</Alert>}
      {error && <Alert testId="collection-error">{error}</Alert>}
      {collections.error && <Alert>{describeError(collections.error, [], generic).message}</Alert>}
      {!collections.data && !collections.error ? (
        <Spinner label={t('common.loading')} />
      ) : list.length === 0 ? (
        <p className="muted">{t('printPrep.noCollections')}</p>
      ) : (
        <ul className="collection-list">
          {list.map((c) => (
            <li key={c.id} className="collection-row" data-testid="collection-row">
              <span>
                <strong>
                  <bdi>{c.name}</bdi>
                </strong>{' '}
                <span className="muted small">{t('printPrep.items', { count: c.item_count })}</span>
              </span>
              <button
                type="button"
                className="button button-secondary button-small"
                disabled={zipping !== null || c.item_count === 0}
                onClick={() => void download(c.id, c.name)}
                aria-label={t('printPrep.downloadNamed', { name: c.name })}
                data-testid="collection-zip"
              >
                {zipping === c.id ? t('printPrep.zipping') : t('printPrep.downloadZip')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
