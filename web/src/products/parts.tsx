/**
 * Pieces the product screens share: the generation types to choose from (one, or several at once)
 * with their price and what this server delivers, and the library-backed image picker.
 */
import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, describeError, type Asset, type GenerationType } from '../api.ts';
import { generationTypesQuery, keys, useConfig } from '../queries.ts';
import { SourcePicker } from '../screens/StudioInputs.tsx';
import { Alert, Spinner } from '../ui.tsx';

interface TypeChoicesProps {
  types: UseQueryResult<GenerationType[]>;
  legend: string;
  /** `checkbox`: several at once; `radio`: one. */
  input: 'checkbox' | 'radio';
  selected: readonly string[];
  onPick: (type: GenerationType) => void;
  testIdPrefix: string;
}

/** What the provider that runs a type here makes of it, when that is less than the description. */
const deliversHere = (x: GenerationType) => {
  const first = x.provider_details[0];
  return first && first.delivers !== x.description ? first.delivers : null;
};

export function TypeChoices({ types, legend, input, selected, onPick, testIdPrefix }: TypeChoicesProps) {
  const { t } = useTranslation();
  if (types.error) return <Alert>{describeError(types.error, [], t('common.genericError')).message}</Alert>;
  if (!types.data) return <Spinner label={t('common.loading')} />;
  if (types.data.length === 0) return <Alert kind="info">{t('studio.noTypes')}</Alert>;
  return (
    <fieldset className="field">
      <legend className="field-legend">{legend}</legend>
      <div className="type-options product-types">
        {types.data.map((x) => {
          const on = selected.includes(x.type);
          const delivers = deliversHere(x);
          return (
            <label key={x.type} className={`type-option${on ? ' active' : ''}`} data-testid={`${testIdPrefix}-${x.type}`}>
              <input type={input} name={`${testIdPrefix}-type`} value={x.type} checked={on} disabled={x.providers.length === 0} onChange={() => onPick(x)} />
              <span className="type-name">{t(`types.${x.type}`)}</span>
              <span className="type-price">{t('studio.perOutput', { count: x.credits_per_output })}</span>
              {delivers && <span className="type-delivers">{t('studio.hereYouGet', { delivers })}</span>}
              {x.providers.length === 0 && <span className="type-unavailable">{t('studio.unavailable')}</span>}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

interface ImagesProps {
  selected: string[];
  onSelected: (ids: string[]) => void;
  min: number;
  max: number;
  error: string | undefined;
}

/** The reader's library images to pick from, and an upload that joins the library and is picked. */
export function LibraryImages(props: ImagesProps) {
  const client = useQueryClient();
  const assets = useLibrary();
  const added = (a: Asset) => client.setQueryData(keys.assets(false), (page: Awaited<ReturnType<typeof api.assets>> | undefined) => page && { ...page, data: [a, ...page.data] });
  return <SourcePicker assets={assets.data ?? (assets.error ? [] : null)} onAsset={added} {...props} />;
}

/** The library's images (the print-prep chain shows the one picked). */
export const useLibrary = () => useQuery({ queryKey: keys.assets(false), queryFn: () => api.assets(false), select: (page) => page.data });

/** The generation types of one studio, when this installation offers that studio (else none). */
export function useStudioTypes(studio: string, keep: (x: GenerationType) => boolean = () => true) {
  const { studios } = useConfig();
  const { i18n } = useTranslation();
  return useQuery({
    ...generationTypesQuery(i18n.language),
    select: (list) => list.filter((x) => x.studio === studio && (studios as readonly string[]).includes(studio) && keep(x)),
  });
}
