/**
 * Time bounds of admin queries (decision 062): `from` and `to` are ISO dates or date-times; a date
 * is a UTC day. `from` is inclusive; `to` is exclusive for a date-time and includes the whole day
 * for a date, so `from=2026-01-01&to=2026-01-31` is January.
 */
import { z } from 'zod';

const DAY_MS = 86_400_000;
const ZInstant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

function toDate(v: string, endOfDay: boolean, ctx: z.RefinementCtx): Date {
  const isDay = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const at = new Date(isDay ? `${v}T00:00:00Z` : v);
  const year = at.getUTCFullYear();
  // The pattern alone lets through times PostgreSQL refuses (year 0): those would be a 500.
  if (Number.isNaN(at.getTime()) || year < 1970 || year > 9999) {
    ctx.addIssue({ code: 'custom', message: 'a date between 1970 and 9999' });
    return z.NEVER;
  }
  return isDay && endOfDay ? new Date(at.getTime() + DAY_MS) : at;
}

export const ZFrom = ZInstant.transform((v, ctx) => toDate(v, false, ctx)).describe('ISO date or date-time (UTC day for a date), inclusive');
export const ZTo = ZInstant.transform((v, ctx) => toDate(v, true, ctx)).describe('ISO date or date-time; a date includes its whole UTC day');

/** `from` before `to` when both are given. */
export const fromBeforeTo = (q: { from?: Date; to?: Date }, ctx: z.RefinementCtx) => {
  if (q.from && q.to && q.from >= q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
};
