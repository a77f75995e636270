/**
 * i18next with react-i18next (decision 082): English and Persian bundled (a few kB gzipped each, so
 * a first paint never waits for a language file), the reader's choice kept in localStorage, else the
 * installation's `default_locale` from GET /config when it offers it. Switching a language also sets
 * `lang` and `dir` on <html>: Persian lays the whole page out right to left through the stylesheet's
 * logical properties (decision 083).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '../api/client.ts';
import { en } from './en.ts';
import { fa } from './fa.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

/** The languages the app has strings for, each named in itself. */
export const LANGUAGES = {
  en: { name: 'English', dir: 'ltr' },
  fa: { name: 'فارسی', dir: 'rtl' },
} as const;
export type Language = keyof typeof LANGUAGES;

const STORAGE_KEY = 'atelier.language';

export const isLanguage = (value: string | null | undefined): value is Language => value != null && Object.hasOwn(LANGUAGES, value);

function stored(): Language | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

/** The languages an installation offers that the app can show (English when it names none of them). */
export function offeredLanguages(locales: readonly string[]): Language[] {
  const offered = locales.filter(isLanguage);
  return offered.length > 0 ? offered : ['en'];
}

/** The reader's earlier choice if still offered, else the installation's default, else the first offered. */
export function initialLanguage(config: { locales: readonly string[]; default_locale: string }): Language {
  const offered = offeredLanguages(config.locales);
  const choice = stored();
  if (choice && offered.includes(choice)) return choice;
  return isLanguage(config.default_locale) && offered.includes(config.default_locale) ? config.default_locale : offered[0]!;
}

function applyToDocument(lang: Language): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = LANGUAGES[lang].dir;
}

/** Shows the app in `lang`; `remember` keeps the choice for the next visit (the switcher does). */
export async function switchLanguage(lang: Language, remember = false): Promise<void> {
  if (remember) {
    try {
      window.localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode without storage: the choice lasts for this page only.
    }
  }
  applyToDocument(lang);
  setRequestLanguage(lang);
  if (i18next.language !== lang) await i18next.changeLanguage(lang);
}

export const currentLanguage = (): Language => (isLanguage(i18next.language) ? i18next.language : 'en');

const first = stored() ?? 'en';
void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, fa: { translation: fa } },
  lng: first,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  initAsync: false,
});
applyToDocument(first);

export { i18next };
