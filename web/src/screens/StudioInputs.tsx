/** The Studio's choosers: the generation type (grouped by studio) and the source images. */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError, type Asset, type GenerationType } from '../api.ts';

/**
 * What the provider that will run this type here makes of it, when that is less than the type's
 * description (the local provider's model shot has no model): said before anyone pays.
 */
function deliversHere(t: GenerationType): string | null {
  const first = t.provider_details[0];
  return first && first.delivers !== t.description ? first.delivers : null;
}

export function TypePicker({ types, value, onChange, error }: { types: GenerationType[]; value: string; onChange: (type: string) => void; error: string | undefined }) {
  const { t } = useTranslation();
  const studios = [...new Set(types.map((x) => x.studio))];
  const studioName = (studio: string) => t(`studios.${studio}`, { defaultValue: studio });
  return (
    <div className="type-picker" data-testid="type-picker">
      {studios.map((studio) => (
        <fieldset key={studio} className="type-group">
          <legend className="field-legend">{studioName(studio)}</legend>
          <div className="type-options">
            {types
              .filter((x) => x.studio === studio)
              .map((x) => (
                <label key={x.type} className={`type-option${value === x.type ? ' active' : ''}`} data-testid={`type-${x.type}`}>
                  <input type="radio" name="generation-type" value={x.type} checked={value === x.type} onChange={() => onChange(x.type)} />
                  <span className="type-name">{t(`types.${x.type}`)}</span>
                  <span className="type-price">{t('studio.perOutput', { count: x.credits_per_output })}</span>
                  <span className="type-description">{x.description}</span>
                  {deliversHere(x) && (
                    <span className="type-delivers" data-testid={`delivers-${x.type}`}>
                      {t('studio.hereYouGet', { delivers: deliversHere(x) })}
                    </span>
                  )}
                  {x.providers.length === 0 && <span className="type-unavailable">{t('studio.unavailable')}</span>}
                </label>
              ))}
          </div>
        </fieldset>
      ))}
      {error && (
        <p className="field-error" data-testid="type-error">
          {error}
        </p>
      )}
    </div>
  );
}

interface SourcePickerProps {
  assets: Asset[] | null;
  onAsset: (asset: Asset) => void;
  selected: string[];
  onSelected: (ids: string[]) => void;
  min: number;
  max: number;
  error: string | undefined;
}

/** Library images to pick (radio-like when the type takes one), and an upload that is picked at once. */
export function SourcePicker({ assets, onAsset, selected, onSelected, min, max, error }: SourcePickerProps) {
  const { t } = useTranslation();
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const images = (assets ?? []).filter((a) => a.mime_type.startsWith('image/'));

  const toggle = (id: string) => {
    if (selected.includes(id)) onSelected(selected.filter((x) => x !== id));
    else if (max === 1) onSelected([id]);
    else if (selected.length < max) onSelected([...selected, id]);
  };

  async function upload(file: File | undefined) {
    if (!file) return;
    setUploading(true);
    setUploadError(null);
    try {
      const asset = await api.upload(file);
      onAsset(asset);
      onSelected(max === 1 ? [asset.id] : [...selected, asset.id].slice(-max));
    } catch (err) {
      setUploadError(describeError(err, [], t('common.genericError')).message);
    } finally {
      setUploading(false);
      if (input.current) input.current.value = '';
    }
  }

  const need = min === max ? t('studio.images', { count: min }) : min === 0 ? t('studio.upToOptional', { max }) : t('studio.range', { min, max });
  return (
    <fieldset className={`field source-picker${error ? ' has-error' : ''}`} aria-describedby={error ? 'sources-error' : undefined}>
      <legend className="field-legend">
        {t('studio.source', { need })}
        <span className="muted small">{t('studio.chosen', { n: selected.length })}</span>
      </legend>
      <div className="source-actions">
        <label className="button button-secondary button-small">
          {uploading ? t('studio.uploading') : t('studio.uploadImage')}
          <input ref={input} type="file" accept="image/*" className="visually-hidden" data-testid="studio-upload-input" disabled={uploading} onChange={(e) => void upload(e.target.files?.[0])} />
        </label>
        {images.length === 0 && assets && <span className="muted small">{t('studio.emptyLibrary')}</span>}
      </div>
      {uploadError && <p className="field-error">{uploadError}</p>}
      {images.length > 0 && (
        <ul className="source-grid">
          {images.map((a) => {
            const on = selected.includes(a.id);
            return (
              <li key={a.id}>
                <label className={`source-option${on ? ' active' : ''}`} data-testid="source-option">
                  <input type="checkbox" checked={on} disabled={!on && max > 1 && selected.length >= max} onChange={() => toggle(a.id)} />
                  <img src={a.thumbnail_url ?? a.url} alt="" loading="lazy" />
                  <span className="visually-hidden">{a.filename}</span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
      {error && (
        <p id="sources-error" className="field-error" data-testid="sources-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
