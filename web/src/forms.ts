/**
 * Forms with react-hook-form and the zod resolver: the browser checks what it can with the same
 * rules the server states, and a refusal from the server lands on the fields it names, the rest at
 * the top of the form.
 */
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { describeError } from './api.ts';

/** Puts the server's field errors on the form; answers the message for the top of the form (or null). */
export function showServerError<T extends FieldValues>(err: unknown, fields: ReadonlyArray<Path<T>>, setError: UseFormSetError<T>, generic: string): string | null {
  const described = describeError(err, fields, generic);
  let onField = false;
  for (const name of fields) {
    const message = described.fields[name];
    if (message) {
      setError(name, { type: 'server', message });
      onField = true;
    }
  }
  const rest = described.other.join(' ');
  if (rest) return rest;
  return onField ? null : described.message;
}

/** The message under a field: the server's own words, or the form's rule when the browser caught it. */
export const fieldMessage = (error: { type?: string | number; message?: string } | undefined, rule: string): string | undefined =>
  !error ? undefined : error.type === 'server' && error.message ? error.message : rule;
