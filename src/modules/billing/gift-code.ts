/**
 * Gift card codes: 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L), in groups
 * of four — about 79 bits, unguessable, and easy to read out and type. Lookups normalise what was typed.
 */
import { randomInt } from 'node:crypto';
import { sha256Hex } from '../../platform/crypto.ts';
import type { Tx } from '../../platform/db/types.ts';
import * as pq from './promotions.queries.ts';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'; // 31 symbols, ~4.95 bits each
/** Characters of a code, without its dashes. */
export const GIFT_CODE_LENGTH = 16;

export function newGiftCode(): string {
  const chars = Array.from({ length: GIFT_CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** Upper-case, without spaces and dashes: `abcd-efgh …` and `ABCDEFGH…` name the same card. */
export const normaliseGiftCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

export const hashGiftCode = (code: string): string => sha256Hex(`gift:${normaliseGiftCode(code)}`);

type NewCard = Omit<Parameters<typeof pq.insertGiftCard>[1], 'codeHash' | 'codeLast4'>;

/**
 * Inserts a gift card under a fresh code and returns the code (only its hash is stored). A clash
 * of 79-bit codes will not happen, but one must not fail a paid order or an admin's issue: draw again.
 */
export async function insertWithFreshCode(tx: Tx, card: NewCard) {
  for (;;) {
    const code = newGiftCode();
    const row = await pq.insertGiftCard(tx, { ...card, codeHash: hashGiftCode(code), codeLast4: code.slice(-4) });
    if (row) return { code, card: row };
  }
}
