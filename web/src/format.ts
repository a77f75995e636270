/**
 * Numbers, money and dates for the reader's language, all through `Intl` (decision 083): Persian
 * gets Persian digits and separators from the `fa-IR` locale. Money arrives in ISO 4217 minor units
 * (two digits for every currency the server keeps, IRR included — decision 008); rial prices are
 * shown in toman (a tenth of a rial), as prices are quoted in Iran, with the rial figure alongside
 * for the gateway's receipt.
 */

/** The `Intl` locale of an app language: Persian with Persian digits, English as written in the US. */
export const intlLocale = (lang: string): string => (lang === 'fa' ? 'fa-IR' : 'en-US');

export function formatNumber(n: number, lang: string): string {
  return new Intl.NumberFormat(intlLocale(lang)).format(n);
}

const TOMAN: Record<string, string> = { fa: 'تومان', en: 'toman' };

/** 1999 USD minor units → "$19.99"; 12_000_000 IRR minor units → "۱۲٬۰۰۰ تومان" in Persian. */
export function formatMoney(amountMinor: number, currency: string, lang: string): string {
  const major = amountMinor / 100;
  const locale = intlLocale(lang);
  if (currency === 'IRR') {
    const toman = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Math.round(major / 10));
    return `${toman} ${TOMAN[lang] ?? TOMAN.en}`;
  }
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(major);
  } catch {
    return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).format(major)} ${currency}`;
  }
}

/** The rial figure of an IRR amount ("۱۲۰٬۰۰۰ ریال"), for where the exact gateway amount matters. */
export function formatRial(amountMinor: number, lang: string): string {
  const rial = new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: 0 }).format(Math.round(amountMinor / 100));
  return lang === 'fa' ? `${rial} ریال` : `${rial} rial`;
}

export function formatDate(iso: string, lang: string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
  return new Intl.DateTimeFormat(intlLocale(lang), opts).format(new Date(iso));
}
