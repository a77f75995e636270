/**
 * The Studio: pick a generation type, its source images and settings (a form built from the type's
 * JSON Schema), see the price against the balance and start it; the run then shows up under
 * "Recent generations" with its live status. Every click on "Generate" sends a fresh
 * Idempotency-Key, so a retried request never holds credits twice.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, describeError, FINAL_STATUSES, type Asset, type Generation, type GenerationType } from '../api.ts';
import { generationTypesQuery, useConfig } from '../queries.ts';
import { useSignedIn } from '../session.ts';
import { Alert, Field, FormErrorAlert, Link, Spinner, useDocumentTitle, type FormError } from '../ui.tsx';
import { defaultValues, toParams, type ParamValues } from '../params-schema.ts';
import { ParamsForm } from './ParamsForm.tsx';
import { RecentGenerations } from './RecentGenerations.tsx';
import { SourcePicker, TypePicker } from './StudioInputs.tsx';

const MAX_OUTPUTS = 8;

export function Studio() {
  const { t, i18n } = useTranslation();
  const { user, reload } = useSignedIn();
  const config = useConfig();
  const onlyStudio = config.studios.length === 1 ? config.studios[0] : undefined;
  useDocumentTitle(onlyStudio ? t(`studios.${onlyStudio}`) : t('studio.title'));
  const generic = t('common.genericError');
  // Only the studios this installation offers (a headshots product shows headshots only).
  const offered = useQuery({
    ...generationTypesQuery(i18n.language),
    select: (list) => list.filter((x) => (config.studios as readonly string[]).includes(x.studio)),
  });
  const types = offered.data ?? null;
  const loadError = offered.error ? describeError(offered.error, [], generic).message : null;
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

  // The first type this server can run is chosen when the list arrives.
  useEffect(() => {
    if (!types || typeName) return;
    const first = types.find((x) => x.providers.length > 0) ?? types[0];
    if (first) choose(first);
  }, [types, typeName, choose]);

  useEffect(() => {
    api.assets().then(
      (page) => setAssets(page.data),
      () => setAssets([]),
    );
    api.generations().then(
      (page) => setGenerations(page.data),
      (err) => {
        setGenerations([]);
        setListError(describeError(err, [], generic).message);
      },
    );
  }, [generic]);

  const onUpdate = useCallback(
    (g: Generation) => {
      setGenerations((list) => (list ?? []).map((x) => (x.id === g.id ? g : x)));
      // A final status captures or releases the hold: the balance in the top bar moves.
      if (FINAL_STATUSES.has(g.status)) void reload();
    },
    [reload],
  );

  if (!types) return loadError ? <Alert>{loadError}</Alert> : <Spinner label={t('studio.loading')} />;

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
        setError(describeError(err, fields, generic));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="studio">
      <section className="hero">
        <div>
          <p className="eyebrow">{onlyStudio ? t(`studios.${onlyStudio}`) : t('studio.title')}</p>
          <h1>{t('studio.heading')}</h1>
          <p className="muted">{t('studio.intro')}</p>
        </div>
      </section>

      <div className="studio-layout">
        <form className="card studio-form" onSubmit={submit} noValidate aria-labelledby="studio-form-title">
          <h2 id="studio-form-title">{t('studio.newGeneration')}</h2>
          {types.length === 0 && <Alert kind="info">{t('studio.noTypes')}</Alert>}
          <TypePicker
            types={types}
            value={typeName}
            onChange={(name) => {
              const picked = types.find((x) => x.type === name);
              if (picked) choose(picked);
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

          {type?.needs.subject && <Alert kind="info">{t('studio.subjectsLater')}</Alert>}

          {type && (
            <div className="field">
              <label htmlFor="studio-prompt">{type.needs.prompt ? t('studio.prompt') : t('common.optional', { label: t('studio.prompt') })}</label>
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
              <label htmlFor="studio-style">{type.needs.style ? t('studio.style') : t('common.optional', { label: t('studio.style') })}</label>
              <select id="studio-style" value={style} onChange={(e) => setStyle(e.target.value)} aria-describedby={fieldErrors.style ? 'studio-style-error' : undefined}>
                <option value="">{t('studio.chooseStyle')}</option>
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
            label={t('studio.outputs')}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_OUTPUTS}
            step={1}
            value={numOutputs}
            onChange={(e) => setNumOutputs(e.target.value)}
            error={fieldErrors.num_outputs ?? (countValid ? undefined : t('studio.outputsInvalid', { max: MAX_OUTPUTS }))}
          />

          <p className={`studio-cost${cost !== null && cost > balance ? ' over' : ''}`} data-testid="studio-cost" aria-live="polite">
            {cost === null ? t('studio.chooseCount') : t('studio.cost', { count: cost, balance })}
          </p>
          {cost !== null && cost > balance && !shortBy && (
            <p className="field-hint">
              {t('studio.overBalance')} <Link to="/billing">{t('studio.getMore')}</Link>
            </p>
          )}

          {shortBy && (
            <Alert testId="studio-insufficient">
              <p>
                {t('studio.notEnough', { needed: shortBy.needed, balance })} <Link to="/billing">{t('studio.buyInBilling')}</Link>.
              </p>
            </Alert>
          )}
          <FormErrorAlert error={error} />
          {type && type.providers.length === 0 && <Alert kind="info">{t('studio.noProvider', { type: t(`types.${type.type}`) })}</Alert>}

          <button type="submit" className="button button-primary" disabled={busy || !type || !countValid || type.providers.length === 0} data-testid="studio-submit">
            {busy ? t('studio.starting') : t('studio.generate')}
          </button>
        </form>

        <RecentGenerations generations={generations} onUpdate={onUpdate} error={listError} />
      </div>
    </div>
  );
}
