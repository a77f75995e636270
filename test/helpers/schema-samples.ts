/**
 * Values drawn from a published JSON Schema (the `params_schema` of GET /generation-types), for
 * property-style tests: defaults, every enum member, the edges of numbers, lengths and array sizes,
 * and a few random valid values from a seeded generator. Only the keywords the engine's schemas use
 * are understood; anything else throws, so a new kind of parameter makes the test say so.
 */
import { randomUUID } from 'node:crypto';

type Schema = {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
};

/** A small seeded generator (mulberry32), so a failing sample is the same on the next run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const KEY = '^[a-z0-9][a-z0-9_-]{0,63}$';
const HEX = '^#[0-9a-fA-F]{6}$';

function pick<T>(random: () => number, from: readonly T[]): T {
  return from[Math.floor(random() * from.length)]!;
}

function chars(random: () => number, alphabet: string, n: number): string {
  return Array.from({ length: n }, () => pick(random, [...alphabet])).join('');
}

/** Strings matching one of the patterns the engine publishes. */
function patterned(s: Schema, random: () => number): string[] {
  if (s.format === 'uuid') return [randomUUID()];
  if (s.pattern === KEY) {
    const tail = 'abcdefghijklmnopqrstuvwxyz0123456789_-';
    return ['0', `a${chars(random, tail, 63)}`, `${chars(random, 'abcdefghijklmnopqrstuvwxyz0123456789', 1)}${chars(random, tail, 1 + Math.floor(random() * 20))}`];
  }
  if (s.pattern === '\\S') {
    const min = Math.max(1, s.minLength ?? 1);
    const max = s.maxLength ?? 40;
    const text = (n: number) => `S${chars(random, 'Abc xyz 123 Sale! ', n - 1)}`;
    return [text(min), text(max), text(min + Math.floor(random() * (max - min + 1)))];
  }
  if (s.pattern === HEX) return ['#000000', '#FFFFFF', `#${chars(random, '0123456789abcdefABCDEF', 6)}`];
  throw new Error(`schema sampler: no samples for the pattern ${s.pattern}`);
}

/** Valid values of one schema: its default first, then edges and random picks. */
export function valuesOf(s: Schema, random: () => number): unknown[] {
  const out: unknown[] = s.default !== undefined ? [s.default] : [];
  if (s.anyOf) return [...out, ...s.anyOf.flatMap((a) => valuesOf(a, random))];
  if (s.const !== undefined) return [...out, s.const];
  if (s.enum) return [...out, ...s.enum];
  switch (s.type) {
    case 'number':
    case 'integer': {
      const int = s.type === 'integer';
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (int ? 1 : 0.001) : -1000);
      const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (int ? 1 : 0.001) : 1000);
      const mid = lo + random() * (hi - lo);
      return [...out, lo, hi, int ? Math.round(mid) : Math.round(mid * 1000) / 1000];
    }
    case 'string': {
      if (s.pattern || s.format) return [...out, ...patterned(s, random)];
      const min = s.minLength ?? 0;
      const max = s.maxLength ?? 40;
      const text = (n: number) => chars(random, 'Abc xyz 123 Sale! ', n);
      return [...out, text(Math.max(min, 1)), text(max), text(min + Math.floor(random() * (max - min + 1)))];
    }
    case 'array': {
      const items = valuesOf(s.items ?? {}, random);
      const max = s.maxItems ?? 3;
      const min = s.minItems ?? 0;
      const sized = (n: number) => Array.from({ length: n }, (_, i) => items[i % items.length]);
      return [...out, sized(min), sized(Math.max(min, 1)), sized(max)];
    }
    default:
      throw new Error(`schema sampler: cannot sample ${JSON.stringify(s)}`);
  }
}

/**
 * Objects valid against an object schema. Sample 0 is the empty object (every default); sample i
 * takes the i-th value of each property's list (cycling), and leaves optional ones out on every
 * third, so each listed value of each property appears at least once in max(list length) samples.
 */
export function objectSamples(schema: Schema, random: () => number): Record<string, unknown>[] {
  const props = Object.entries(schema.properties ?? {}).map(([name, s]) => ({ name, values: valuesOf(s, random), required: schema.required?.includes(name) ?? false }));
  const count = Math.max(1, ...props.map((p) => p.values.length));
  const samples: Record<string, unknown>[] = [];
  const requiredOnly = Object.fromEntries(props.filter((p) => p.required).map((p) => [p.name, p.values[0]]));
  samples.push(requiredOnly);
  for (let i = 0; i < count; i++) {
    const sample: Record<string, unknown> = {};
    for (const p of props) {
      if (!p.required && (i + p.name.length) % 3 === 2) continue;
      sample[p.name] = p.values[i % p.values.length];
    }
    samples.push(sample);
  }
  return samples;
}
