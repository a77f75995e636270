/**
 * The language of the fixed strings a response carries (decision 104): the signed-in user's
 * `locale` preference when the installation offers it, else the best of `Accept-Language` among the
 * installation's locales, else its default. Only languages the server has strings for count; the
 * answer says which it chose (`Content-Language`) and that it depends on `Accept-Language` (`Vary`),
 * so a shared cache keeps one copy per language.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The languages the server has its own strings in. */
export const serverLanguages = ['en', 'fa'] as const;
export type Language = (typeof serverLanguages)[number];

const isLanguage = (value: string): value is Language => (serverLanguages as readonly string[]).includes(value);

/** `fa-IR` → `fa`; undefined for a language the server has no strings in. */
export function languageOfTag(tag: string | null | undefined): Language | undefined {
  const primary = tag?.trim().split('-')[0]?.toLowerCase();
  return primary && isLanguage(primary) ? primary : undefined;
}

/**
 * The offered language the header prefers most (RFC 9110 §12.5.4: q-values, ties in the order
 * written; `*` is any offered language); undefined when it names none of them.
 */
export function negotiateLanguage(header: string | undefined, offered: readonly Language[]): Language | undefined {
  if (!header) return undefined;
  const ranges = header
    .split(',')
    .slice(0, 32)
    .map((part, order) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { range: range.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, order };
    })
    .filter((r) => r.range !== '' && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  for (const { range } of ranges) {
    if (range === '*') return offered[0];
    const match = languageOfTag(range);
    if (match && offered.includes(match)) return match;
  }
  return undefined;
}

export interface LanguageDeps {
  /** The installation's locales, its default first (`ATELIER_LOCALES` or the preset's). */
  locales: readonly string[];
  defaultLocale: string;
  /** The user's `locale` preference (accounts), null when they have not set one. */
  userLocale(userId: string): Promise<string | null>;
}

/** Picks the language of one response and says so in its headers. */
export function createLanguagePicker(deps: LanguageDeps) {
  const offered = deps.locales.flatMap((l) => languageOfTag(l) ?? []);
  const fallback = languageOfTag(deps.defaultLocale) ?? offered[0] ?? 'en';
  return async function pick(request: FastifyRequest, reply: FastifyReply): Promise<Language> {
    const preferred = request.principal ? languageOfTag(await deps.userLocale(request.principal.userId)) : undefined;
    const language = (preferred && offered.includes(preferred) ? preferred : undefined) ?? negotiateLanguage(request.headers['accept-language'], offered) ?? fallback;
    reply.header('Content-Language', language);
    const vary = reply.getHeader('vary');
    reply.header('Vary', vary ? `${String(vary)}, Accept-Language` : 'Accept-Language');
    return language;
  };
}
export type LanguagePicker = ReturnType<typeof createLanguagePicker>;
