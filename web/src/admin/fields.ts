/**
 * The catalogue form's fields (decision 072): what a field is, and how a stored value becomes the
 * form's text and the form's text becomes the request body's value. No React here, so the rules
 * are tested on their own (test/web/admin-fields.test.ts).
 */
import type { en } from '../i18n/en.ts';

export type FieldName = keyof (typeof en)['admin']['fields'];
export type Kind = 'text' | 'textarea' | 'number' | 'boolean' | 'json' | 'list' | 'date' | 'datetime' | readonly string[];

export interface FieldSpec<K extends string> {
  name: K & FieldName;
  kind: Kind;
  /** The form cannot be sent without it (on create). */
  required?: boolean;
  /** Emptied, it is sent as null (else left out). */
  nullable?: boolean;
  /** Only on create (the server does not change it), or only on change. */
  only?: 'create' | 'update';
}

const pad = (n: number) => String(n).padStart(2, '0');
/** An ISO instant as a datetime-local value in the reader's zone. */
export function localDateTime(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function toFormValue(kind: Kind, value: unknown): string | boolean {
  if (kind === 'boolean') return value === true;
  if (value === null || value === undefined) return '';
  if (kind === 'json') return JSON.stringify(value, null, 2);
  if (kind === 'list') return Array.isArray(value) ? value.join(', ') : '';
  if (kind === 'datetime') return localDateTime(String(value));
  if (kind === 'date') return String(value).slice(0, 10);
  return String(value);
}

export const parseJson = (s: string): { ok: boolean; value?: unknown } => {
  try {
    return { ok: true, value: JSON.parse(s) };
  } catch {
    return { ok: false };
  }
};

/**
 * The body value of a field's text; `undefined` leaves the field out. Emptied, a field is null when
 * nullable, an empty list, an empty text on a change (the text was cleared), and else left out.
 */
export function toBodyValue(field: FieldSpec<string>, raw: string | boolean, mode: 'create' | 'update'): unknown {
  if (typeof raw === 'boolean') return raw;
  const s = raw.trim();
  if (s === '') {
    if (field.nullable) return null;
    if (field.kind === 'list') return [];
    return mode === 'update' && (field.kind === 'text' || field.kind === 'textarea') ? '' : undefined;
  }
  if (field.kind === 'number') return Number(s);
  if (field.kind === 'json') return parseJson(s).value;
  if (field.kind === 'list') return s.split(',').map((x) => x.trim()).filter(Boolean);
  if (field.kind === 'datetime') return new Date(s).toISOString();
  return s;
}
