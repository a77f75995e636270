/**
 * A small form generated from a generation type's parameter schema: enums become segmented buttons
 * or selects, numbers number inputs with their bounds, booleans checkboxes, strings text inputs,
 * lists of strings a comma-separated text input (params-schema.ts reads the schema).
 */
import { useTranslation } from 'react-i18next';
import { kindOf, paramLabel, properties, type JsonSchema, type ParamValues } from '../params-schema.ts';
import { describedBy, Field, FieldMessages } from '../ui.tsx';

interface ParamsFormProps {
  schema: JsonSchema;
  values: ParamValues;
  onChange: (name: string, value: string | boolean) => void;
  /** Messages by parameter name (from the server's `params.<name>` errors). */
  errors: Record<string, string>;
}

export function ParamsForm({ schema, values, onChange, errors }: ParamsFormProps) {
  const { t } = useTranslation();
  const entries = properties(schema);
  if (entries.length === 0) return <p className="muted small">{t('params.none')}</p>;
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
  const { t } = useTranslation();
  const id = `param-${name}`;
  const k = kindOf(schema);
  const bare = required || k.kind === 'boolean' || k.kind === 'choice';
  // The server's label in the language asked for; a label made from the name for a schema without one.
  const named = schema.title ?? paramLabel(name);
  const label = bare ? named : t('common.optional', { label: named });
  const hint = k.kind === 'list' ? [schema.description, t('params.separate')].filter(Boolean).join(' ') : schema.description;
  const described = describedBy(id, hint, error);
  const messages = <FieldMessages id={id} hint={hint} error={error} />;
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
    <Field
      id={id}
      label={label}
      error={error}
      hint={hint}
      type={numeric ? 'number' : 'text'}
      inputMode={numeric ? (k.integer ? 'numeric' : 'decimal') : undefined}
      min={numeric ? schema.minimum : undefined}
      max={numeric ? schema.maximum : undefined}
      step={numeric ? (k.integer ? 1 : 'any') : undefined}
      maxLength={!numeric && k.kind === 'text' ? schema.maxLength : undefined}
      required={required}
      value={text}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
