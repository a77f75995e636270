/**
 * A product's form (react-hook-form with the zod resolver, the server's own limits): name, SKU,
 * description, tags (comma separated), custom fields as key/value rows (a value written as JSON —
 * an object, a list — is kept as JSON), and its images from the library or uploaded here; the
 * first image chosen is the primary one. Refusals from the server land on the fields they name.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { describeError } from '../api.ts';
import { Field, FormErrorAlert, type FormError } from '../ui.tsx';
import type { Product, ProductInput } from './api.ts';
import { LibraryImages } from './parts.tsx';

const MAX_IMAGES = 20;

const schema = z.object({
  name: z.string().trim().min(1).max(200),
  sku: z.string().trim().max(100),
  description: z.string().max(5000),
  tags: z
    .string()
    .refine((s) => splitTags(s).length <= 50)
    .refine((s) => splitTags(s).every((tag) => tag.length <= 50)),
  fields: z.array(z.object({ key: z.string().trim().min(1).max(100), value: z.string().max(4000) })),
  images: z.array(z.string()).max(MAX_IMAGES),
});
type Values = z.infer<typeof schema>;

const splitTags = (s: string) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))];

/** A custom field's value as typed: JSON objects and lists stay JSON, everything else is text. */
function fieldValue(text: string): unknown {
  const trimmed = text.trim();
  if (/^[[{]/.test(trimmed)) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function initial(product: Product | undefined): Values {
  return {
    name: product?.name ?? '',
    sku: product?.sku ?? '',
    description: product?.description ?? '',
    tags: product?.tags.join(', ') ?? '',
    fields: Object.entries(product?.custom_fields ?? {}).map(([key, value]) => ({ key, value: shown(value) })),
    images: product ? [...(product.primary_image_asset_id ? [product.primary_image_asset_id] : []), ...product.image_asset_ids.filter((x) => x !== product.primary_image_asset_id)] : [],
  };
}

function toBody(v: Values): ProductInput {
  return {
    name: v.name.trim(),
    sku: v.sku.trim() || null,
    description: v.description.trim() || null,
    tags: splitTags(v.tags),
    custom_fields: Object.fromEntries(v.fields.map((f) => [f.key.trim(), fieldValue(f.value)])) as ProductInput['custom_fields'],
    image_asset_ids: v.images,
    primary_image_asset_id: v.images[0] ?? null,
  };
}

const SERVER_FIELDS = ['name', 'sku', 'description', 'tags', 'custom_fields', 'image_asset_ids', 'primary_image_asset_id'];

interface Props {
  product?: Product;
  onSaved: (p: Product) => void;
  onCancel?: () => void;
  save: (body: ProductInput) => Promise<Product>;
}

export function ProductForm({ product, onSaved, onCancel, save }: Props) {
  const { t } = useTranslation();
  const [error, setError] = useState<FormError | null>(null);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: initial(product) });
  const rows = useFieldArray({ control: form.control, name: 'fields' });
  const { errors, isSubmitting } = form.formState;
  const idp = product ? `product-${product.id}` : 'product-new';
  const server = error?.fields ?? {};

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      onSaved(await save(toBody(values)));
    } catch (err) {
      setError(describeError(err, SERVER_FIELDS, t('common.genericError')));
    }
  });

  return (
    <form className="card product-form studio-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${idp}-title`} data-testid="product-form">
      <h2 id={`${idp}-title`}>{product ? t('productShots.editProduct') : t('productShots.newProduct')}</h2>
      <FormErrorAlert error={error} />
      <Field id={`${idp}-name`} label={t('productShots.name')} required maxLength={200} {...form.register('name')} error={errors.name ? t('productShots.nameInvalid') : server.name} />
      <Field id={`${idp}-sku`} label={t('common.optional', { label: t('productShots.sku') })} maxLength={100} dir="auto" {...form.register('sku')} error={errors.sku ? t('productShots.tooLong') : server.sku} />
      <div className={`field${errors.description ? ' has-error' : ''}`}>
        <label htmlFor={`${idp}-description`}>{t('common.optional', { label: t('productShots.description') })}</label>
        <textarea id={`${idp}-description`} rows={3} maxLength={5000} {...form.register('description')} />
      </div>
      <Field
        id={`${idp}-tags`}
        label={t('common.optional', { label: t('productShots.tags') })}
        hint={t('productShots.tagsHint')}
        {...form.register('tags')}
        error={errors.tags ? t('productShots.tagsInvalid') : server.tags}
      />

      <fieldset className="field custom-fields">
        <legend className="field-legend">{t('productShots.customFields')}</legend>
        <p className="field-hint">{t('productShots.customFieldsHint')}</p>
        {rows.fields.length > 0 && (
          <ul className="custom-field-rows">
            {rows.fields.map((row, i) => (
              <li key={row.id} className="custom-field-row" data-testid="custom-field-row">
                <Field id={`${idp}-field-${i}-key`} label={t('productShots.fieldName')} {...form.register(`fields.${i}.key`)} error={errors.fields?.[i]?.key ? t('productShots.fieldNameInvalid') : undefined} />
                <Field id={`${idp}-field-${i}-value`} label={t('productShots.fieldValue')} {...form.register(`fields.${i}.value`)} error={errors.fields?.[i]?.value ? t('productShots.tooLong') : undefined} />
                <button type="button" className="button button-secondary button-small" onClick={() => rows.remove(i)} aria-label={t('productShots.removeField', { n: i + 1 })}>
                  {t('productShots.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        {server.custom_fields && <p className="field-error">{server.custom_fields}</p>}
        <button type="button" className="button button-secondary button-small" onClick={() => rows.append({ key: '', value: '' })} data-testid="add-field">
          {t('productShots.addField')}
        </button>
      </fieldset>

      <Controller
        control={form.control}
        name="images"
        render={({ field }) => (
          <LibraryImages selected={field.value} onSelected={field.onChange} min={0} max={MAX_IMAGES} error={server.image_asset_ids ?? server.primary_image_asset_id} />
        )}
      />
      <p className="field-hint">{t('productShots.primaryHint')}</p>

      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={isSubmitting} data-testid="product-save">
          {isSubmitting ? t('productShots.saving') : product ? t('productShots.save') : t('productShots.create')}
        </button>
        {onCancel && (
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('productShots.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
