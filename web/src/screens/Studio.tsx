/**
 * The Studio: pick a generation type, its source images and settings (a form built from the type's
 * JSON Schema), see the price against the balance and start it; the run then shows up under
 * "Recent generations" with its live status. Every click on "Generate" sends a fresh
 * Idempotency-Key, so a retried request never holds credits twice.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, describeError, FINAL_STATUSES, type Asset, type Generation, type GenerationType, type User } from '../api.ts';
import { Alert, Field, FormErrorAlert, Link, Spinner, useDocumentTitle, type FormError } from '../ui.tsx';
import { defaultValues, toParams, type ParamValues } from '../params-schema.ts';
import { ParamsForm } from './ParamsForm.tsx';
import { RecentGenerations } from './RecentGenerations.tsx';
import { SourcePicker, TypePicker } from './StudioInputs.tsx';

const MAX_OUTPUTS = 8;

export function Studio({ user, reload }: { user: User; reload: () => Promise<void> }) {
  useDocumentTitle('Studio');
  const [types, setTypes] = useState<GenerationType[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [typeName, setTypeName] = useState('');
  const [values, setValues] = useState<ParamValues>({});
  const [prompt, setPrompt] = useState('');
  const [style, setStyle] = useState('');
  const [numOutputs, setNumOutputs] = useState('1');
  const [assets, setAssets] = useState<Asset[] | null>(null);
  const [sources, setSources] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const [shortBy, setShortBy] = useState<{ needed: number } | null>(null);
  const [generations, setGenerations] = useState<Generation[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);

  const type = useMemo(() => types?.find((t) => t.type === typeName) ?? null, [types, typeName]);

  const choose = useCallback((t: GenerationType) => {
    setTypeName(t.type);
    setValues(defaultValues(t.params_schema));
    setStyle('');
    setSources((s) => s.slice(0, t.sources.max));
    setError(null);
    setShortBy(null);
  }, []);

  useEffect(() => {
    api.generationTypes().then(
      (list) => {
        setTypes(list);
        const first = list.find((t) => t.providers.length > 0) ?? list[0];
        if (first) choose(first);
      },
      (err) => setLoadError(describeError(err, []).message),
    );
    api.assets().then(
      (page) => setAssets(page.data),
      () => setAssets([]),
    );
    api.generations().then(
      (page) => setGenerations(page.data),
      (err) => {
        setGenerations([]);
        setListError(describeError(err, []).message);
      },
    );
  }, [choose]);

  const onUpdate = useCallback(
    (g: Generation) => {
      setGenerations((list) => (list ?? []).map((x) => (x.id === g.id ? g : x)));
      // A final status captures or releases the hold: the balance in the top bar moves.
      if (FINAL_STATUSES.has(g.status)) void reload();
    },
    [reload],
  );

  if (!types) return loadError ? <Alert>{loadError}</Alert> : <Spinner label="Loading the studio…" />;

  const count = Math.trunc(Number(numOutputs));
  const countValid = Number.isFinite(count) && count >= 1 && count <= MAX_OUTPUTS;
  const cost = type && countValid ? type.credits_per_output * count : null;
  const balance = user.credits.available;
  const paramNames = Object.keys(type?.params_schema.properties ?? {});
  const fieldErrors = error?.fields ?? {};
  const paramErrors = Object.fromEntries(paramNames.map((n) => [n, fieldErrors[`params.${n}`]]).filter(([, m]) => m)) as Record<string, string>;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!type || busy) return;
    setBusy(true);
    setError(null);
    setShortBy(null);
    try {
      const g = await api.generate({
        type: type.type,
        ...(type.sources.max > 0 ? { source_asset_ids: sources } : {}),
        ...(prompt.trim() ? { prompt: prompt.trim() } : {}),
        ...(style ? { style } : {}),
        params: toParams(type.params_schema, values),
        num_outputs: count,
      });
      setGenerations((list) => [g, ...(list ?? []).filter((x) => x.id !== g.id)]);
      await reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 402) {
        setShortBy({ needed: cost ?? 0 });
        await reload();
      } else {
        const fields = ['type', 'prompt', 'style', 'source_asset_ids', 'num_outputs', 'subject_id', ...paramNames.map((n) => `params.${n}`)];
        setError(describeError(err, fields));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="studio">
      <section className="hero">
        <div>
          <p className="eyebrow">Studio</p>
          <h1>Create something</h1>
          <p className="muted">Pick what to make, give it your images and settings, and watch it run below.</p>
        </div>
      </section>

      <div className="studio-layout">
        <form className="card studio-form" onSubmit={submit} noValidate aria-labelledby="studio-form-title">
          <h2 id="studio-form-title">New generation</h2>
          <TypePicker
            types={types}
            value={typeName}
            onChange={(name) => {
              const t = types.find((x) => x.type === name);
              if (t) choose(t);
            }}
            error={fieldErrors.type}
          />

          {type && type.sources.max > 0 && (
            <SourcePicker
              assets={assets}
              onAsset={(a) => setAssets((list) => [a, ...(list ?? [])])}
              selected={sources}
              onSelected={setSources}
              min={type.sources.min}
              max={type.sources.max}
              error={fieldErrors.source_asset_ids}
            />
          )}

          {type?.needs.subject && <Alert kind="info">This type works from a trained subject; subjects are not available in the Studio yet.</Alert>}

          {type && (
            <div className="field">
              <label htmlFor="studio-prompt">{type.needs.prompt ? 'Prompt' : 'Prompt (optional)'}</label>
              <textarea
                id="studio-prompt"
                rows={3}
                maxLength={4000}
                value={prompt}
                required={type.needs.prompt}
                aria-invalid={fieldErrors.prompt ? true : undefined}
                aria-describedby={fieldErrors.prompt ? 'studio-prompt-error' : undefined}
                onChange={(e) => setPrompt(e.target.value)}
              />
              {fieldErrors.prompt && (
                <p id="studio-prompt-error" className="field-error">
                  {fieldErrors.prompt}
                </p>
              )}
            </div>
          )}

          {type?.styles && (
            <div className={`field${fieldErrors.style ? ' has-error' : ''}`}>
              <label htmlFor="studio-style">{type.needs.style ? 'Style' : 'Style (optional)'}</label>
              <select id="studio-style" value={style} onChange={(e) => setStyle(e.target.value)} aria-describedby={fieldErrors.style ? 'studio-style-error' : undefined}>
                <option value="">Choose a style…</option>
                {type.styles.map((s) => (
                  <option key={s} value={s}>
                    {s.replaceAll('_', ' ')}
                  </option>
                ))}
              </select>
              {fieldErrors.style && (
                <p id="studio-style-error" className="field-error">
                  {fieldErrors.style}
                </p>
              )}
            </div>
          )}

          {type && <ParamsForm schema={type.params_schema} values={values} onChange={(n, v) => setValues((old) => ({ ...old, [n]: v }))} errors={paramErrors} />}

          <Field
            id="studio-outputs"
            label="Number of outputs"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_OUTPUTS}
            step={1}
            value={numOutputs}
            onChange={(e) => setNumOutputs(e.target.value)}
            error={fieldErrors.num_outputs ?? (countValid ? undefined : `A whole number from 1 to ${MAX_OUTPUTS}.`)}
          />

          <p className={`studio-cost${cost !== null && cost > balance ? ' over' : ''}`} data-testid="studio-cost" aria-live="polite">
            {cost === null ? 'Choose how many outputs.' : `Costs ${cost} credit${cost === 1 ? '' : 's'} · you have ${balance}.`}
          </p>
          {cost !== null && cost > balance && !shortBy && (
            <p className="field-hint">
              That is more than your balance. <Link to="/billing">Get more credits</Link>
            </p>
          )}

          {shortBy && (
            <Alert testId="studio-insufficient">
              <p>
                Not enough credits: this needs {shortBy.needed} and you have {balance} available. <Link to="/billing">Buy credits in Credits & billing</Link>.
              </p>
            </Alert>
          )}
          <FormErrorAlert error={error} />
          {type && type.providers.length === 0 && <Alert kind="info">No provider can run {type.type.replaceAll('_', ' ')} on this server right now.</Alert>}

          <button type="submit" className="button button-primary" disabled={busy || !type || !countValid || type.providers.length === 0} data-testid="studio-submit">
            {busy ? 'Starting…' : 'Generate'}
          </button>
        </form>

        <RecentGenerations generations={generations} onUpdate={onUpdate} error={listError} />
      </div>
    </div>
  );
}
