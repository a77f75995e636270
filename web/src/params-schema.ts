/**
 * A generation type's parameter schema (the JSON Schema that `GET /generation-types` publishes) read
 * as form fields: what kind of input each property needs, the form's starting values, and the
 * `params` of a request built from what the inputs hold (an empty optional field is left out, so the
 * server's default applies). No React here, so it is tested against the server's own schemas.
 */
/** A JSON Schema as `GET /generation-types` publishes a type's parameters (the parts a form reads). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  default?: unknown;
  /** The parameter's label in the response's language (decision 104). */
  title?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: JsonSchema;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

export type ParamValues = Record<string, string | boolean>;

export type Kind =
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

export function kindOf(s: JsonSchema): Kind {
  const options = choices(s);
  if (options) return { kind: 'choice', options };
  if (s.type === 'integer' || s.type === 'number') return { kind: 'number', integer: s.type === 'integer' };
  if (s.type === 'boolean') return { kind: 'boolean' };
  if (s.type === 'array') return { kind: 'list' };
  return { kind: 'text' };
}

export const properties = (schema: JsonSchema) => Object.entries(schema.properties ?? {});

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

