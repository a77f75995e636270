/**
 * The web app's languages and number formats: Persian has every English key with the same
 * {{placeholders}} (a missing or misspelt placeholder would show raw braces to a reader), each
 * Persian string is written in Persian, plurals come in pairs, and money follows each language's
 * custom (IRR as toman with Persian digits, USD with its symbol).
 * Real: web/src/i18n/en.ts, fa.ts and web/src/format.ts as the app bundles them, Node's Intl (full
 * ICU). Stand-ins: none.
 */
import { describe, expect, it } from 'vitest';
import { formatMoney, formatNumber, formatRial } from '../../web/src/format.ts';
import { en } from '../../web/src/i18n/en.ts';
import { fa } from '../../web/src/i18n/fa.ts';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

const english = flatten(en as Tree);
const persian = flatten(fa as unknown as Tree);

describe('the Persian strings', () => {
  it('have exactly the English keys', () => {
    expect([...persian.keys()].sort()).toEqual([...english.keys()].sort());
    expect(english.size).toBeGreaterThan(200);
  });

  it('use the same placeholders as the English ones', () => {
    const differ = [...english].filter(([k, v]) => placeholders(v).join() !== placeholders(persian.get(k) ?? '').join()).map(([k]) => k);
    expect(differ).toEqual([]);
  });

  it('are written in Persian (a string of only placeholders and punctuation excepted)', () => {
    const bare = (s: string) => s.replace(/\{\{[^}]*\}\}/g, '').replace(/[\s\p{P}\p{S}#]/gu, '');
    const notPersian = [...persian].filter(([, v]) => bare(v) !== '' && !/[\u0600-\u06FF]/.test(v)).map(([k]) => k);
    expect(notPersian).toEqual([]);
  });

  it('come with both plural forms wherever English has them', () => {
    for (const key of english.keys()) {
      if (key.endsWith('_one')) expect(english.has(key.replace(/_one$/, '_other')), key).toBe(true);
    }
  });
});

describe('numbers and money', () => {
  it('writes Persian digits in Persian and Latin ones in English', () => {
    expect(formatNumber(1234, 'fa')).toBe('۱٬۲۳۴');
    expect(formatNumber(1234, 'en')).toBe('1,234');
  });

  it('shows rial prices in toman, as they are quoted in Iran, and the rial figure on request', () => {
    // 1,200,000 rials in minor units (two digits, decision 008) is 120,000 toman.
    expect(formatMoney(120_000_000, 'IRR', 'fa')).toBe('۱۲۰٬۰۰۰ تومان');
    expect(formatMoney(120_000_000, 'IRR', 'en')).toBe('120,000 toman');
    expect(formatRial(120_000_000, 'fa')).toBe('۱٬۲۰۰٬۰۰۰ ریال');
  });

  it('formats other currencies through Intl, with a fallback for a code Intl does not know', () => {
    expect(formatMoney(1999, 'USD', 'en')).toBe('$19.99');
    expect(formatMoney(1999, 'USD', 'fa')).toMatch(/۱۹٫۹۹/);
    expect(formatMoney(1999, 'XYZ1', 'en')).toBe('19.99 XYZ1');
  });
});
