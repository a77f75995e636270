/**
 * A small form generated from a generation type's parameter schema (the JSON Schema that
 * `GET /generation-types` publishes): enums become segmented buttons or selects, numbers number
 * inputs with their bounds, booleans checkboxes, strings text inputs, lists of strings a
 * comma-separated text input. Values are kept as the inputs hold them and turned into `params` by
 * `toParams`, so an empty optional field is left out and the server's default applies.
 */
import type { JsonSchema } from '../api.ts';

export type ParamValues = Record<string, string | boolean>;

type Kind =
  | { kind: 'choice'; options: unknown[] }
  | { kind: 'number'; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'list' }
  | { kind: 'text' };

/** The choices of an `enum` or of an `anyOf` of constants (`factor: 2 | 4`). */
function choices(s: JsonSchema): unknown[] | null {
  if (Array.isArray(s.enum)) return s.enum;
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0 && s.anyOf.every((a) => 'const' in a)) return s.anyOf.map((a) => a.const);
  return null;
}

function kindOf(s: JsonSchema): Kind {
  const options = choices(s);
  if (options) return { kind: 'choice', options };
  if (s.type === 'integer' || s.type === 'number') return { kind: 'number', integer: s.type === 'integer' };
  if (s.type === 'boolean') return { kind: 'boolean' };
  if (s.type === 'array') return { kind: 'list' };
  return { kind: 'text' };
}

const properties = (schema: JsonSchema) => Object.entries(schema.properties ?? {});

export const paramLabel = (name: string) => {
  const words = name.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The form's starting values: each default, else empty. */
export function defaultValues(schema: JsonSchema): ParamValues {
  const values: ParamValues = {};
  for (const [name, s] of properties(schema)) {
    const k = kindOf(s);
    if (k.kind === 'boolean') values[name] = s.default === true;
    else if (k.kind === 'list') values[name] = Array.isArray(s.default) ? s.default.join(', ') : '';
    else values[name] = s.default === undefined ? '' : String(s.default);
  }
  return values;
}

/** The `params` of a request: typed values, empty optional fields left out. */
export function toParams(schema: JsonSchema, values: ParamValues): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, s] of properties(schema)) {
    const k = kindOf(s);
    const v = values[name];
    if (k.kind === 'boolean') {
      params[name] = v === true;
      continue;
    }
    const text = typeof v === 'string' ? v.trim() : '';
    if (text === '') continue;
    if (k.kind === 'choice') params[name] = k.options.find((o) => String(o) === text) ?? text;
    else if (k.kind === 'number') params[name] = Number(text);
    else if (k.kind === 'list') params[name] = text.split(',').map((x) => x.trim()).filter(Boolean);
    else params[name] = text;
  }
  return params;
}

interface ParamsFormProps {
  schema: JsonSchema;
  values: ParamValues;
  onChange: (name: string, value: string | boolean) => void;
  /** Messages by parameter name (from the server's `params.<name>` errors). */
  errors: Record<string, string>;
}

export function ParamsForm({ schema, values, onChange, errors }: ParamsFormProps) {
  const entries = properties(schema);
  if (entries.length === 0) return <p className="muted small">This type has no settings.</p>;
  const required = new Set(schema.required ?? []);
  return (
    <div className="params-form">
      {entries.map(([name, s]) => (
        <ParamField key={name} name={name} schema={s} required={required.has(name)} value={values[name] ?? ''} onChange={(v) => onChange(name, v)} error={errors[name]} />
      ))}
    </div>
  );
}

interface ParamFieldProps {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: string | boolean;
  onChange: (value: string | boolean) => void;
  error: string | undefined;
}

function ParamField({ name, schema, required, value, onChange, error }: ParamFieldProps) {
  const id = `param-${name}`;
  const k = kindOf(schema);
  const label = `${paramLabel(name)}${required ? '' : k.kind === 'boolean' || k.kind === 'choice' ? '' : ' (optional)'}`;
  const hint = k.kind === 'list' ? [schema.description, 'Separate several with commas.'].filter(Boolean).join(' ') : schema.description;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const messages = (
    <>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
  const text = typeof value === 'string' ? value : '';

  if (k.kind === 'boolean') {
    return (
      <div className={`field field-check${error ? ' has-error' : ''}`}>
        <label>
          <input type="checkbox" id={id} checked={value === true} aria-describedby={described} onChange={(e) => onChange(e.target.checked)} /> {label}
        </label>
        {messages}
      </div>
    );
  }

  if (k.kind === 'choice') {
    const options = k.options.map(String);
    // A few short choices read best as buttons; longer lists as a select.
    if (options.length <= 4 && options.every((o) => o.length <= 12)) {
      return (
        <fieldset className={`field${error ? ' has-error' : ''}`} aria-describedby={described}>
          <legend className="field-legend">{label}</legend>
          <div className="segmented">
            {options.map((o) => (
              <label key={o} className={text === o ? 'active' : undefined}>
                <input type="radio" name={id} value={o} checked={text === o} onChange={() => onChange(o)} />
                {o}
              </label>
            ))}
          </div>
          {messages}
        </fieldset>
      );
    }
    return (
      <div className={`field${error ? ' has-error' : ''}`}>
        <label htmlFor={id}>{label}</label>
        <select id={id} value={text} aria-invalid={error ? true : undefined} aria-describedby={described} onChange={(e) => onChange(e.target.value)}>
          {!required && schema.default === undefined && <option value="">—</option>}
          {options.map((o) => (
            <option key={o} value={o}>
              {o.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
        {messages}
      </div>
    );
  }

  const numeric = k.kind === 'number';
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={numeric ? 'number' : 'text'}
        inputMode={numeric ? (k.integer ? 'numeric' : 'decimal') : undefined}
        min={numeric ? schema.minimum : undefined}
        max={numeric ? schema.maximum : undefined}
        step={numeric ? (k.integer ? 1 : 'any') : undefined}
        maxLength={!numeric && k.kind === 'text' ? schema.maxLength : undefined}
        required={required}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        onChange={(e) => onChange(e.target.value)}
      />
      {messages}
    </div>
  );
}
